"""User-visible keys of the rows the audit log names, and the key filter of the log page.

The log records a row by its table and internal id ("targets", "32"); people know it as
``UC-ZTE-NET · AVAIL · NET``. A key is built from the row's own columns and its parents' keys
(``KEY_FORMATS``). Rows are read from their tables, or, once deleted, from the log's own
record of them; one round per level of parents, so a page of entries costs the same few
queries however many entries it shows. Nothing here writes: the log itself never changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from string import Formatter
from typing import Any

from sqlalchemy import ColumnElement, DateTime, and_, false, func, or_, select
from sqlalchemy.orm import Session

from portal.audit.models import AuditEntry

Row = Mapping[str, Any]
Ref = tuple[str, str]  # (table, id as the log writes it)

METADATA = AuditEntry.metadata
SEPARATOR = " · "

# How each audited table's rows are named. A field that is a foreign key stands for the key of
# the row it points to; a part whose fields are all empty is left out (a target on no service).
KEY_FORMATS: dict[str, tuple[str, ...]] = {
    "agreements": ("{ref}",),
    "suppliers": ("{code}",),
    "customers": ("{code}",),
    "services": ("{code}",),
    "metrics": ("{code}",),
    "users": ("{email}",),
    "evidence": ("{filename}",),
    "supplier_contacts": ("{supplier_id}", "{name}"),
    "api_tokens": ("{user_id}", "{name}"),
    "targets": ("{agreement_id}", "{metric_id}", "{service_id}"),
    "links": ("{lower_id} → {upper_id}",),
    "measurements": ("{target_id}", "{period} r{revision}"),
    "change_records": ("{agreement_id} v{version}",),
    "reviews": ("{agreement_id}", "{held_on}"),
    "disputes": ("{agreement_id}", "#{id}"),
    "dispute_messages": ("{dispute_id}", "{at}"),
    "improvement_actions": ("{agreement_id}", "{title}"),
}
# The column a person types to find a row of these tables.
NAMED_BY = {
    "agreements": "ref",
    "suppliers": "code",
    "customers": "code",
    "services": "code",
    "metrics": "code",
    "users": "email",
    "evidence": "filename",
}
# What belongs to what: the history of an agreement takes in its targets, their links and
# figures, its change records, reviews, disputes and actions.
PARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "agreements": (
        ("targets", "agreement_id"),
        ("change_records", "agreement_id"),
        ("reviews", "agreement_id"),
        ("disputes", "agreement_id"),
        ("improvement_actions", "agreement_id"),
    ),
    "targets": (
        ("links", "upper_id"),
        ("links", "lower_id"),
        ("measurements", "target_id"),
        ("improvement_actions", "target_id"),
    ),
    "disputes": (("dispute_messages", "dispute_id"),),
    "suppliers": (("supplier_contacts", "supplier_id"),),
    "users": (("api_tokens", "user_id"),),
}
MAX_DEPTH = 4  # measurement → target → agreement: parents never nest deeper than this


def references(table: str) -> dict[str, str]:
    """Foreign-key columns of ``table`` and the table each points to."""
    return {fk.parent.name: fk.column.table.name for fk in METADATA.tables[table].foreign_keys}


def is_timestamp(table: str, column: str) -> bool:
    columns = METADATA.tables[table].columns if table in METADATA.tables else {}
    return column in columns and isinstance(columns[column].type, DateTime)


def show_timestamp(value: object) -> str:
    """``2026-03-01T12:46:07.254224`` → ``2026-03-01 12:46:07``."""
    return str(value)[:19].replace("T", " ")


def _names(part: str) -> list[str]:
    return [name for _, name, _, _ in Formatter().parse(part) if name]


def key_fields(table: str) -> tuple[str, ...]:
    """The columns ``table``'s key is made of."""
    return tuple(sorted({name for part in KEY_FORMATS[table] for name in _names(part)}))


