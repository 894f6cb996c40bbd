"""The supply chain behind the customer SLAs: loaded in two queries, drawn as trees, and
recomputed for a what-if.

``load_chain`` reads every target and every link at once (a fixed handful of SQL statements,
whatever the portfolio's size); everything after that is plain Python over the loaded values
and reuses the rules of ``contracts.alignment``. ``build_trees`` gives, for each customer SLA
target, the tree of what underpins it down through lead contracts to their sub-contracts
(flow-down), guarding against cycles (``contracts.chain_trees``). ``what_if`` recomputes the
alignment with other target values and reports what would change; nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.alignment import AlignmentItem, LinkInfo, TargetInfo, align
from contracts.models import Agreement, Customer, Link, Metric, Service, Supplier, Target

STATUS_ORDER = {"gap": 0, "not_underpinned": 1, "aligned": 2}

ItemKey = tuple[str, str, str]


@dataclass(frozen=True)
class ChainTarget:
    """A target with what the picture shows of it (party, names, unit, sane range)."""

    info: TargetInfo
    title: str
    agreement_status: str
    party_code: str
    party_name: str
    parent_ref: str | None
    metric_name: str
    unit: str
    service_name: str
    min_value: Decimal | None
    max_value: Decimal | None

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def key(self) -> ItemKey:
        return (self.info.agreement, self.info.metric, self.info.service)

    @property
    def is_customer_target(self) -> bool:
        return self.info.kind == "sla"


@dataclass(frozen=True)
class _Names:
    """What the picture shows beyond the alignment's own facts, from the small tables."""

    agreements: dict[int, tuple[Any, ...]]  # id → ref, title, status, parent id, party code, name
    metrics: dict[int, tuple[Any, ...]]  # id → code, name, unit, min, max
    services: dict[int, tuple[str, str]]  # id → code, name
    placement: dict[int, tuple[int, int, int]]  # target id → agreement, metric, service ids


@dataclass
class Chain:
    """Every target and link of the portfolio, as loaded: the facts alignment needs, and the
    names the picture shows (built only when asked for)."""

    infos: dict[int, TargetInfo]
    links: list[LinkInfo]
    names: _Names | None = None

    @cached_property
    def targets(self) -> dict[int, ChainTarget]:
        """Every target with its names, in (agreement ref, metric, service) order."""
        if self.names is None:
            raise ValueError("this chain was loaded without names")
        names = self.names
        ordered = sorted(
            self.infos.values(), key=lambda info: (info.agreement, info.metric, info.service)
        )
        targets = {}
        for info in ordered:
            agreement_id, metric_id, service_id = names.placement[info.id]
            _ref, title, status, parent_id, party_code, party_name = names.agreements[agreement_id]
            _code, metric_name, unit, low, high = names.metrics[metric_id]
            targets[info.id] = ChainTarget(
                info,
                title,
                status,
                party_code,
                party_name,
                names.agreements[parent_id][0] if parent_id is not None else None,
                metric_name,
                unit,
                names.services[service_id][1],
                low,
                high,
            )
        return targets

    def with_overrides(self, overrides: Mapping[int, Decimal] | None = None) -> list[TargetInfo]:
        overrides = overrides or {}
        return [
            replace(info, target=overrides[info.id]) if info.id in overrides else info
            for info in self.infos.values()
        ]

    def alignment(self, overrides: Mapping[int, Decimal] | None = None) -> list[AlignmentItem]:
        return align(self.with_overrides(overrides), self.links)

    def supplier_targets(self) -> list[ChainTarget]:
        return [target for target in self.targets.values() if not target.is_customer_target]


