"""Agreements: create, change (under change control), move through their statuses, completeness.

Plain domain code: every operation takes a session and the acting user, validates, writes and
flushes, and never commits. A refusal is a ``DomainError`` naming the field it concerns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from contracts.agreement_checks import check_terms
from contracts.change_control import (
    ChangeRequest,
    FieldChange,
    check_request,
    plain,
    record,
    record_if_controlled,
    require_if_controlled,
)
from contracts.errors import DomainError, check_all
from contracts.models import (
    AGREEMENT_KINDS,
    CONTRACT_CONTENTS,
    SUPPLIER_AGREEMENT_KINDS,
    Agreement,
    ChangeRecord,
    Customer,
    Service,
    Supplier,
)

# Where each status may move next (SPEC 2; anything else is refused).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("active", "terminated"),
    "active": ("under_review", "expired", "terminated"),
    "under_review": ("active", "expired", "terminated"),
    "expired": (),
    "terminated": (),
}
REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")


@dataclass
class AgreementTerms:
    """Everything of an agreement that its form edits (ref and kind are fixed at creation)."""

    title: str
    start: date
    end: date
    customer: Customer | None = None
    supplier: Supplier | None = None
    parent: Agreement | None = None
    owner: Any = None
    notice_days: int = 0
    auto_renew: bool = False
    renewal_months: int | None = None
    review_months: int | None = None
    services: list[Service] = field(default_factory=list)
    monthly_charge: Decimal = Decimal(0)
    currency: str = "USD"
    credit_cap_pct: Decimal | None = None
    contents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementTerms:
        """The agreement's terms as they stand (a starting point for a change)."""
        return cls(
            title=agreement.title,
            start=agreement.start,
            end=agreement.end,
            customer=agreement.customer,
            supplier=agreement.supplier,
            parent=agreement.parent,
            owner=agreement.owner,
            notice_days=agreement.notice_days,
            auto_renew=agreement.auto_renew,
            renewal_months=agreement.renewal_months,
            review_months=agreement.review_months,
            services=list(agreement.services),
            monthly_charge=agreement.monthly_charge,
            currency=agreement.currency,
            credit_cap_pct=agreement.credit_cap_pct,
            contents={name: getattr(agreement, name) for name in CONTRACT_CONTENTS},
        )


# Creating and changing ------------------------------------------------------------------------


def create_agreement(
    session: Session, ref: str, kind: str, terms: AgreementTerms, *, actor: Any
) -> Agreement:
    """A new agreement, always a draft at version 1."""
    ref = (ref or "").strip()

    def check_ref() -> None:
        if not REF_PATTERN.fullmatch(ref) or ref.lower() == "new":
            raise DomainError(
                _l(
                    "Use 1 to 60 letters, digits, dots, dashes or underscores, such as "
                    "UC-ACME-2026."
                ),
                "ref",
            )
        if session.scalar(select(Agreement.id).where(Agreement.ref == ref)) is not None:
            raise DomainError(_l("An agreement %(ref)s exists already.", ref=ref), "ref")

    def check_kind() -> None:
        if kind not in AGREEMENT_KINDS:
            raise DomainError(_l("Choose the kind of agreement."), "kind")

    check_all(
        check_ref,
        check_kind,
        lambda: check_terms(kind, terms, None) if kind in AGREEMENT_KINDS else None,
    )
    agreement = Agreement(ref=ref, kind=kind, status="draft", version=1)
    _write_terms(agreement, terms)
    session.add(agreement)
    session.flush()
    return agreement


def update_agreement(
    session: Session,
    agreement: Agreement,
    terms: AgreementTerms,
    *,
    actor: Any,
    change: ChangeRequest | None = None,
) -> ChangeRecord | None:
    """Change the agreement's terms; on an agreement in force, only with a change request."""
    check_all(
        lambda: check_terms(agreement.kind, terms, agreement),
        # an unchanged save of an agreement in force needs no change request
        lambda: (
            require_if_controlled(agreement, change) if _differences(agreement, terms) else None
        ),
    )
    changes = _differences(agreement, terms)
    _write_terms(agreement, terms)
    return record_if_controlled(session, agreement, changes, change, actor=actor)


def change_status(
    session: Session, agreement: Agreement, status: str, *, actor: Any, change: ChangeRequest | None
) -> ChangeRecord:
    """Move along TRANSITIONS; every move is recorded (leaving draft keeps version 1)."""
    allowed = TRANSITIONS.get(agreement.status, ())
    if status not in allowed:
        raise DomainError(
            _l(
                "%(ref)s cannot move from %(before)s to %(after)s.",
                ref=agreement.ref,
                before=agreement.status,
                after=status,
            ),
            "status",
        )
    change = check_request(change)
    moved = FieldChange("agreement", agreement.ref, "status", agreement.status, status)
    leaving_draft = agreement.status == "draft"
    agreement.status = status
    return record(session, agreement, [moved], change, actor=actor, bump=not leaving_draft)


