"""Reading the agreements of a portfolio file, their targets and the links between targets.

Links cannot form a cycle, so none is looked for: a link leads from a supplier agreement to a
customer SLA, or from a sub-contract to its parent underpinning contract, and an SLA's targets
underpin nothing, so every link climbs from sub-contract to lead contract to SLA.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from contracts import links
from contracts.db import WEIGHT_DIGITS
from contracts.models import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    CONTRACT_CONTENTS,
    SUPPLIER_KINDS,
    Agreement,
    Customer,
    Supplier,
    Target,
)
from contracts.portfolio.catalogue import (
    AgreementFacts,
    AgreementPlan,
    ContractsImport,
    PendingLinks,
    TargetKey,
)
from contracts.values import (
    Entry,
    InvalidValue,
    Problem,
    check_in_range,
    parse_boolean,
    parse_currency,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_money,
    parse_percentage,
)

AGREEMENT_KEYS: tuple[str, ...] = (
    "ref",
    "kind",
    "title",
    "customer",
    "supplier",
    "parent",
    "owner",
    "status",
)
AGREEMENT_KEYS += ("start", "end", "notice_days", "auto_renew", "renewal_months")
AGREEMENT_KEYS += ("review_months", "version", "services", "monthly_charge", "currency")
AGREEMENT_KEYS += ("credit_cap_pct", *CONTRACT_CONTENTS, "targets")
TARGET_KEYS = ("metric", "service", "target", "weight", "credit_pct", "underpins")
LINK_KEYS = ("agreement", "metric", "service", "group")


def _unknown_customer(code: str) -> Any:
    return _l("unknown customer %(code)s", code=code)


def _unknown_supplier(code: str) -> Any:
    return _l("unknown supplier %(code)s", code=code)


def _unknown_metric(code: str) -> Any:
    return _l("unknown metric %(code)s", code=code)


def _weight(raw: object) -> Decimal:
    value = parse_decimal(raw, WEIGHT_DIGITS)
    if value <= 0:
        raise InvalidValue(_l("must be greater than 0"))
    return value


def _positive(raw: object) -> int:
    return parse_integer(raw, minimum=1)


def read_agreement(portfolio: ContractsImport, raw: object, path: str) -> None:
    entry = Entry(raw, path, portfolio.problems, AGREEMENT_KEYS)
    ref = portfolio.claim(entry, "ref", "agreements", portfolio.agreements, 60)
    kind = entry.choice("kind", AGREEMENT_KINDS)
    start = entry.value("start", parse_date)
    end = entry.value("end", parse_date)
    if start is not None and end is not None and end < start:
        entry.problem("end", _l("the agreement ends before it starts (%(start)s)", start=start))
    customer, supplier = _read_party(portfolio, entry, kind)
    parent = _read_parent(portfolio, entry, kind)
    services = _read_services(portfolio, entry)
    facts = AgreementFacts(ref or "", kind, parent, start, end, services)
    agreement = Agreement(
        ref=ref,
        kind=kind,
        title=entry.text("title", max_length=300),
        customer=customer,
        owner=portfolio.user(entry),
        status=entry.choice("status", AGREEMENT_STATUSES, default="draft"),
        start=start,
        end=end,
        notice_days=entry.value("notice_days", parse_integer, required=False, default=0),
        auto_renew=entry.value("auto_renew", parse_boolean, required=False, default=False),
        renewal_months=entry.value("renewal_months", _positive, required=False),
        review_months=entry.value("review_months", _positive, required=False),
        version=entry.value("version", _positive, required=False, default=1),
        monthly_charge=entry.value(
            "monthly_charge", parse_money, required=False, default=Decimal(0)
        ),
        currency=entry.value("currency", parse_currency, required=False, default="USD"),
        credit_cap_pct=entry.value("credit_cap_pct", parse_percentage, required=False),
        services=[portfolio.services[code] for code in services],
        **{
            name: entry.text(name, required=False, max_length=None, default="")
            for name in CONTRACT_CONTENTS
        },
    )
    if ref is not None:
        portfolio.agreements[ref] = facts
        portfolio.agreement_rows[ref] = agreement
    targets: list[Target] = []
    first_seen: dict[tuple[str, str], str] = {}
    for index, target in enumerate(entry.items("targets")):
        target_path = entry.at(f"targets[{index}]")
        targets.append(_read_target(portfolio, target, target_path, facts, first_seen))
    portfolio.plans.append(AgreementPlan(agreement, supplier, parent, targets, path))


def _read_party(
    portfolio: ContractsImport, entry: Entry, kind: str | None
) -> tuple[Customer | None, Supplier | None]:
    if kind == "sla":
        if not entry.given("customer"):
            entry.problem("customer", _l("is required: a customer SLA's party is a customer"))
        if entry.given("supplier"):
            entry.problem("supplier", _l("a customer SLA's party is a customer, not a supplier"))
        return portfolio.known(entry, "customer", portfolio.customers, _unknown_customer), None
    if kind is None:
        return None, None
    if not entry.given("supplier"):
        entry.problem(
            "supplier",
            _l("is required: the party of an agreement of kind %(kind)s is a supplier", kind=kind),
        )
    if entry.given("customer"):
        entry.problem(
            "customer",
            _l(
                "the party of an agreement of kind %(kind)s is a supplier, not a customer",
                kind=kind,
            ),
        )
    supplier = portfolio.known(entry, "supplier", portfolio.suppliers, _unknown_supplier)
    wanted = "internal" if kind == "ola" else "external"
    if supplier is not None and supplier.kind in SUPPLIER_KINDS and supplier.kind != wanted:
        entry.problem(
            "supplier",
            _l(
                "%(code)s is an %(actual)s supplier; agreements of kind %(kind)s are made "
                "with %(wanted)s suppliers",
                code=supplier.code,
                actual=supplier.kind,
                kind=kind,
                wanted=wanted,
            ),
        )
    return None, supplier


def _read_parent(portfolio: ContractsImport, entry: Entry, kind: str | None) -> str | None:
    parent = entry.text("parent", required=False, max_length=60)
    if kind == "subcontract" and not entry.given("parent"):
        entry.problem(
            "parent",
            _l(
                "is required: a sub-contract is placed under the lead supplier's "
                "underpinning contract"
            ),
        )
    elif kind is not None and kind != "subcontract" and entry.given("parent"):
        entry.problem("parent", _l("only a sub-contract has a parent agreement"))
        return None
    return parent


def check_parents(portfolio: ContractsImport) -> None:
    """A sub-contract's parent may come later in the file, so it is checked afterwards."""
    for plan in portfolio.plans:
        if plan.parent is None or plan.agreement.kind != "subcontract":
            continue
        parent = portfolio.agreements.get(plan.parent)
        if parent is None:
            message = _l("unknown agreement %(ref)s", ref=plan.parent)
        elif parent.kind != "underpinning":
            message = _l(
                "%(ref)s is of kind %(kind)s; a sub-contract's parent must be an "
                "underpinning contract",
                ref=plan.parent,
                kind=parent.kind,
            )
        else:
            continue
        portfolio.problems.append(Problem(str(message), f"{plan.path}.parent"))


