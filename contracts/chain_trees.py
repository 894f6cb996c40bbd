"""The chain drawn as trees: for each customer SLA target, what underpins it down through lead
contracts to their sub-contracts (flow-down), guarding against cycles; filtered into one view
per customer SLA."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from contracts.alignment import AlignmentItem, LinkInfo
from contracts.chain import STATUS_ORDER, Chain, ChainTarget, differs


@dataclass
class Branch:
    """The links into one target that form one component: a single link (series) or the
    members of a redundancy group (parallel)."""

    group: str | None
    nodes: list[Node]


@dataclass
class Node:
    """One target in a tree, with the alignment of what underpins it (``item``)."""

    target: ChainTarget
    value: Decimal
    item: AlignmentItem | None
    branches: list[Branch] = field(default_factory=list)
    cycle: bool = False
    before: AlignmentItem | None = None  # what-if: the item with today's values

    @property
    def status(self) -> str | None:
        """aligned / gap / not_underpinned; ``None`` for a supplier target nothing underpins."""
        return self.item.status if self.item else None

    @property
    def overridden(self) -> bool:
        return self.value != self.target.info.target

    @property
    def changed(self) -> bool:
        return self.before is not None and differs(self.before, self.item)

    def walk(self) -> Iterable[Node]:
        yield self
        for branch in self.branches:
            for node in branch.nodes:
                yield from node.walk()


def build_trees(
    chain: Chain,
    items: list[AlignmentItem],
    overrides: Mapping[int, Decimal] | None = None,
    before: list[AlignmentItem] | None = None,
) -> list[Node]:
    """For every customer SLA target, the tree of what underpins it (flow-down included)."""
    overrides = overrides or {}
    by_key = {(item.agreement, item.metric, item.service): item for item in items}
    before_by_key = {(item.agreement, item.metric, item.service): item for item in before or []}
    below: dict[int, list[LinkInfo]] = {}
    for link in chain.links:
        below.setdefault(link.upper_id, []).append(link)

    def node(target: ChainTarget, path: frozenset[int]) -> Node:
        current = Node(
            target,
            overrides.get(target.id, target.info.target),
            by_key.get(target.key),
            before=before_by_key.get(target.key) if before is not None else None,
        )
        if target.id in path:
            current.cycle = True  # a loop in the links: show it once, do not follow it
            return current
        lowers = sorted(
            ((chain.targets[link.lower_id], link.group) for link in below.get(target.id, [])),
            key=lambda pair: pair[0].key,
        )
        groups: dict[str, Branch] = {}
        for lower, group in lowers:
            child = node(lower, path | {target.id})
            if group is None:
                current.branches.append(Branch(None, [child]))
            elif group in groups:
                groups[group].nodes.append(child)
            else:
                groups[group] = Branch(group, [child])
                current.branches.append(groups[group])
        return current

    return [
        node(target, frozenset()) for target in chain.targets.values() if target.is_customer_target
    ]


@dataclass
class SlaView:
    """One customer SLA and the trees of its targets, worst first."""

    ref: str
    title: str
    customer_code: str
    customer_name: str
    trees: list[Node]

    @property
    def status(self) -> str:
        return min((tree.status or "aligned" for tree in self.trees), key=lambda s: STATUS_ORDER[s])

    @property
    def counts(self) -> dict[str, int]:
        return status_counts([self])

    @property
    def deep_gaps(self) -> int:
        """Gaps further down (a lead contract its sub-contracts do not carry)."""
        return sum(
            1
            for tree in self.trees
            for node in tree.walk()
            if node is not tree and node.status == "gap"
        )

    @property
    def changed(self) -> bool:
        return any(node.changed or node.overridden for tree in self.trees for node in tree.walk())


@dataclass(frozen=True)
class ChainFilter:
    customer: str | None = None
    service: str | None = None
    supplier: str | None = None

    def keeps(self, tree: Node) -> bool:
        if self.customer and tree.target.party_code != self.customer:
            return False
        if self.service and tree.target.info.service != self.service:
            return False
        if self.supplier:
            return any(
                node.target.party_code == self.supplier and not node.target.is_customer_target
                for node in tree.walk()
            )
        return True


def sla_views(trees: list[Node], chain_filter: ChainFilter) -> list[SlaView]:
    """The trees the filter keeps, by SLA: SLAs with gaps first, then by ref."""
    views: dict[str, SlaView] = {}
    for tree in trees:
        if not chain_filter.keeps(tree):
            continue
        target = tree.target
        if target.info.agreement not in views:
            views[target.info.agreement] = SlaView(
                target.info.agreement, target.title, target.party_code, target.party_name, []
            )
        views[target.info.agreement].trees.append(tree)
    for view in views.values():
        view.trees.sort(key=lambda tree: (STATUS_ORDER[tree.status or "aligned"], tree.target.key))
    return sorted(views.values(), key=lambda view: (STATUS_ORDER[view.status], view.ref))


def status_counts(views: Iterable[SlaView]) -> dict[str, int]:
    """Customer SLA targets by status."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for view in views:
        for tree in view.trees:
            counts[tree.status or "aligned"] += 1
    return counts