def _plain(value: Any) -> Any:
    """A column value as the log records it (see portal.audit), so both sources read alike."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _grouped(refs: Iterable[Ref]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for table, entity_id in sorted(set(refs)):
        groups[table].append(entity_id)
    return groups


def _numbers(ids: Iterable[str]) -> list[int]:
    return [int(entity_id) for entity_id in ids if entity_id.isdigit()]


class KeyBook:
    """Keys of audited rows; ``load`` reads what a set of rows needs, ``key`` names one."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[Ref, Row] = {}
        self._looked_up: set[Ref] = set()
        self._keys: dict[Ref, str | None] = {}

    def parents(self, table: str, row: Row) -> set[Ref]:
        """The rows whose keys ``row``'s key is made of."""
        pointing = references(table)
        return {
            (pointing[name], str(row[name]))
            for name in key_fields(table)
            if name in pointing and row.get(name) is not None
        }

    def load(self, wanted: Iterable[Ref]) -> None:
        pending = {ref for ref in wanted if ref[0] in KEY_FORMATS} - self._looked_up
        self._keys.clear()
        for _ in range(MAX_DEPTH):
            if not pending:
                return
            self._looked_up |= pending
            self._read_tables(pending)
            self._read_log({ref for ref in pending if ref not in self._rows})
            found = (ref for ref in pending if ref in self._rows)
            pending = {
                parent for ref in found for parent in self.parents(ref[0], self._rows[ref])
            } - self._looked_up

    def _read_tables(self, refs: set[Ref]) -> None:
        for table_name, ids in _grouped(refs).items():
            table = METADATA.tables[table_name]
            columns = [table.c[name] for name in key_fields(table_name) if name != "id"]
            statement = select(table.c.id, *columns).where(table.c.id.in_(_numbers(ids)))
            for row in self.session.execute(statement).mappings():
                self._rows[(table_name, str(row["id"]))] = {
                    name: _plain(value) for name, value in row.items()
                }

    def _read_log(self, refs: set[Ref]) -> None:
        """Deleted rows, as the log recorded them: at their deletion, or else at creation."""
        if not refs:
            return
        statement = (
            select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action, AuditEntry.changes)
            .where(AuditEntry.action.in_(("insert", "delete")), _condition(refs))
            .order_by(AuditEntry.seq)
        )
        for table, entity_id, action, changes in self.session.execute(statement):
            side = 0 if action == "delete" else 1
            state = {name: values[side] for name, values in changes.items()}
            self._rows[(table, entity_id)] = {"id": entity_id, **state}

    def key(self, table: str, entity_id: str) -> str | None:
        ref = (table, entity_id)
        if ref not in self._keys:
            row = self._rows.get(ref)
            self._keys[ref] = self.key_of_row(table, row) if row is not None else None
        return self._keys[ref]

    def key_of_row(self, table: str, row: Row) -> str | None:
        """The key of ``row`` (a mapping of column values) of ``table``."""
        if table not in KEY_FORMATS:
            return None
        pointing = references(table)
        parts = []
        for part in KEY_FORMATS[table]:
            texts = {
                name: self._text(table, name, row.get(name), pointing) for name in _names(part)
            }
            if any(text is not None for text in texts.values()):
                parts.append(part.format(**{name: text or "" for name, text in texts.items()}))
        return SEPARATOR.join(parts) or None

    def _text(self, table: str, name: str, value: Any, pointing: dict[str, str]) -> str | None:
        if value is None or value == "":
            return None
        if name in pointing:
            return self.key(pointing[name], str(value)) or f"#{value}"
        if is_timestamp(table, name):
            return show_timestamp(value)[:16]
        return str(value)


def _condition(refs: Iterable[Ref]) -> ColumnElement[bool]:
    groups = _grouped(refs)
    if not groups:
        return false()
    return or_(
        *(
            and_(AuditEntry.entity == table, AuditEntry.entity_id.in_(ids))
            for table, ids in groups.items()
        )
    )


def normalise(text: str) -> str:
    """Keys compared as people type them: any case, any spacing around the separators."""
    text = re.sub(r"\s*·\s*", SEPARATOR, text.strip())
    text = re.sub(r"\s*→\s*", " → ", text)
    return re.sub(r"\s+", " ", text).lower()


@dataclass(frozen=True)
class Found:
    """The rows a key filter matches; ``key`` is the key to show when it was given by id."""

    rows: frozenset[Ref]
    key: str | None = None

    def condition(self) -> ColumnElement[bool]:
        return _condition(self.rows)


def _named(session: Session, name: str) -> set[Ref]:
    """Rows that bear (or bore, before a rename or deletion) ``name`` as their key."""
    conditions = [
        and_(
            AuditEntry.entity == table,
            or_(
                *(
                    func.lower(AuditEntry.changes[(column, side)].as_string()) == name
                    for side in (0, 1)
                )
            ),
        )
        for table, column in NAMED_BY.items()
    ]
    statement = select(AuditEntry.entity, AuditEntry.entity_id).where(or_(*conditions))
    return {(table, entity_id) for table, entity_id in session.execute(statement.distinct())}


def with_parts(session: Session, roots: set[Ref]) -> set[Ref]:
    """``roots`` and everything that belongs to them, created before or since deleted."""
    found, level = set(roots), set(roots)
    for _ in range(MAX_DEPTH):
        conditions = [
            and_(
                AuditEntry.entity == part,
                AuditEntry.changes[(column, 1)].as_integer().in_(_numbers(ids)),
            )
            for table, ids in _grouped(level).items()
            for part, column in PARTS.get(table, ())
        ]
        if not conditions:
            break
        statement = select(AuditEntry.entity, AuditEntry.entity_id).where(
            AuditEntry.action == "insert", or_(*conditions)
        )
        level = {(table, entity_id) for table, entity_id in session.execute(statement)} - found
        found |= level
    return found


def find(session: Session, text: str, entity: str | None = None) -> Found:
    """The rows the key filter ``text`` names, with all their parts.

    ``text`` is a key as the log page shows it (``UC-ZTE-NET``, ``UC-ZTE-NET · AVAIL · NET``,
    an e-mail address) in any case; or, with ``entity`` given, a row's number (``14``,
    ``#14``), which the History links of pages that know only the id use.
    """
    wanted = normalise(text)
    head = wanted.split(SEPARATOR)[0]
    roots = _named(session, head)
    number = wanted.removeprefix("#")
    if not roots and entity in KEY_FORMATS and number.isdigit():
        book = KeyBook(session)
        book.load({(entity, number)})
        return Found(frozenset(with_parts(session, {(entity, number)})), book.key(entity, number))
    family = with_parts(session, roots)
    if wanted == head:
        return Found(frozenset(family))
    book = KeyBook(session)
    book.load(family)
    matched = {ref for ref in family if normalise(book.key(*ref) or "") == wanted}
    return Found(frozenset(with_parts(session, matched)))