def _read_services(portfolio: ContractsImport, entry: Entry) -> list[str]:
    """The codes of the services in scope that are known, each once."""
    codes: list[str] = []
    if not entry.given("services"):
        entry.problem("services", _l("is required: list the services in scope"))
    for index, code in enumerate(entry.items("services")):
        path = entry.at(f"services[{index}]")
        if not isinstance(code, str):
            portfolio.problems.append(Problem(str(_l("must be a service code")), path))
        elif code not in portfolio.services:
            portfolio.problems.append(Problem(str(_l("unknown service %(code)s", code=code)), path))
        elif code in codes:
            portfolio.problems.append(Problem(str(_l("%(code)s is listed twice", code=code)), path))
        else:
            codes.append(code)
    return codes


def _read_target(
    portfolio: ContractsImport,
    raw: object,
    path: str,
    agreement: AgreementFacts,
    first_seen: dict[tuple[str, str], str],
) -> Target:
    entry = Entry(raw, path, portfolio.problems, TARGET_KEYS)
    metric = portfolio.known(entry, "metric", portfolio.metrics, _unknown_metric)
    if not entry.given("metric"):
        entry.problem("metric", _l("is required"))
    service = _target_service(portfolio, entry, agreement)
    value = entry.value("target", parse_decimal)
    if metric is not None and value is not None:
        try:
            check_in_range(metric, value)
        except InvalidValue as error:
            entry.problem("target", error.message)
    target = Target(
        metric=metric,
        service=portfolio.services.get(service or ""),
        target=value,
        weight=entry.value("weight", _weight, required=False, default=Decimal(1)),
        credit_pct=entry.value("credit_pct", parse_percentage, required=False, default=Decimal(0)),
    )
    key: TargetKey | None = None
    if metric is not None and service is not None:
        first = first_seen.get((metric.code, service))
        if first is not None:
            entry.problem(
                None,
                _l(
                    "duplicate target %(metric)s/%(service)s; first at %(path)s",
                    metric=metric.code,
                    service=service,
                    path=first,
                ),
            )
        else:
            first_seen[(metric.code, service)] = path
            key = (agreement.ref, metric.code, service)
            # Targets of a refused agreement ref stay unknown: links to them are refused.
            if portfolio.agreements.get(agreement.ref) is agreement:
                portfolio.targets[key] = target
    portfolio.pending.append(PendingLinks(key, agreement, path, entry.items("underpins")))
    return target


