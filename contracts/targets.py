"""Targets of an agreement: add, change, remove, under the agreement's change control."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from contracts.change_control import (
    ChangeRequest,
    FieldChange,
    plain,
    record_if_controlled,
    require_if_controlled,
)
from contracts.db import VALUE_DIGITS, WEIGHT_DIGITS
from contracts.errors import DomainError
from contracts.models import Agreement, Link, Metric, Service, Target
from contracts.values import InvalidValue, check_in_range, parse_decimal, parse_percentage

TARGET_FIELDS = ("target", "weight", "credit_pct")
# Read without importing scorecards: contracts depends on nothing above it.
_measurements = table("measurements", column("target_id"))


def _target_key(metric: Metric, service: Service) -> str:
    return f"{metric.code}/{service.code}"


def _service_of(agreement: Agreement, service: Service | None) -> Service:
    """The given service, or the agreement's only one."""
    if service is None:
        if len(agreement.services) == 1:
            return agreement.services[0]
        raise DomainError(
            _l(
                "Choose a service: %(ref)s covers %(count)d services.",
                ref=agreement.ref,
                count=len(agreement.services),
            ),
            "service",
        )
    if service not in agreement.services:
        raise DomainError(
            _l(
                "%(service)s is not among the services of %(ref)s.",
                service=service.code,
                ref=agreement.ref,
            ),
            "service",
        )
    return service


def _checked_values(
    metric: Metric, value: Decimal | None, weight: Decimal | None, credit_pct: Decimal | None
) -> tuple[Decimal, Decimal, Decimal]:
    if value is None:
        raise DomainError(_l("Give the target value."), "target")
    try:
        value = parse_decimal(value, VALUE_DIGITS)
        check_in_range(metric, value)
    except InvalidValue as error:
        raise DomainError(error.message, "target") from None
    if weight is None:
        weight = Decimal(1)
    try:
        weight = parse_decimal(weight, WEIGHT_DIGITS)
    except InvalidValue as error:
        raise DomainError(error.message, "weight") from None
    if weight <= 0:
        raise DomainError(_l("must be greater than 0"), "weight")
    try:
        credit_pct = parse_percentage(credit_pct if credit_pct is not None else Decimal(0))
    except InvalidValue as error:
        raise DomainError(error.message, "credit_pct") from None
    return value, weight, credit_pct


def add_target(
    session: Session,
    agreement: Agreement,
    metric: Metric | None,
    service: Service | None,
    value: Decimal | None,
    weight: Decimal | None = None,
    credit_pct: Decimal | None = None,
    *,
    actor: Any,
    change: ChangeRequest | None = None,
) -> Target:
    if metric is None:
        raise DomainError(_l("Choose a metric."), "metric")
    service = _service_of(agreement, service)
    value, weight, credit_pct = _checked_values(metric, value, weight, credit_pct)
    for existing in agreement.targets:
        if existing.metric_id == metric.id and existing.service_id == service.id:
            raise DomainError(
                _l(
                    "%(ref)s has a target %(key)s already.",
                    ref=agreement.ref,
                    key=_target_key(metric, service),
                ),
                "metric",
            )
    require_if_controlled(agreement, change)
    target = Target(
        agreement=agreement,
        metric=metric,
        service=service,
        target=value,
        weight=weight,
        credit_pct=credit_pct,
    )
    session.add(target)
    key = _target_key(metric, service)
    changes = [
        FieldChange("target", key, name, None, plain(getattr(target, name)))
        for name in TARGET_FIELDS
    ]
    record_if_controlled(session, agreement, changes, change, actor=actor)
    return target


def update_target(
    session: Session,
    target: Target,
    value: Decimal | None,
    weight: Decimal | None,
    credit_pct: Decimal | None,
    *,
    actor: Any,
    change: ChangeRequest | None = None,
) -> None:
    """Change a target's value, weight and credit (its metric and service identify it)."""
    value, weight, credit_pct = _checked_values(target.metric, value, weight, credit_pct)
    after = {"target": value, "weight": weight, "credit_pct": credit_pct}
    key = _target_key(target.metric, target.service)
    changes = [
        FieldChange("target", key, name, plain(getattr(target, name)), plain(after[name]))
        for name in TARGET_FIELDS
        if plain(getattr(target, name)) != plain(after[name])
    ]
    if changes:
        require_if_controlled(target.agreement, change)
    for name, new in after.items():
        setattr(target, name, new)
    record_if_controlled(session, target.agreement, changes, change, actor=actor)


def remove_target(
    session: Session, target: Target, *, actor: Any, change: ChangeRequest | None = None
) -> None:
    """Remove a target and its links; a target with submitted figures stays (they are evidence)."""
    figures = session.scalar(
        select(_measurements.c.target_id).where(_measurements.c.target_id == target.id).limit(1)
    )
    if figures is not None:
        raise DomainError(
            _l(
                "%(target)s has monthly figures; it cannot be removed. End the agreement instead.",
                target=target.label,
            ),
            None,
        )
    agreement = target.agreement
    require_if_controlled(agreement, change)
    key = _target_key(target.metric, target.service)
    changes = [
        FieldChange("target", key, name, plain(getattr(target, name)), None)
        for name in TARGET_FIELDS
    ]
    changes += [
        FieldChange("link", link.lower.label, "underpins", link_text(link), None)
        for link in [*target.underpins, *target.underpinned_by]
    ]
    agreement.targets.remove(target)
    session.delete(target)
    record_if_controlled(session, agreement, changes, change, actor=actor)


def link_text(link: Link) -> str:
    """How a change record writes a link: "UC-1 AVAIL/CRM underpins SLA-1 AVAIL/CRM (a)"."""
    text = f"{link.lower.label} → {link.upper.label}"
    return f"{text} [{link.group}]" if link.group else text
