"""Chain alignment (SPEC section 3): do the supplier targets carry the commitments above them?

Pure functions over plain values: ``compose`` combines the values of the links into one target
(also used at run time for chain performance), ``align`` checks every linked target and every
customer SLA target at design time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

HUNDRED = Decimal(100)
ONE = Decimal(1)
ZERO = Decimal(0)


def meets(value: Decimal, target: Decimal, direction: str) -> bool:
    """The Met rule: equality meets in both directions."""
    return value >= target if direction == "higher" else value <= target


def shortfall(value: Decimal, target: Decimal, direction: str) -> Decimal:
    """How far ``value`` falls short of ``target`` (0 when it meets it)."""
    gap = target - value if direction == "higher" else value - target
    return max(gap, ZERO)


@dataclass(frozen=True)
class Component:
    """One link's contribution: the underpinning target's value and its redundancy group."""

    value: Decimal
    group: str | None = None


def compose(composition: str, direction: str, components: Sequence[Component]) -> Decimal:
    """Combine the values of the links into one target, by the metric's composition."""
    if not components:
        raise ValueError("nothing to compose")
    if composition == "sum":
        return sum((component.value for component in components), ZERO)
    if composition == "weakest":
        values = [component.value for component in components]
        return min(values) if direction == "higher" else max(values)
    if composition == "product":
        return _product(components)
    raise ValueError(f"unknown composition {composition!r}")


def _product(components: Sequence[Component]) -> Decimal:
    # Members of one group are redundant (parallel): A_g = 1 - Π(1 - p).
    # Groups, and links without a group, are in series: 100 × Π A_g.
    groups: dict[object, list[Decimal]] = defaultdict(list)
    for index, component in enumerate(components):
        key = ("group", component.group) if component.group is not None else ("single", index)
        groups[key].append(component.value / HUNDRED)
    chain = ONE
    for shares in groups.values():
        unavailable = ONE
        for share in shares:
            unavailable *= ONE - share
        chain *= ONE - unavailable
    return HUNDRED * chain


@dataclass(frozen=True)
class TargetInfo:
    """What alignment needs to know of a target."""

    id: int
    agreement: str
    kind: str
    metric: str
    service: str
    target: Decimal
    direction: str
    composition: str


@dataclass(frozen=True)
class LinkInfo:
    upper_id: int
    lower_id: int
    group: str | None = None


@dataclass(frozen=True)
class AlignedLink:
    agreement: str
    metric: str
    service: str
    group: str | None
    target: Decimal


@dataclass(frozen=True)
class AlignmentItem:
    agreement: str
    kind: str
    metric: str
    service: str
    target: Decimal
    direction: str
    status: str  # aligned | gap | not_underpinned
    composed: Decimal | None
    shortfall: Decimal | None
    links: list[AlignedLink] = field(default_factory=list)


def align(targets: Iterable[TargetInfo], links: Iterable[LinkInfo]) -> list[AlignmentItem]:
    """Every target that has links, and every customer SLA target, in (ref, metric, service)."""
    by_id = {target.id: target for target in targets}
    below: dict[int, list[LinkInfo]] = defaultdict(list)
    for link in links:
        below[link.upper_id].append(link)
    items = []
    for target in by_id.values():
        linked = below.get(target.id, [])
        if linked:
            items.append(_check(target, linked, by_id))
        elif target.kind == "sla":
            items.append(
                AlignmentItem(
                    target.agreement,
                    target.kind,
                    target.metric,
                    target.service,
                    target.target,
                    target.direction,
                    "not_underpinned",
                    None,
                    None,
                )
            )
    items.sort(key=lambda item: (item.agreement, item.metric, item.service))
    return items


def _check(
    target: TargetInfo, linked: list[LinkInfo], by_id: dict[int, TargetInfo]
) -> AlignmentItem:
    lowers = sorted(
        ((by_id[link.lower_id], link.group) for link in linked),
        key=lambda pair: (pair[0].agreement, pair[0].metric, pair[0].service),
    )
    composed = compose(
        target.composition,
        target.direction,
        [Component(lower.target, group) for lower, group in lowers],
    )
    status = "aligned" if meets(composed, target.target, target.direction) else "gap"
    return AlignmentItem(
        target.agreement,
        target.kind,
        target.metric,
        target.service,
        target.target,
        target.direction,
        status,
        composed,
        shortfall(composed, target.target, target.direction),
        [
            AlignedLink(lower.agreement, lower.metric, lower.service, group, lower.target)
            for lower, group in lowers
        ],
    )
