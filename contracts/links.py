"""Links between targets: "target U (lower) underpins target S (upper)".

The rules (SPEC 2): U is on a supplier agreement; S is on a customer SLA, or on the parent of
U's sub-contract (flow-down); both use the same metric; no link twice, no cycle. A link belongs
to U's agreement: adding or removing one is a change of that agreement, under its change control.
``refusals`` is the pure part of the rules, shared with the portfolio import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from contracts.change_control import (
    ChangeRequest,
    FieldChange,
    record_if_controlled,
    require_if_controlled,
)
from contracts.errors import DomainError, check_all
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Link, Target
from contracts.targets import link_text

GROUP_LENGTH = 40
METRIC = "metric"
LOWER_NOT_SUPPLIER = "lower_not_supplier"
UPPER_OUT_OF_REACH = "upper_out_of_reach"


@dataclass(frozen=True)
class LinkEnd:
    """What the rules need of one end of a link, from the database or from a portfolio file."""

    agreement: str
    kind: str
    parent: str | None
    metric: str


def refusals(lower: LinkEnd, upper: LinkEnd) -> list[str]:
    """Why U (lower) may not underpin S (upper), in the order they are reported; [] if it may."""
    found = []
    if lower.metric != upper.metric:
        found.append(METRIC)
    if lower.kind not in SUPPLIER_AGREEMENT_KINDS:
        return [*found, LOWER_NOT_SUPPLIER]
    if upper.kind == "sla":
        return found
    if lower.kind == "subcontract" and upper.agreement == lower.parent:
        return found
    return [*found, UPPER_OUT_OF_REACH]


def _end(target: Target) -> LinkEnd:
    agreement = target.agreement
    parent = agreement.parent.ref if agreement.parent is not None else None
    return LinkEnd(agreement.ref, agreement.kind, parent, target.metric.code)


def _refusal_message(reason: str, lower: Target, upper: Target) -> Any:
    names = {"lower": lower.label, "upper": upper.label}
    if reason == METRIC:
        return _l(
            "%(lower)s cannot underpin %(upper)s: they measure different metrics "
            "(%(lower_metric)s and %(upper_metric)s).",
            lower_metric=lower.metric.code,
            upper_metric=upper.metric.code,
            **names,
        )
    if reason == LOWER_NOT_SUPPLIER:
        return _l(
            "%(lower)s cannot underpin %(upper)s: only targets of underpinning contracts, "
            "OLAs and sub-contracts underpin other targets.",
            **names,
        )
    return _l(
        "%(lower)s cannot underpin %(upper)s: a supplier target underpins a customer SLA "
        "target, or a target of its sub-contract's parent agreement.",
        **names,
    )


def _reaches(session: Session, start: Target, goal: Target) -> bool:
    """Whether following links upwards from ``start`` arrives at ``goal``."""
    seen: set[int] = set()
    frontier = {start.id}
    while frontier:
        if goal.id in frontier:
            return True
        seen |= frontier
        frontier = (
            set(session.scalars(select(Link.upper_id).where(Link.lower_id.in_(frontier)))) - seen
        )
    return False


def _check_link(session: Session, upper: Target, lower: Target) -> None:
    names = {"lower": lower.label, "upper": upper.label}
    if upper.id == lower.id or _reaches(session, upper, lower):
        raise DomainError(
            _l("%(lower)s cannot underpin %(upper)s: the link would make a cycle.", **names),
            "upper",
        )
    duplicate = session.scalar(
        select(Link.id).where(Link.upper_id == upper.id, Link.lower_id == lower.id)
    )
    if duplicate is not None:
        raise DomainError(_l("%(lower)s underpins %(upper)s already.", **names), "upper")
    found = refusals(_end(lower), _end(upper))
    if found:
        raise DomainError(_refusal_message(found[0], lower, upper), "upper")


def _group_label(group: str | None) -> str | None:
    label = (group or "").strip()
    if len(label) > GROUP_LENGTH:
        raise DomainError(_l("must be at most %(count)d characters", count=GROUP_LENGTH), "group")
    return label or None


def link_targets(
    session: Session,
    upper: Target,
    lower: Target,
    group: str | None = None,
    *,
    actor: Any,
    change: ChangeRequest | None = None,
) -> Link:
    """Record that ``lower`` underpins ``upper``; ``group`` marks redundant (parallel) links."""
    labels: list[str | None] = []
    check_all(  # every problem at once
        lambda: labels.append(_group_label(group)),
        lambda: _check_link(session, upper, lower),
        lambda: require_if_controlled(lower.agreement, change),
    )
    link = Link(upper=upper, lower=lower, group=labels[0])
    session.add(link)
    changes = [FieldChange("link", lower.label, "underpins", None, link_text(link))]
    record_if_controlled(session, lower.agreement, changes, change, actor=actor)
    return link


def unlink(
    session: Session, link: Link, *, actor: Any, change: ChangeRequest | None = None
) -> None:
    agreement = link.lower.agreement
    require_if_controlled(agreement, change)
    changes = [FieldChange("link", link.lower.label, "underpins", link_text(link), None)]
    lower, upper = link.lower, link.upper
    session.delete(link)
    session.flush()
    session.expire(lower, ["underpins"])
    session.expire(upper, ["underpinned_by"])
    record_if_controlled(session, agreement, changes, change, actor=actor)


def upper_candidates(session: Session, lower: Target) -> list[Target]:
    """Targets ``lower`` may underpin: customer SLA targets of its metric, or its parent's."""
    agreement = lower.agreement
    reach = Agreement.kind == "sla"
    if agreement.kind == "subcontract" and agreement.parent_id is not None:
        reach = or_(reach, Agreement.id == agreement.parent_id)
    linked = select(Link.upper_id).where(Link.lower_id == lower.id)
    statement = (
        select(Target)
        .join(Target.agreement)
        .options(joinedload(Target.agreement), joinedload(Target.service))
        .where(
            reach,
            Target.metric_id == lower.metric_id,
            Target.id.not_in(linked),
            Agreement.status.not_in(("expired", "terminated")),
        )
        .order_by(Agreement.ref, Target.id)
    )
    return list(session.scalars(statement))