def _target_service(
    portfolio: ContractsImport, entry: Entry, agreement: AgreementFacts
) -> str | None:
    """The target's service; it may be left out when the agreement covers exactly one."""
    code = entry.text("service", required=False, max_length=40)
    if code is None:
        if entry.given("service"):
            return None
        if len(agreement.services) == 1:
            return agreement.services[0]
        entry.problem(
            "service",
            _l(
                "is required: the agreement covers %(count)d services",
                count=len(agreement.services),
            ),
        )
        return None
    if code not in portfolio.services:
        entry.problem("service", _l("unknown service %(code)s", code=code))
        return None
    if code not in agreement.services:
        entry.problem("service", _l("%(code)s is not among the agreement's services", code=code))
        return None
    return code


def read_links(portfolio: ContractsImport, pending: PendingLinks) -> None:
    first_seen: dict[TargetKey, str] = {}
    for index, raw in enumerate(pending.entries):
        entry = Entry(raw, f"{pending.path}.underpins[{index}]", portfolio.problems, LINK_KEYS)
        group = entry.text("group", required=False, max_length=40)
        upper = portfolio.find_target(entry)
        if upper is None or pending.lower is None:
            continue
        first = first_seen.get(upper)
        if first is not None:
            entry.problem(
                None,
                _l(
                    "duplicate link to %(ref)s %(metric)s/%(service)s; first at %(path)s",
                    ref=upper[0],
                    metric=upper[1],
                    service=upper[2],
                    path=first,
                ),
            )
            continue
        first_seen[upper] = entry.path
        if _check_link(portfolio, entry, pending.lower, pending.agreement, upper):
            portfolio.links.append((pending.lower, upper, group))


def _check_link(
    portfolio: ContractsImport,
    entry: Entry,
    lower: TargetKey,
    agreement: AgreementFacts,
    upper: TargetKey,
) -> bool:
    """U (lower) on a supplier agreement underpins S on an SLA or on U's parent contract."""
    upper_kind = portfolio.agreements[upper[0]].kind
    if agreement.kind is None or upper_kind is None:
        if lower[1] != upper[1]:
            entry.problem("metric", _metric_message(lower, upper))
        return False
    found = links.refusals(
        links.LinkEnd(lower[0], agreement.kind, agreement.parent, lower[1]),
        links.LinkEnd(upper[0], upper_kind, None, upper[1]),
    )
    if links.METRIC in found:
        entry.problem("metric", _metric_message(lower, upper))
    if links.LOWER_NOT_SUPPLIER in found:
        entry.problem(
            None,
            _l(
                "a customer SLA's target cannot underpin another target; only targets of "
                "underpinning contracts, OLAs and sub-contracts can"
            ),
        )
    if links.UPPER_OUT_OF_REACH not in found:
        return not found
    if agreement.kind == "subcontract":
        message = _l(
            "%(ref)s is neither a customer SLA nor this sub-contract's parent; "
            "a sub-contract's target underpins one of those",
            ref=upper[0],
        )
    else:
        message = _l(
            "%(ref)s is not a customer SLA; targets of agreements of kind %(kind)s underpin "
            "customer SLA targets only",
            ref=upper[0],
            kind=agreement.kind,
        )
    entry.problem("agreement", message)
    return False


def _metric_message(lower: TargetKey, upper: TargetKey) -> Any:
    return _l(
        "links %(lower)s to %(upper)s; a link must join targets of the same metric",
        lower=lower[1],
        upper=upper[1],
    )
