"""The one place that decides what a user may see and change.

Views, the API, the CLI and templates all ask ``can(user, permission, obj)``; list queries
are scoped through ``agreement_scope(user)`` / ``supplier_scope(user)``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, false

from contracts import queries
from contracts.models import (
    Agreement,
    ApiToken,
    Customer,
    Dispute,
    DisputeMessage,
    ImprovementAction,
    Link,
    Metric,
    Review,
    Service,
    Supplier,
    SupplierContact,
    Target,
    User,
)
from scorecards.models import Measurement
from scorecards.scorecard import Scorecard

STAFF = ("admin", "vendor_manager", "procurement", "auditor")
EVERYONE = (*STAFF, "supplier")

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "view_contracts": EVERYONE,
    "view_chain": STAFF,  # the chain spans every supplier's agreements
    # The provider's own customers, their SLAs, and the customer commitments a supplier's
    # misses put at risk (a scorecard's customer impact): never a supplier's business.
    "view_customers": STAFF,
    # Renewal packs and renewal recommendations: the provider's internal judgement, made
    # before it negotiates with the supplier.
    "view_renewals": STAFF,
    "edit_contracts": ("admin", "vendor_manager"),
    "view_scorecards": EVERYONE,
    "submit_measurements": ("admin", "supplier"),
    "review_measurements": ("admin", "vendor_manager"),
    "view_disputes": EVERYONE,
    "reply_dispute": ("admin", "vendor_manager", "supplier"),
    "manage_disputes": ("admin", "vendor_manager"),
    "view_audit": ("admin", "auditor"),
    "manage_users": ("admin",),
    "manage_tokens": ("admin",),
    "own_tokens": EVERYONE,
}

# Permissions that change data: a supplier's user may use them only on its own agreements,
# never on the sub-contracts placed under them.
WRITES = frozenset(
    {
        "edit_contracts",
        "submit_measurements",
        "review_measurements",
        "reply_dispute",
        "manage_disputes",
        "manage_users",
        "manage_tokens",
        "own_tokens",
    }
)


REFERENCE_DATA = (Metric, Customer, Service)


def _agreement_of(obj: Any) -> Agreement | None:
    if isinstance(obj, Agreement):
        return obj
    if isinstance(obj, Target | Dispute | Review | ImprovementAction):
        return obj.agreement
    if isinstance(obj, Measurement):
        return obj.target.agreement
    if isinstance(obj, DisputeMessage):
        return obj.dispute.agreement
    return None


def _supplier_reaches(user: User, obj: Any, write: bool) -> bool:
    supplier_id = user.supplier_id
    if isinstance(obj, Supplier):
        return obj.id == supplier_id
    if isinstance(obj, SupplierContact):
        return obj.supplier_id == supplier_id
    if isinstance(obj, User):
        return obj.id == user.id
    if isinstance(obj, ApiToken):
        return obj.user_id == user.id
    if isinstance(obj, REFERENCE_DATA):
        return not write  # readable, never writable
    agreement = _agreement_of(obj)
    if agreement is None:
        # A plan entry on no agreement, the audit log, anything not listed here: the
        # provider's own business.
        return False
    if agreement.supplier_id == supplier_id:
        return True
    if isinstance(obj, Dispute | DisputeMessage):
        return False  # disputes on its own agreements only
    parent = agreement.parent
    return not write and parent is not None and parent.supplier_id == supplier_id


def can(user: Any, permission: str, obj: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.role not in PERMISSIONS[permission]:
        return False
    if obj is None or user.role != "supplier":
        return True
    return _supplier_reaches(user, obj, permission in WRITES)


def supplier_binding(user: User) -> int | None:
    """The supplier a user's view is confined to (``None``: the provider's staff)."""
    return user.supplier_id if user.role == "supplier" else None


def agreement_scope(user: User) -> ColumnElement[bool]:
    if not user.active:
        return false()
    return queries.agreement_scope(supplier_binding(user))


def supplier_scope(user: User) -> ColumnElement[bool]:
    if not user.active:
        return false()
    return queries.supplier_scope(supplier_binding(user))


def visible_scorecard(user: Any, card: Scorecard) -> Scorecard:
    """The scorecard as ``user`` may see it: without the customer impact unless the user may
    see customers, and without the renewal recommendations unless the user may see renewals.

    Every edge (page, JSON, API, PDF) shows a scorecard through this function; the figures,
    scores and credits are the supplier's own and stay.
    """
    customers, renewals = can(user, "view_customers"), can(user, "view_renewals")
    if customers and renewals:
        return card
    agreements = card.agreements
    if not renewals:
        agreements = [
            replace(agreement, recommendation=None, term_score=None) for agreement in agreements
        ]
    return replace(card, agreements=agreements, impact=card.impact if customers else [])


def visible_underpins(user: Any, target: Target) -> tuple[list[Link], int]:
    """The links from ``target`` up to targets of agreements ``user`` may open, and how many
    other links there are: those are counted, never named (as on the agreement page)."""
    shown = [link for link in target.underpins if can(user, "view_contracts", link.upper.agreement)]
    return shown, len(target.underpins) - len(shown)
