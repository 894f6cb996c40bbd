"""The audit log in the domain's words: entity and field labels, values as people read them.

An entry stores table and column names, internal ids and raw values ("agreement_id": 14,
"auto_renew": false). Here they become "Agreement UC-ZTE-NET", "Renews automatically: No",
with every foreign key shown as the key of the row it points to (see portal.audit_keys).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, Numeric
from sqlalchemy.orm import Session

from contracts.governance import DISPUTE_STATUS_LABELS
from portal.agreement_forms import CONTENT_LABELS, KIND_LABELS, STATUS_LABELS
from portal.audit import REDACTED_FIELDS
from portal.audit_keys import (
    KEY_FORMATS,
    METADATA,
    KeyBook,
    Ref,
    is_timestamp,
    key_fields,
    references,
    show_timestamp,
)
from portal.forms import ROLE_LABELS
from portal.governance_forms import (
    ACTION_SOURCE_LABELS,
    ACTION_STATUS_LABELS,
    REVIEW_OUTCOME_LABELS,
)
from portal.models import AuditEntry
from portal.registers.common import LABELS

ENTITY_LABELS = {
    "agreements": _l("Agreement"),
    "targets": _l("Target"),
    "links": _l("Link"),
    "measurements": _l("Monthly figure"),
    "evidence": _l("Evidence"),
    "suppliers": _l("Supplier"),
    "supplier_contacts": _l("Contact"),
    "customers": _l("Customer"),
    "services": _l("Service"),
    "metrics": _l("Metric"),
    "users": _l("User"),
    "api_tokens": _l("API token"),
    "change_records": _l("Change record"),
    "reviews": _l("Review"),
    "disputes": _l("Dispute"),
    "dispute_messages": _l("Dispute reply"),
    "improvement_actions": _l("Improvement action"),
}

FIELD_LABELS = {
    "ref": _l("Reference"),
    "code": _l("Code"),
    "name": _l("Name"),
    "title": _l("Title"),
    "kind": _l("Kind"),
    "category": _l("Category"),
    "owner_id": _l("Owner"),
    "notes": _l("Notes"),
    "unit": _l("Unit"),
    "direction": _l("Direction"),
    "composition": _l("Composition"),
    "description": _l("Description"),
    "min_value": _l("Lowest sane value"),
    "max_value": _l("Highest sane value"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "position": _l("Position in the list"),
    "role": _l("Role"),
    "active": _l("Active"),
    "language": _l("Language"),
    "session_version": _l("Sign-in version"),
    "password_hash": _l("Password"),
    "created_at": _l("Created at"),
    "last_login_at": _l("Last login"),
    "user_id": _l("User"),
    "token_hash": _l("Token"),
    "prefix": _l("Token prefix"),
    "last_used_at": _l("Last used"),
    "revoked_at": _l("Revoked"),
    "customer_id": _l("Customer"),
    "supplier_id": _l("Supplier"),
    "parent_id": _l("Parent agreement"),
    "status": _l("Status"),
    "start": _l("Start"),
    "end": _l("End"),
    "notice_days": _l("Notice period (days)"),
    "auto_renew": _l("Renews automatically"),
    "renewal_months": _l("Renewal term (months)"),
    "review_months": _l("Review interval (months)"),
    "version": _l("Version"),
    "monthly_charge": _l("Monthly charge"),
    "currency": _l("Currency"),
    "credit_cap_pct": _l("Credit cap (percentage of the monthly charge)"),
    **CONTENT_LABELS,
    "services": _l("Services in scope"),
    "agreement_id": _l("Agreement"),
    "metric_id": _l("Metric"),
    "service_id": _l("Service"),
    "target": _l("Target value"),
    "weight": _l("Weight"),
    "credit_pct": _l("Service credit (percentage of the monthly charge)"),
    "upper_id": _l("Underpins"),
    "lower_id": _l("Underpinned by"),
    "group": _l("Redundancy group"),
    "at": _l("When"),
    "author_id": _l("Author"),
    "reason": _l("Reason for the change"),
    "impact": _l("Impact assessment"),
    "approver": _l("Approved by"),
    "changes": _l("Changes"),
    "held_on": _l("Held on"),
    "outcome": _l("Outcome"),
    "reviewer_id": _l("Reviewer"),
    "raised_by_id": _l("Raised by"),
    "raised_on": _l("Raised on"),
    "resolution": _l("Resolution"),
    "closed_on": _l("Closed on"),
    "dispute_id": _l("Dispute"),
    "body": _l("Message"),
    "target_id": _l("Target"),
    "period": _l("Month"),
    "due_on": _l("Due on"),
    "source": _l("Source"),
    "revision": _l("Revision"),
    "value": _l("Value"),
    "comment": _l("Comment"),
    "reject_reason": _l("Reason for rejection"),
    "late": _l("Late"),
    "submitted_at": _l("Submitted at"),
    "submitted_by_id": _l("Submitted by"),
    "reviewed_at": _l("Reviewed at"),
    "reviewed_by_id": _l("Reviewed by"),
    "evidence_id": _l("Evidence"),
    "filename": _l("File name"),
    "content_type": _l("Content type"),
    "size": _l("Size (bytes)"),
    "sha256": _l("SHA-256"),
    "data": _l("File content"),
    "uploaded_at": _l("Uploaded at"),
    "uploaded_by_id": _l("Uploaded by"),
}
# Where one column name means something else in one table.
TABLE_FIELD_LABELS = {
    ("supplier_contacts", "role"): _l("Role at the supplier"),
    ("dispute_messages", "author_id"): _l("Written by"),
    ("change_records", "version"): _l("Agreement version"),
    ("change_records", "at"): _l("Recorded at"),
    ("dispute_messages", "at"): _l("Written at"),
}

MEASUREMENT_STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
}
# Language names are written in their own language, as in the header's switch.
LANGUAGE_NAMES = {"en": "English", "zh_Hans_CN": "简体中文"}
VALUE_LABELS: dict[tuple[str, str], Mapping[str, Any]] = {
    ("agreements", "kind"): KIND_LABELS,
    ("agreements", "status"): STATUS_LABELS,
    ("suppliers", "kind"): LABELS["kind"],
    ("suppliers", "category"): LABELS["category"],
    ("metrics", "direction"): LABELS["direction"],
    ("metrics", "composition"): LABELS["composition"],
    ("users", "role"): ROLE_LABELS,
    ("users", "language"): LANGUAGE_NAMES,
    ("measurements", "status"): MEASUREMENT_STATUS_LABELS,
    ("disputes", "status"): DISPUTE_STATUS_LABELS,
    ("reviews", "outcome"): REVIEW_OUTCOME_LABELS,
    ("improvement_actions", "status"): ACTION_STATUS_LABELS,
    ("improvement_actions", "source"): ACTION_SOURCE_LABELS,
}
ACTION_LABELS = {"insert": _l("created"), "update": _l("changed"), "delete": _l("deleted")}
SHORT = 40  # columns of a value in an entry's summary line (a Chinese character takes two)


def entity_label(table: str) -> str:
    return str(ENTITY_LABELS.get(table, table))


def field_label(table: str, column: str) -> str:
    label = TABLE_FIELD_LABELS.get((table, column)) or FIELD_LABELS.get(column)
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
        return str(ACTION_LABELS[self.entry.action])

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
        labels = VALUE_LABELS.get((table, column))
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
