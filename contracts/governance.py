"""Disputes and the service improvement plan: operations and queries (reviews: ``reviews``).

Operations validate, write and ``flush()``; they never commit (the caller commits once). Who may
call them is decided at the edge by ``portal.permissions.can``; the rules here are the ones
that hold whoever acts. ``actor`` is the acting user, or ``None`` for the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, select, true
from sqlalchemy.orm import Session

from contracts import clock, fields
from contracts.errors import DomainError, check_all
from contracts.models import (
    ACTION_SOURCES,
    ACTION_STATUSES,
    DISPUTE_STATUSES,
    Agreement,
    Dispute,
    DisputeMessage,
    ImprovementAction,
    Supplier,
    Target,
)

# Where a dispute may go from each status: reopening a resolved dispute is allowed, closing is
# final, and a dispute must be resolved (with its resolution) before it is closed.
DISPUTE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "resolved"),
    "in_progress": ("resolved",),
    "resolved": ("in_progress", "closed"),
    "closed": (),
}
NEEDS_RESOLUTION = frozenset({"resolved", "closed"})


# ── Disputes ─────────────────────────────────────────────────────────────────────────────────
def raise_dispute(
    session: Session,
    agreement: Agreement,
    title: str,
    description: str = "",
    *,
    actor: Any,
    today: date | None = None,
) -> Dispute:
    check_all(lambda: fields.title(title), lambda: fields.text(description, "description"))
    dispute = Dispute(
        agreement=agreement,
        title=fields.title(title),
        description=fields.text(description, "description"),
        status="open",
        raised_by=actor,
        raised_on=today or clock.today(),
    )
    session.add(dispute)
    session.flush()
    return dispute


def reply(session: Session, dispute: Dispute, body: str, *, actor: Any) -> DisputeMessage:
    if dispute.status == "closed":
        raise DomainError(_l("The dispute is closed; it takes no more replies."), "body")
    body = fields.text(body, "body")
    if not body:
        raise DomainError(_l("Write a reply."), "body")
    message = DisputeMessage(dispute=dispute, body=body, author=actor)
    session.add(message)
    session.flush()
    return message


def next_dispute_statuses(dispute: Dispute) -> tuple[str, ...]:
    return DISPUTE_TRANSITIONS.get(dispute.status, ())


def change_dispute_status(
    session: Session,
    dispute: Dispute,
    status: str,
    resolution: str = "",
    *,
    actor: Any,
    today: date | None = None,
) -> Dispute:
    """Move a dispute along its flow; resolving or closing needs the resolution."""

    def check_status() -> None:
        if status not in DISPUTE_STATUSES:
            raise DomainError(_l("Choose a status."), "status")
        if status not in next_dispute_statuses(dispute):
            raise DomainError(
                _l(
                    "A dispute cannot go from “%(current)s” to “%(status)s”.",
                    current=dispute.status,
                    status=status,
                ),
                "status",
            )

    def check_resolution() -> None:
        if status in NEEDS_RESOLUTION and not fields.text(resolution, "resolution"):
            raise DomainError(
                _l("Describe the resolution: a dispute is not resolved or closed without one."),
                "resolution",
            )

    check_all(check_status, check_resolution)
    resolution = fields.text(resolution, "resolution")
    dispute.status = status
    if resolution:
        dispute.resolution = resolution
    if status == "closed":
        dispute.closed_on = today or clock.today()
    session.flush()
    return dispute


def dispute_scope(supplier_id: int | None) -> ColumnElement[bool]:
    """Disputes a viewer sees (with ``Agreement`` joined): a supplier's staff see only those on
    the supplier's own agreements, never those on sub-contracts placed under them.
    """
    if supplier_id is None:
        return true()
    return Agreement.supplier_id == supplier_id


def disputes_query(
    scope: ColumnElement[bool],
    *,
    status: str | None = None,
    supplier_code: str | None = None,
    agreement_ref: str | None = None,
) -> Select[Any]:
    """Disputes within ``scope`` (see ``dispute_scope``); ``status`` may also be ``unresolved``
    (open or in progress).
    """
    statement = select(Dispute).join(Dispute.agreement).where(scope)
    if status == "unresolved":
        statement = statement.where(Dispute.is_open)
    elif status:
        statement = statement.where(Dispute.status == status)
    if supplier_code:
        statement = statement.where(Agreement.supplier.has(Supplier.code == supplier_code))
    if agreement_ref:
        statement = statement.where(Agreement.ref == agreement_ref)
    return statement


# ── Improvement actions ──────────────────────────────────────────────────────────────────────
@dataclass
class ActionInput:
    """What a person enters for an improvement action; ``agreement`` and ``target`` optional."""

    title: str
    owner: Any
    due_on: date | None
    description: str = ""
    agreement: Agreement | None = None
    target: Target | None = None
    period: str | None = None
    status: str = "open"
    source: str = "manual"


def create_action(session: Session, entry: ActionInput, *, actor: Any) -> ImprovementAction:
    action = ImprovementAction()
    _apply_action(action, entry)
    session.add(action)
    session.flush()
    return action


def update_action(
    session: Session, action: ImprovementAction, entry: ActionInput, *, actor: Any
) -> ImprovementAction:
    _apply_action(action, entry)
    session.flush()
    return action


def _apply_action(action: ImprovementAction, entry: ActionInput) -> None:
    """Validate everything first (every problem at once), then assign: a refused save leaves
    the action unchanged."""
    agreement, target = entry.agreement, entry.target
    if target is not None and agreement is None:
        agreement = target.agreement

    def check_target() -> None:
        if target is not None and agreement is not None and target.agreement_id != agreement.id:
            raise DomainError(
                _l(
                    "Target %(target)s is not one of %(ref)s's targets.",
                    target=target.label,
                    ref=agreement.ref,
                ),
                "target",
            )

    def check_owner() -> None:
        if entry.owner is None:
            raise DomainError(_l("Choose who owns the action."), "owner")
        # Someone who has left may stay the owner of an old action, but cannot be given a new one.
        new_owner = entry.owner is not action.owner
        if entry.owner.role == "supplier" or (new_owner and not entry.owner.active):
            raise DomainError(_l("The owner must be an active member of our own staff."), "owner")

    def check_choices() -> None:
        check_all(
            lambda: fields.required(
                entry.due_on, _l("Enter the date the action is due."), "due_on"
            ),
            lambda: fields.one_of(entry.status, ACTION_STATUSES, _l("Choose a status."), "status"),
            lambda: fields.one_of(
                entry.source, ACTION_SOURCES, _l("Choose where the action comes from."), "source"
            ),
        )

    check_all(
        lambda: fields.title(entry.title),
        lambda: fields.text(entry.description, "description"),
        check_target,
        lambda: fields.month(entry.period),
        check_owner,
        check_choices,
    )
    title, description = fields.title(entry.title), fields.text(entry.description, "description")
    period = fields.month(entry.period)
    action.title, action.description = title, description
    action.agreement, action.target, action.period = agreement, target, period
    action.owner, action.due_on = entry.owner, entry.due_on
    action.status, action.source = entry.status, entry.source


def is_overdue(action: ImprovementAction, today: date | None = None) -> bool:
    today = today or clock.today()
    return action.is_open and action.due_on is not None and action.due_on < today


def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(
        ImprovementAction.is_open,
        ImprovementAction.due_on.is_not(None),
        ImprovementAction.due_on < today,
    )


def plan_order(today: date) -> tuple[Any, ...]:
    """The improvement plan's natural order: overdue first, then pending, then the rest, each
    by due date (undated last).
    """
    attention = case(
        (overdue_condition(today), 0),
        (ImprovementAction.is_open, 1),
        else_=2,
    )
    return attention, ImprovementAction.due_on.is_(None), ImprovementAction.due_on


def actions_query(
    scope: ColumnElement[bool],
    *,
    status: str | None = None,
    owner_id: int | None = None,
    agreement_ref: str | None = None,
    source: str | None = None,
    today: date | None = None,
) -> Select[Any]:
    """The improvement plan. ``scope`` is an agreement condition; an action without an agreement
    is the provider's own and is listed only when ``scope`` is true for every agreement.
    ``status`` may also be ``overdue`` (open or in progress, past its due date).
    """
    statement = select(ImprovementAction).outerjoin(ImprovementAction.agreement)
    statement = statement.where(
        scope if _is_true(scope) else and_(ImprovementAction.agreement_id.is_not(None), scope)
    )
    if status == "overdue":
        statement = statement.where(overdue_condition(today or clock.today()))
    elif status == "pending":
        statement = statement.where(ImprovementAction.is_open)
    elif status:
        statement = statement.where(ImprovementAction.status == status)
    if owner_id is not None:
        statement = statement.where(ImprovementAction.owner_id == owner_id)
    if agreement_ref:
        statement = statement.where(Agreement.ref == agreement_ref)
    if source:
        statement = statement.where(ImprovementAction.source == source)
    return statement


def _is_true(condition: ColumnElement[bool]) -> bool:
    return condition.compare(true())