def load_chain(session: Session) -> Chain:
    """Every target and every link, with the small tables they refer to read on their own: a
    fixed handful of plain statements whatever the portfolio's size, no join, no sort."""
    parties: dict[tuple[str, int | None], tuple[str, str]] = {}
    for id_, code, name in session.execute(select(Customer.id, Customer.code, Customer.name)):
        parties[("customer", id_)] = (code, name)
    for id_, code, name in session.execute(select(Supplier.id, Supplier.code, Supplier.name)):
        parties[("supplier", id_)] = (code, name)
    agreements = {}
    kinds = {}
    for id_, ref, kind, title, status, parent_id, customer_id, supplier_id in session.execute(
        select(
            Agreement.id,
            Agreement.ref,
            Agreement.kind,
            Agreement.title,
            Agreement.status,
            Agreement.parent_id,
            Agreement.customer_id,
            Agreement.supplier_id,
        )
    ):
        party = ("customer", customer_id) if kind == "sla" else ("supplier", supplier_id)
        agreements[id_] = (ref, title, status, parent_id, *parties.get(party, ("", "")))
        kinds[id_] = kind
    metrics = {}
    rules = {}
    for id_, code, name, unit, direction, composition, low, high in session.execute(
        select(
            Metric.id,
            Metric.code,
            Metric.name,
            Metric.unit,
            Metric.direction,
            Metric.composition,
            Metric.min_value,
            Metric.max_value,
        )
    ):
        metrics[id_] = (code, name, unit, low, high)
        rules[id_] = (code, direction, composition)
    services = {
        id_: (code, name)
        for id_, code, name in session.execute(select(Service.id, Service.code, Service.name))
    }
    infos = {}
    placement = {}
    for id_, agreement_id, metric_id, service_id, value in session.execute(
        select(Target.id, Target.agreement_id, Target.metric_id, Target.service_id, Target.target)
    ):
        metric, direction, composition = rules[metric_id]
        infos[id_] = TargetInfo(
            id_,
            agreements[agreement_id][0],
            kinds[agreement_id],
            metric,
            services[service_id][0],
            value,
            direction,
            composition,
        )
        placement[id_] = (agreement_id, metric_id, service_id)
    links = [
        LinkInfo(upper, lower, group)
        for upper, lower, group in session.execute(
            select(Link.upper_id, Link.lower_id, Link.group).order_by(Link.id)
        )
    ]
    return Chain(infos, links, _Names(agreements, metrics, services, placement))


@dataclass(frozen=True)
class Change:
    """A target whose alignment would differ with the tried values."""

    kind: str
    before: AlignmentItem
    after: AlignmentItem

    @property
    def status_changed(self) -> bool:
        return self.before.status != self.after.status

    @property
    def composed_delta(self) -> Decimal | None:
        if self.before.composed is None or self.after.composed is None:
            return None
        return self.after.composed - self.before.composed

    @property
    def shortfall_delta(self) -> Decimal | None:
        if self.before.shortfall is None or self.after.shortfall is None:
            return None
        return self.after.shortfall - self.before.shortfall


@dataclass
class WhatIf:
    overrides: dict[int, Decimal]
    before: list[AlignmentItem]
    after: list[AlignmentItem]
    changes: list[Change]


def what_if(chain: Chain, overrides: Mapping[int, Decimal]) -> WhatIf:
    """Recompute the alignment with other values for some supplier targets; write nothing.

    ``changes`` lists every checked target whose status, composed value or shortfall would
    differ: customer SLA targets first, then the lead contracts' targets (flow-down), each
    with status changes first.
    """
    for target_id in overrides:
        if target_id not in chain.infos or chain.infos[target_id].kind == "sla":
            raise ValueError(f"target {target_id} is not a supplier target")
    before = chain.alignment()
    after = chain.alignment(overrides)
    after_by_key = {(item.agreement, item.metric, item.service): item for item in after}
    changes = [
        Change(item.kind, item, after_by_key[(item.agreement, item.metric, item.service)])
        for item in before
        if differs(item, after_by_key[(item.agreement, item.metric, item.service)])
    ]
    changes.sort(key=lambda change: (change.kind != "sla", not change.status_changed))
    return WhatIf(dict(overrides), before, after, changes)


def differs(before: AlignmentItem, after: AlignmentItem | None) -> bool:
    if after is None:
        return True
    return (before.status, before.composed, before.shortfall, before.target) != (
        after.status,
        after.composed,
        after.shortfall,
        after.target,
    )


def alignment_document(items: Iterable[AlignmentItem]) -> dict[str, object]:
    """SPEC section 5's alignment JSON, with Decimals (the JSON edge rounds them)."""
    return {
        "items": [
            {
                "agreement": item.agreement,
                "metric": item.metric,
                "service": item.service,
                "target": item.target,
                "composed": item.composed,
                "status": item.status,
                "shortfall": item.shortfall,
                "links": [
                    {
                        "agreement": link.agreement,
                        "metric": link.metric,
                        "service": link.service,
                        "group": link.group,
                        "target": link.target,
                    }
                    for link in item.links
                ],
            }
            for item in items
        ]
    }
