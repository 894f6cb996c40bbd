"""The audit log in the domain's words: entity and field labels, values as people read them.

An entry stores table and column names, internal ids and raw values ("agreement_id": 14,
"auto_renew": false). Here they become "Agreement UC-ZTE-NET", "Renews automatically: No",
with every foreign key shown as the key of the row it points to (see portal.audit_keys).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Date, DateTime, Numeric
from sqlalchemy.orm import Session

from portal.audit.keys import (
    KEY_FORMATS,
    METADATA,
    KeyBook,
    Ref,
    is_timestamp,
    key_fields,
    references,
    show_timestamp,
)
from portal.audit.models import AuditEntry
from portal.audit.trail import REDACTED_FIELDS
from portal.labels import AUDIT_ACTION, AUDIT_ENTITY, AUDIT_FIELD, AUDIT_TABLE_FIELD, AUDIT_VALUE

SHORT = 40  # columns of a value in an entry's summary line (a Chinese character takes two)


def entity_label(table: str) -> str:
    return str(AUDIT_ENTITY.get(table, table))


def field_label(table: str, column: str) -> str:
    label = AUDIT_TABLE_FIELD.get((table, column)) or AUDIT_FIELD.get(column)
    return str(label) if label is not None else column.replace("_", " ")


def is_unbroken(table: str, column: str) -> bool:
    found = METADATA.tables[table].columns.get(column)
    return found is not None and isinstance(found.type, Date | DateTime | Numeric)


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _shorten(text: str) -> str:
    """``text`` on one line, cut to ``SHORT`` columns."""
    flat, used = " ".join(text.split()), 0
    for index, char in enumerate(flat):
        used += _width(char)
        if used > SHORT - 1 and index < len(flat) - 1:
            return flat[:index].rstrip() + "…"
    return flat


@dataclass(frozen=True)
class FieldView:
    column: str
    label: str
    before: str | None
    after: str | None
    unbroken: bool = False  # a date, time or number: kept on one line

    @property
    def short_before(self) -> str | None:
        return _shorten(self.before) if self.before is not None else None

    @property
    def short_after(self) -> str | None:
        return _shorten(self.after) if self.after is not None else None

    @property
    def fits(self) -> bool:
        return self.short_before == self.before and self.short_after == self.after


@dataclass(frozen=True)
class EntryView:
    entry: AuditEntry
    entity_label: str
    key: str
    fields: list[FieldView]
    summary: list[FieldView]  # the first few fields, for the entry's one line

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTION[self.entry.action])

    @property
    def summary_is_complete(self) -> bool:
        return len(self.summary) == len(self.fields) and all(f.fits for f in self.summary)


class Presenter:
    """Shows values of one page of entries, with every key read in a few queries."""

    def __init__(self, session: Session, entries: Iterable[AuditEntry]) -> None:
        self.entries = list(entries)
        self.book = KeyBook(session)
        self.book.load(self._wanted())

    def _wanted(self) -> set[Ref]:
        wanted: set[Ref] = set()
        for entry in self.entries:
            wanted.add((entry.entity, entry.entity_id))
            if entry.entity not in METADATA.tables:
                continue
            pointing = references(entry.entity)
            for column, values in entry.changes.items():
                if column in pointing:
                    wanted |= {(pointing[column], str(v)) for v in values if v is not None}
        return wanted

    def key(self, entry: AuditEntry) -> str:
        """A deleted row is named as it was when deleted, from the entry's own record."""
        if entry.action == "delete":
            recorded = {column: values[0] for column, values in entry.changes.items()}
            key = self.book.key_of_row(entry.entity, {"id": entry.entity_id, **recorded})
        else:
            key = self.book.key(entry.entity, entry.entity_id)
        if key is None and entry.action == "insert":
            recorded = {column: values[1] for column, values in entry.changes.items()}
            key = self.book.key_of_row(entry.entity, {"id": entry.entity_id, **recorded})
        return key or f"#{entry.entity_id}"

    def value(self, table: str, column: str, value: Any) -> str | None:
        if value is None:
            return None
        if column in REDACTED_FIELDS:
            return _("(not shown)")
        pointing = references(table) if table in METADATA.tables else {}
        if column in pointing:
            return self.book.key(pointing[column], str(value)) or f"#{value}"
        if isinstance(value, bool):
            return yes_no(value)
        labels = AUDIT_VALUE.get((table, column))
        if labels is not None and isinstance(value, str) and value in labels:
            return str(labels[value])
        if isinstance(value, list):
            return self._items(table, value)
        if is_timestamp(table, column):
            return show_timestamp(value)
        return str(value)

    def _items(self, table: str, items: list[Any]) -> str:
        if not items:
            return _("none")
        if all(isinstance(item, dict) and "field" in item for item in items):
            # A change record's own list of changes: one line per field of the agreement.
            return "\n".join(
                f"{field_label('agreements', str(item['field']))}: "
                f"{item.get('before', '') or '—'} → {item.get('after', '') or '—'}"
                for item in items
            )
        return ", ".join(str(item) for item in items)

    def fields(self, entry: AuditEntry) -> list[FieldView]:
        columns = list(METADATA.tables[entry.entity].columns.keys())
        order = {name: index for index, name in enumerate(columns)}
        views = []
        for column in sorted(entry.changes, key=lambda name: (order.get(name, len(order)), name)):
            before, after = entry.changes[column]
            if column == "id":
                continue  # the entry names its row by key already
            if entry.action != "update" and before in (None, "", []) and after in (None, "", []):
                continue
            views.append(
                FieldView(
                    column,
                    field_label(entry.entity, column),
                    self.value(entry.entity, column, before),
                    self.value(entry.entity, column, after),
                    is_unbroken(entry.entity, column),
                )
            )
        return views

    def describe(self, entry: AuditEntry) -> EntryView:
        fields = self.fields(entry) if entry.entity in METADATA.tables else []
        if entry.action == "update":
            summary = fields[:2]
        else:  # what the key does not say already
            named = set(key_fields(entry.entity)) if entry.entity in KEY_FORMATS else set()
            summary = [field for field in fields if field.column not in named][:3]
        return EntryView(entry, entity_label(entry.entity), self.key(entry), fields, summary)


def describe(session: Session, entries: Iterable[AuditEntry]) -> list[EntryView]:
    presenter = Presenter(session, entries)
    return [presenter.describe(entry) for entry in presenter.entries]
