"""What the checks of a portfolio import look things up in, and the plan they fill.

``ContractsImport`` starts from what the database holds (one query per table, never one per
row) and grows with what the file adds. New objects stay detached and are not attached to
persistent ones through back-populated relationships until ``write``, which the caller reaches
only when no problem was found, so a refused file leaves no trace in the session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from contracts.errors import Problem
from contracts.models import (
    Agreement,
    Customer,
    Link,
    Metric,
    Service,
    Supplier,
    Target,
    User,
)
from contracts.values import Entry

FORMAT = "underpin-portfolio/1"
SECTIONS = ("metrics", "customers", "services", "suppliers", "agreements", "measurements")

# (agreement ref, metric code, service code): how a file names a target.
TargetKey = tuple[str, str, str]


def _unknown_user(email: str) -> Any:
    return _l("no user has the e-mail address %(email)s", email=email)


@dataclass
class AgreementFacts:
    """What the checks need of an agreement, whether it is in the database or in the file."""

    ref: str
    kind: str | None
    parent: str | None
    start: date | None
    end: date | None
    services: list[str]


@dataclass
class AgreementPlan:
    agreement: Agreement  # detached; supplier, parent and targets are attached by ``write``
    supplier: Supplier | None
    parent: str | None
    targets: list[Target]
    path: str


@dataclass
class PendingLinks:
    """A target's ``underpins`` list, checked once every agreement of the file is known."""

    lower: TargetKey | None
    agreement: AgreementFacts
    path: str
    entries: list[Any]


@dataclass
class ContractsImport:
    """Lookups of what exists, grown with what the file adds, and the plan to write it."""

    problems: list[Problem]
    metrics: dict[str, Metric]
    customers: dict[str, Customer]
    services: dict[str, Service]
    suppliers: dict[str, Supplier]
    users: dict[str, Any]
    agreements: dict[str, AgreementFacts]
    agreement_rows: dict[str, Agreement]
    targets: dict[TargetKey, Target]
    existing_target_keys: dict[int, TargetKey]
    created: dict[str, list[Any]] = field(default_factory=dict)
    plans: list[AgreementPlan] = field(default_factory=list)
    pending: list[PendingLinks] = field(default_factory=list)
    links: list[tuple[TargetKey, TargetKey, str | None]] = field(default_factory=list)
    first_seen: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, problems: list[Problem]) -> ContractsImport:
        """One query per table, never one per row."""
        agreements = session.scalars(
            select(Agreement).options(selectinload(Agreement.services))
        ).all()
        ref_of: dict[int | None, str] = {agreement.id: agreement.ref for agreement in agreements}
        target_rows = session.execute(
            select(Target, Agreement.ref, Metric.code, Service.code)
            .join(Target.agreement)
            .join(Target.metric)
            .join(Target.service)
        ).all()
        return cls(
            problems=problems,
            metrics={m.code: m for m in session.scalars(select(Metric))},
            customers={c.code: c for c in session.scalars(select(Customer))},
            services={s.code: s for s in session.scalars(select(Service))},
            suppliers={s.code: s for s in session.scalars(select(Supplier))},
            users={u.email.lower(): u for u in session.scalars(select(User))},
            agreements={
                a.ref: AgreementFacts(
                    a.ref,
                    a.kind,
                    ref_of.get(a.parent_id),
                    a.start,
                    a.end,
                    [service.code for service in a.services],
                )
                for a in agreements
            },
            agreement_rows={agreement.ref: agreement for agreement in agreements},
            targets={
                (ref, metric, service): target for target, ref, metric, service in target_rows
            },
            existing_target_keys={
                target.id: (ref, metric, service) for target, ref, metric, service in target_rows
            },
        )

    # Reading ----------------------------------------------------------------------------------

    def claim(
        self, entry: Entry, key: str, section: str, existing: dict[str, Any], max_length: int
    ) -> str | None:
        """The entry's code (or ref) if it is new: not in the database, not earlier in the file."""
        code = entry.text(key, max_length=max_length)
        if code is None:
            return None
        first = self.first_seen.get((section, code))
        if first is not None:
            entry.problem(
                key, _l("%(code)s appears twice; first at %(path)s", code=code, path=first)
            )
            return None
        if code in existing:
            entry.problem(key, _l("%(code)s exists already", code=code))
            return None
        self.first_seen[(section, code)] = entry.path
        return code

    def known(
        self, entry: Entry, key: str, lookup: dict[str, Any], unknown: Callable[[str], Any]
    ) -> Any:
        """The object an optional or required code names, or None with the problem recorded."""
        code = entry.text(key, required=False, max_length=254)
        if code is None:
            return None
        found = lookup.get(code.lower() if lookup is self.users else code)
        if found is None:
            entry.problem(key, unknown(code))
        return found

    def user(self, entry: Entry) -> Any:
        return self.known(entry, "owner", self.users, _unknown_user)

    def find_target(self, entry: Entry) -> TargetKey | None:
        """The target an entry names by agreement, metric and service (optional if only one)."""
        ref = entry.text("agreement", max_length=60)
        metric = entry.text("metric", max_length=40)
        service = entry.text("service", required=False, max_length=40)
        if ref is None or metric is None or (service is None and entry.given("service")):
            return None
        agreement = self.agreements.get(ref)
        if agreement is None:
            entry.problem("agreement", _l("unknown agreement %(ref)s", ref=ref))
        if metric not in self.metrics:
            entry.problem("metric", _l("unknown metric %(code)s", code=metric))
        if service is not None and service not in self.services:
            entry.problem("service", _l("unknown service %(code)s", code=service))
            return None
        if agreement is None or metric not in self.metrics:
            return None
        if service is None:
            if len(agreement.services) != 1:
                entry.problem(
                    "service",
                    _l(
                        "is required: %(ref)s covers %(count)d services",
                        ref=ref,
                        count=len(agreement.services),
                    ),
                )
                return None
            service = agreement.services[0]
        if (ref, metric, service) not in self.targets:
            entry.problem(
                None,
                _l(
                    "%(ref)s has no target %(metric)s/%(service)s",
                    ref=ref,
                    metric=metric,
                    service=service,
                ),
            )
            return None
        return (ref, metric, service)

    # Writing ----------------------------------------------------------------------------------

    def write(self, session: Session) -> dict[str, int]:
        """Add everything read (only called when no problem was found); the caller flushes."""
        for section in ("metrics", "customers", "services", "suppliers"):
            session.add_all(self.created[section])
        for plan in self.plans:
            agreement = plan.agreement
            agreement.supplier = plan.supplier
            if plan.parent is not None:
                agreement.parent = self.agreement_rows[plan.parent]
            agreement.targets = plan.targets
            session.add(agreement)
        for lower, upper, group in self.links:
            session.add(Link(lower=self.targets[lower], upper=self.targets[upper], group=group))
        counts = {section: len(objects) for section, objects in self.created.items()}
        counts["agreements"] = len(self.plans)
        counts["targets"] = sum(len(plan.targets) for plan in self.plans)
        counts["links"] = len(self.links)
        return counts
