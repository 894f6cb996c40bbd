"""Change control (ISO/IEC 20000-1 8.2.3.4): approved changes to agreements in force.

A change to an ``active`` or ``under_review`` agreement, its targets or its links needs a
``ChangeRequest`` (reason, impact assessment, approver); saving it bumps the agreement's version
and stores a ``ChangeRecord`` listing each field before and after. Drafts change freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from contracts.errors import DomainError, check_all
from contracts.models import Agreement, ChangeRecord
from contracts.values import format_decimal

APPROVER_LENGTH = 200


@dataclass(frozen=True)
class ChangeRequest:
    reason: str = ""
    impact: str = ""
    approver: str = ""


@dataclass(frozen=True)
class FieldChange:
    """One field of one entity, before and after (``None``: absent)."""

    entity: str  # "agreement", "target" or "link"
    key: str
    field: str
    before: str | None
    after: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "key": self.key,
            "field": self.field,
            "before": self.before,
            "after": self.after,
        }


def is_controlled(agreement: Agreement) -> bool:
    return agreement.in_force  # an agreement in force changes only under change control


def plain(value: object) -> str | None:
    """How a value is written in a change record: stable text, never a float."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def check_request(change: ChangeRequest | None) -> ChangeRequest:
    """The request, or a refusal naming every missing field."""
    change = change or ChangeRequest()

    def reason() -> None:
        if not change.reason.strip():
            raise DomainError(_l("Give the reason for this change."), "reason")

    def impact() -> None:
        if not change.impact.strip():
            raise DomainError(_l("Give the impact assessment of this change."), "impact")

    def approver() -> None:
        if not change.approver.strip():
            raise DomainError(_l("Name who approved this change."), "approver")
        if len(change.approver.strip()) > APPROVER_LENGTH:
            raise DomainError(
                _l("must be at most %(count)d characters", count=APPROVER_LENGTH), "approver"
            )

    check_all(reason, impact, approver)
    return change


def require_if_controlled(
    agreement: Agreement, change: ChangeRequest | None
) -> ChangeRequest | None:
    """Checked before anything is written: a controlled agreement needs a complete request."""
    return check_request(change) if is_controlled(agreement) else None


def record(
    session: Session,
    agreement: Agreement,
    changes: list[FieldChange],
    change: ChangeRequest,
    *,
    actor: Any,
    bump: bool = True,
) -> ChangeRecord:
    """Store the change record; ``bump`` moves the agreement to its next version."""
    if bump:
        agreement.version += 1
    change_record = ChangeRecord(
        agreement=agreement,
        version=agreement.version,
        reason=change.reason.strip(),
        impact=change.impact.strip(),
        approver=change.approver.strip(),
        author_id=getattr(actor, "id", None),
        changes=[item.as_json() for item in changes],
    )
    session.add(change_record)
    session.flush()
    return change_record


def record_if_controlled(
    session: Session,
    agreement: Agreement,
    changes: list[FieldChange],
    change: ChangeRequest | None,
    *,
    actor: Any,
) -> ChangeRecord | None:
    """After a write: a record (and a new version) for a controlled agreement, else nothing."""
    if not changes or not is_controlled(agreement):
        session.flush()
        return None
    return record(session, agreement, changes, check_request(change), actor=actor)