# Writing and comparing ------------------------------------------------------------------------


def _party_code(party: Customer | Supplier | None) -> str | None:
    return party.code if party is not None else None


def _compared(terms: AgreementTerms) -> dict[str, str | None]:
    """Each field as a change record writes it."""
    values: dict[str, object] = {
        "title": terms.title.strip(),
        "customer": _party_code(terms.customer),
        "supplier": _party_code(terms.supplier),
        "parent": terms.parent.ref if terms.parent is not None else None,
        "owner": getattr(terms.owner, "email", None),
        "start": terms.start,
        "end": terms.end,
        "notice_days": terms.notice_days,
        "auto_renew": bool(terms.auto_renew),
        "renewal_months": terms.renewal_months,
        "review_months": terms.review_months,
        "services": sorted(service.code for service in terms.services),
        "monthly_charge": terms.monthly_charge,
        "currency": terms.currency,
        "credit_cap_pct": terms.credit_cap_pct,
    }
    for name in CONTRACT_CONTENTS:
        values[name] = (terms.contents.get(name) or "").strip()
    return {name: plain(value) for name, value in values.items()}


def _differences(agreement: Agreement, terms: AgreementTerms) -> list[FieldChange]:
    before = _compared(AgreementTerms.of(agreement))
    after = _compared(terms)
    return [
        FieldChange("agreement", agreement.ref, name, before[name], after[name])
        for name in after
        if before[name] != after[name]
    ]


def _write_terms(agreement: Agreement, terms: AgreementTerms) -> None:
    agreement.title = terms.title.strip()
    agreement.customer = terms.customer
    agreement.supplier = terms.supplier
    agreement.parent = terms.parent
    agreement.owner = terms.owner
    agreement.start = terms.start
    agreement.end = terms.end
    agreement.notice_days = terms.notice_days
    agreement.auto_renew = bool(terms.auto_renew)
    agreement.renewal_months = terms.renewal_months
    agreement.review_months = terms.review_months
    agreement.services = sorted(terms.services, key=lambda service: service.code)
    agreement.monthly_charge = terms.monthly_charge
    agreement.currency = terms.currency
    agreement.credit_cap_pct = terms.credit_cap_pct
    for name in CONTRACT_CONTENTS:
        setattr(agreement, name, (terms.contents.get(name) or "").strip())


# Term, reviews and completeness ---------------------------------------------------------------


def notice_deadline(agreement: Agreement) -> date:
    """The last day on which notice can be given to end the agreement at its end date."""
    return agreement.end - timedelta(days=agreement.notice_days)


DUE_DATES = {"notice": notice_deadline, "expiry": lambda agreement: agreement.end}


def upcoming(
    agreements: list[Agreement], which: str, today: date, days: int
) -> list[tuple[Agreement, date]]:
    """The agreements whose notice deadline (``which="notice"``) or end (``"expiry"``) falls in
    the next ``days`` days, soonest first."""
    day_of = DUE_DATES[which]
    horizon = today + timedelta(days=days)
    dated = ((agreement, day_of(agreement)) for agreement in agreements)
    return sorted(
        ((a, day) for a, day in dated if today <= day <= horizon), key=lambda r: (r[1], r[0].ref)
    )


def allowed_statuses(agreement: Agreement) -> tuple[str, ...]:
    return TRANSITIONS.get(agreement.status, ())


def missing_contents(agreement: Agreement) -> list[str]:
    """The ISO/IEC 20000-1 contents still empty (only supplier agreements must state them)."""
    if agreement.kind not in SUPPLIER_AGREEMENT_KINDS:
        return []
    return [name for name in CONTRACT_CONTENTS if not (getattr(agreement, name) or "").strip()]


def incomplete() -> ColumnElement[bool]:
    """SQL: a supplier agreement with at least one of the contract contents empty."""
    return and_(
        Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS),
        or_(*(getattr(Agreement, name) == "" for name in CONTRACT_CONTENTS)),
    )


def incomplete_active_agreements(session: Session, owner_id: int | None = None) -> list[Agreement]:
    """Active supplier agreements whose contents are incomplete, by owner, for their owners."""
    statement = select(Agreement).where(Agreement.status == "active", incomplete())
    if owner_id is not None:
        statement = statement.where(Agreement.owner_id == owner_id)
    return list(session.scalars(statement.order_by(Agreement.owner_id, Agreement.ref)))
