"""Portfolio JSON import/export (SPEC section 5): every rule, all or nothing, round trip, CLI."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from contracts.models import Agreement, Customer, Link, Metric, Service, Supplier, Target
from scorecards.models import Measurement
from scorecards.portfolio import PortfolioError, export_portfolio, import_portfolio
from tests import EXAMPLES

EXAMPLE = EXAMPLES / "portfolio.json"
NOT_A_DECIMAL = 'must be a decimal number, such as "99.95"'


def minimal() -> dict:
    """A small valid portfolio: an SLA, a UC with a sub-contract under it, an OLA."""
    term = {"status": "active", "start": "2026-01-01", "end": "2026-12-31"}
    return {
        "format": "underpin-portfolio/1",
        "metrics": [
            {
                "code": "AVAIL",
                "name": "Availability",
                "unit": "%",
                "direction": "higher",
                "composition": "product",
            },
            {
                "code": "RESOLVE_P1",
                "name": "P1 resolution",
                "unit": "h",
                "direction": "lower",
                "composition": "sum",
            },
        ],
        "customers": [{"code": "ACME", "name": "Acme"}],
        "services": [{"code": "CRM", "name": "CRM"}, {"code": "NET", "name": "Network"}],
        "suppliers": [
            {"code": "CLOUDCO", "name": "CloudCo", "kind": "external", "category": "strategic"},
            {"code": "SZDC", "name": "深圳数据中心", "kind": "external", "category": "operational"},
            {"code": "NETOPS", "name": "NetOps", "kind": "internal", "category": "tactical"},
        ],
        "agreements": [
            {
                "ref": "SLA-1",
                "kind": "sla",
                "customer": "ACME",
                "title": "CRM for Acme",
                **term,
                "services": ["CRM"],
                "targets": [
                    {"metric": "AVAIL", "target": "99.5"},
                    {"metric": "RESOLVE_P1", "service": "CRM", "target": "8"},
                ],
            },
            {
                "ref": "UC-1",
                "kind": "underpinning",
                "supplier": "CLOUDCO",
                "title": "Hosting",
                **term,
                "services": ["CRM"],
                "monthly_charge": "40000.00",
                "credit_cap_pct": "10",
                "targets": [
                    {
                        "metric": "AVAIL",
                        "service": "CRM",
                        "target": "99.9",
                        "weight": "2",
                        "credit_pct": "5",
                        "underpins": [{"agreement": "SLA-1", "metric": "AVAIL", "service": "CRM"}],
                    },
                    {
                        "metric": "RESOLVE_P1",
                        "target": "4",
                        "underpins": [{"agreement": "SLA-1", "metric": "RESOLVE_P1"}],
                    },
                ],
            },
            {
                "ref": "SUB-1",
                "kind": "subcontract",
                "parent": "UC-1",
                "supplier": "SZDC",
                "title": "Rack space",
                **term,
                "start": "2026-03-01",
                "services": ["CRM"],
                "targets": [
                    {
                        "metric": "AVAIL",
                        "target": "99.95",
                        "underpins": [{"agreement": "UC-1", "metric": "AVAIL", "group": None}],
                    }
                ],
            },
            {
                "ref": "OLA-1",
                "kind": "ola",
                "supplier": "NETOPS",
                "title": "Network",
                **term,
                "services": ["CRM", "NET"],
                "targets": [
                    {"metric": "RESOLVE_P1", "service": "NET", "target": "2"},
                    {
                        "metric": "AVAIL",
                        "service": "CRM",
                        "target": "99.95",
                        "underpins": [
                            {
                                "agreement": "SLA-1",
                                "metric": "AVAIL",
                                "service": "CRM",
                                "group": "a",
                            }
                        ],
                    },
                ],
            },
        ],
        "measurements": [
            {
                "agreement": "UC-1",
                "metric": "AVAIL",
                "service": "CRM",
                "period": "2026-01",
                "value": "99.95",
                "status": "accepted",
                "submitted_at": "2026-01-28T09:00:00Z",
            },
            {
                "agreement": "OLA-1",
                "metric": "AVAIL",
                "service": "CRM",
                "period": "2026-01",
                "value": 99.97,
                "comment": "from the NMS",
                "submitted_at": "2026-02-10T23:59:59Z",
            },
        ],
    }


def problems_of(session, document, **options) -> list[tuple[str, str]]:
    with pytest.raises(PortfolioError) as caught:
        import_portfolio(session, document, **options)
    return [(problem.path, problem.message) for problem in caught.value.problems]


def row_counts(session) -> dict[str, int]:
    models = (Metric, Customer, Service, Supplier, Agreement, Target, Link, Measurement)
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in models
    }


# A valid file ------------------------------------------------------------------------------


def test_minimal_portfolio_imports(session):
    summary = import_portfolio(session, minimal())

    assert summary == (
        "2 metrics, 1 customer, 2 services, 3 suppliers, 4 agreements, 7 targets, 4 links, "
        "2 measurements"
    )
    sub = session.scalar(select(Agreement).where(Agreement.ref == "SUB-1"))
    assert sub.parent.ref == "UC-1"
    assert sub.supplier.name == "深圳数据中心"
    uc = session.scalar(select(Agreement).where(Agreement.ref == "UC-1"))
    assert uc.monthly_charge == Decimal("40000")
    assert uc.credit_cap_pct == Decimal("10")
    assert uc.status == "active"
    avail = next(target for target in uc.targets if target.metric.code == "AVAIL")
    assert (avail.target, avail.weight, avail.credit_pct) == (Decimal("99.9"), 2, 5)
    assert [link.upper.label for link in avail.underpins] == ["SLA-1 AVAIL/CRM"]
    ola_link = session.scalar(select(Link).where(Link.group == "a"))
    assert ola_link.lower.label == "OLA-1 AVAIL/CRM"
    figure = session.scalar(select(Measurement).where(Measurement.comment == "from the NMS"))
    assert figure.value == Decimal("99.97")  # a JSON number, read without binary noise
    assert (figure.status, figure.revision, figure.late) == ("submitted", 1, False)


def test_example_portfolio_imports(session):
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))

    summary = import_portfolio(session, document)

    assert summary == (
        "3 metrics, 2 customers, 2 services, 3 suppliers, 5 agreements, 7 targets, 4 links, "
        "23 measurements"
    )
    ftf = session.scalar(select(Target).join(Target.agreement).where(Agreement.ref == "OLA-NETOPS"))
    assert ftf.service.code == "NET"  # the OLA covers one service: the target's defaults to it
    revisions = session.execute(
        select(Measurement.revision, Measurement.value, Measurement.status)
        .where(Measurement.target_id == ftf.id, Measurement.period == "2026-02")
        .order_by(Measurement.revision)
    ).all()
    assert revisions == [(1, Decimal("79.5"), "accepted"), (2, Decimal("80.5"), "submitted")]


def test_export_of_the_example(session):
    import_portfolio(session, json.loads(EXAMPLE.read_text(encoding="utf-8")))

    document = export_portfolio(session)

    assert document["format"] == "underpin-portfolio/1"
    assert [m["code"] for m in document["metrics"]] == ["AVAIL", "FTF", "RESOLVE_P1"]
    refs = [agreement["ref"] for agreement in document["agreements"]]
    assert refs == ["OLA-NETOPS", "SLA-ACME-CRM", "SLA-JZ-NET", "SUB-SZDC-01", "UC-CLOUDCO-2026"]
    uc = document["agreements"][4]
    assert (uc["supplier"], uc["monthly_charge"], uc["credit_cap_pct"]) == (
        "CLOUDCO",
        "40000.00",
        "10",
    )
    assert uc["targets"][0] == {
        "metric": "AVAIL",
        "service": "CRM",
        "target": "99.9",
        "weight": "2",
        "credit_pct": "5",
        "underpins": [
            {"agreement": "SLA-ACME-CRM", "metric": "AVAIL", "service": "CRM", "group": None}
        ],
    }
    assert document["agreements"][3]["parent"] == "UC-CLOUDCO-2026"
    assert document["agreements"][0]["targets"][0]["service"] == "NET"
    resolve_march = [
        (m["value"], m["status"], m["comment"])
        for m in document["measurements"]
        if m["metric"] == "RESOLVE_P1" and m["period"] == "2026-03"
    ]
    assert resolve_march == [
        ("9.5", "accepted", ""),
        ("3.75", "rejected", "no incident log attached"),
    ]
    assert document["measurements"][0] == {
        "agreement": "OLA-NETOPS",
        "metric": "FTF",
        "service": "NET",
        "period": "2026-01",
        "value": "82",
        "comment": "",
        "status": "accepted",
        "reject_reason": "",
        "submitted_at": "2026-01-28T09:00:00Z",
    }
    assert len(document["measurements"]) == 23


def test_round_trip_into_an_empty_database(session):
    example = session.begin_nested()
    import_portfolio(session, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    exported = export_portfolio(session)
    example.rollback()
    assert row_counts(session)["agreements"] == 0

    import_portfolio(session, json.loads(json.dumps(exported)))
    session.expire_all()  # read back what the database holds, not what was set

    assert export_portfolio(session) == exported


def test_owner_emails_resolve_against_existing_users(session, make):
    manager = make.user("vendor_manager", email="vm@example.com")
    document = minimal()
    document["suppliers"][0]["owner"] = "VM@example.com"
    document["agreements"][1]["owner"] = "vm@example.com"

    import_portfolio(session, document)

    uc = session.scalar(select(Agreement).where(Agreement.ref == "UC-1"))
    assert uc.owner == manager
    assert uc.supplier.owner == manager
    assert export_portfolio(session)["suppliers"][0]["owner"] == "vm@example.com"


def test_contents_contacts_and_terms_are_kept(session):
    document = minimal()
    document["suppliers"][0]["contacts"] = [
        {"name": "王伟", "role": "Account manager", "email": "wang@cloudco.example", "phone": "+86"}
    ]
    uc = document["agreements"][1]
    uc.update(
        notice_days=90,
        auto_renew=True,
        renewal_months=12,
        review_months=6,
        currency="EUR",
        scope="Hosting of the CRM platform",
        termination="Exit plan: data returned within 30 days",
    )

    import_portfolio(session, document)

    exported = export_portfolio(session)
    assert exported["suppliers"][0]["contacts"] == [
        {"name": "王伟", "role": "Account manager", "email": "wang@cloudco.example", "phone": "+86"}
    ]
    agreement = exported["agreements"][3]
    assert agreement["ref"] == "UC-1"
    assert (agreement["notice_days"], agreement["auto_renew"], agreement["renewal_months"]) == (
        90,
        True,
        12,
    )
    assert (agreement["review_months"], agreement["currency"]) == (6, "EUR")
    assert agreement["scope"] == "Hosting of the CRM platform"
    assert agreement["termination"] == "Exit plan: data returned within 30 days"
    assert agreement["requirements"] == ""


# Revisions and lateness --------------------------------------------------------------------


def _figure(period: str, value: str, submitted_at: str | None, status: str = "submitted") -> dict:
    figure = {"agreement": "UC-1", "metric": "AVAIL", "period": period, "value": value}
    figure["status"] = status
    if submitted_at is not None:
        figure["submitted_at"] = submitted_at
    return figure


def _figures(session) -> list[tuple[str, int, Decimal, bool]]:
    return session.execute(
        select(Measurement.period, Measurement.revision, Measurement.value, Measurement.late)
        .join(Measurement.target)
        .join(Target.agreement)
        .where(Agreement.ref == "UC-1")
        .order_by(Measurement.period, Measurement.revision)
    ).all()


def test_file_order_numbers_revisions_and_late_follows_the_due_day(session):
    document = minimal()
    document["measurements"] = [
        _figure("2026-01", "99.80", "2026-02-11T00:00:00Z"),
        _figure("2026-02", "99.99", "2026-03-10T23:59:59Z"),
        _figure("2026-01", "99.85", "2026-02-11T00:00:00Z", "accepted"),
    ]

    import_portfolio(session, document)

    assert _figures(session) == [
        ("2026-01", 1, Decimal("99.8"), True),
        ("2026-01", 2, Decimal("99.85"), True),
        ("2026-02", 1, Decimal("99.99"), False),
    ]


def test_due_day_is_configurable(session):
    document = minimal()
    document["measurements"] = [_figure("2026-01", "99.8", "2026-02-11T00:00:00Z")]

    import_portfolio(session, document, due_day=12)

    assert _figures(session) == [("2026-01", 1, Decimal("99.8"), False)]


def test_submitted_at_defaults_to_now(session):
    document = minimal()
    document["measurements"] = [_figure("2026-01", "99.8", None)]

    import_portfolio(session, document)

    figure = session.scalar(select(Measurement))
    assert isinstance(figure.submitted_at, datetime)


def test_second_import_adds_to_what_exists(session):
    import_portfolio(session, minimal())
    later = {
        "agreements": [
            {
                "ref": "UC-2",
                "kind": "underpinning",
                "supplier": "CLOUDCO",
                "title": "Backup hosting",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "services": ["CRM"],
                "targets": [
                    {
                        "metric": "AVAIL",
                        "target": "99",
                        "underpins": [{"agreement": "SLA-1", "metric": "AVAIL", "group": "a"}],
                    }
                ],
            }
        ],
        "measurements": [_figure("2026-01", "99.9", "2026-01-30T00:00:00Z")],
    }

    summary = import_portfolio(session, later)

    assert summary == (
        "0 metrics, 0 customers, 0 services, 0 suppliers, 1 agreement, 1 target, 1 link, "
        "1 measurement"
    )
    uc2 = session.scalar(select(Agreement).where(Agreement.ref == "UC-2"))
    assert uc2.status == "draft"
    assert [link.upper.label for link in uc2.targets[0].underpins] == ["SLA-1 AVAIL/CRM"]
    assert [(period, revision) for period, revision, _, _ in _figures(session)] == [
        ("2026-01", 1),
        ("2026-01", 2),
    ]


def test_existing_codes_and_refs_are_refused(session):
    import_portfolio(session, minimal())

    assert problems_of(session, {"metrics": minimal()["metrics"][:1]}) == [
        ("metrics[0].code", "AVAIL exists already")
    ]
    assert problems_of(session, {"agreements": minimal()["agreements"][:1]}) == [
        ("agreements[0].ref", "SLA-1 exists already")
    ]


# All or nothing ----------------------------------------------------------------------------


def test_one_bad_row_leaves_the_database_empty(session):
    document = minimal()
    document["measurements"][1]["period"] = "2026-13"

    assert problems_of(session, document) == [
        ("measurements[1].period", 'must be a month written YYYY-MM, such as "2026-07"')
    ]
    assert not session.new
    assert set(row_counts(session).values()) == {0}


def test_every_problem_is_reported_at_once(session):
    document = minimal()
    del document["metrics"][0]["name"]
    document["suppliers"][2]["category"] = "vital"
    document["agreements"][0]["end"] = "2025-12-31"
    document["measurements"][0]["value"] = "lots"

    assert problems_of(session, document) == [
        ("metrics[0].name", "is required"),
        ("suppliers[2].category", "must be one of: strategic, tactical, operational, commodity"),
        ("agreements[0].end", "the agreement ends before it starts (2026-01-01)"),
        ("measurements[0].value", NOT_A_DECIMAL),
    ]


# One test per rule -------------------------------------------------------------------------


def _set(document: dict, path: str, value: object) -> None:
    """Set (or with ``...`` delete) the value at a dotted path such as ``agreements.1.title``."""
    *parents, last = path.split(".")
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is ...:
        del node[last]
    elif isinstance(node, list) and int(last) == len(node):
        node.append(value)
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


RULES = {
    "missing title": (
        [("agreements.1.title", ...)],
        [("agreements[1].title", "is required")],
    ),
    "missing target value": (
        [("agreements.0.targets.0.target", ...)],
        [("agreements[0].targets[0].target", "is required")],
    ),
    "missing measurement period": (
        [("measurements.0.period", ...)],
        [("measurements[0].period", "is required")],
    ),
    "empty name": (
        [("customers.0.name", " ")],
        [("customers[0].name", "must not be empty")],
    ),
    "unknown key": (
        [("agreements.0.custmer", "ACME")],
        [("agreements[0].custmer", "unknown key")],
    ),
    "unknown metric": (
        [("agreements.3.targets.0.metric", "MTTR")],
        [("agreements[3].targets[0].metric", "unknown metric MTTR")],
    ),
    "unknown service in scope": (
        [("agreements.2.services", ["CRM", "DC"])],
        [("agreements[2].services[1]", "unknown service DC")],
    ),
    "service listed twice": (
        [("agreements.2.services", ["CRM", "CRM"])],
        [("agreements[2].services[1]", "CRM is listed twice")],
    ),
    "unknown customer": (
        [("agreements.0.customer", "GLOBEX")],
        [("agreements[0].customer", "unknown customer GLOBEX")],
    ),
    "unknown supplier": (
        [("agreements.1.supplier", "ACMEHOST")],
        [("agreements[1].supplier", "unknown supplier ACMEHOST")],
    ),
    "unknown owner": (
        [("suppliers.0.owner", "nobody@example.com")],
        [("suppliers[0].owner", "no user has the e-mail address nobody@example.com")],
    ),
    "duplicate metric code": (
        [("metrics.2", minimal()["metrics"][0])],
        [("metrics[2].code", "AVAIL appears twice; first at metrics[0]")],
    ),
    "duplicate agreement ref": (
        [("agreements.4", minimal()["agreements"][0])],
        [("agreements[4].ref", "SLA-1 appears twice; first at agreements[0]")],
    ),
    "duplicate target": (
        [("agreements.0.targets.2", {"metric": "AVAIL", "service": "CRM", "target": "99"})],
        [
            (
                "agreements[0].targets[2]",
                "duplicate target AVAIL/CRM; first at agreements[0].targets[0]",
            )
        ],
    ),
    "duplicate link": (
        [("agreements.1.targets.0.underpins.1", {"agreement": "SLA-1", "metric": "AVAIL"})],
        [
            (
                "agreements[1].targets[0].underpins[1]",
                "duplicate link to SLA-1 AVAIL/CRM; first at agreements[1].targets[0].underpins[0]",
            )
        ],
    ),
    "link between different metrics": (
        [("agreements.3.targets.1.underpins.0.metric", "RESOLVE_P1")],
        [
            (
                "agreements[3].targets[1].underpins[0].metric",
                "links AVAIL to RESOLVE_P1; a link must join targets of the same metric",
            )
        ],
    ),
    "link from a customer SLA": (
        [("agreements.0.targets.0.underpins", [{"agreement": "UC-1", "metric": "AVAIL"}])],
        [
            (
                "agreements[0].targets[0].underpins[0]",
                "a customer SLA's target cannot underpin another target; only targets of "
                "underpinning contracts, OLAs and sub-contracts can",
            )
        ],
    ),
    "link from a UC to an OLA": (
        [
            (
                "agreements.1.targets.0.underpins.0",
                {"agreement": "OLA-1", "metric": "AVAIL", "service": "CRM"},
            )
        ],
        [
            (
                "agreements[1].targets[0].underpins[0].agreement",
                "OLA-1 is not a customer SLA; targets of agreements of kind underpinning "
                "underpin customer SLA targets only",
            )
        ],
    ),
    "link to itself (no cycle can form)": (
        [("agreements.1.targets.0.underpins.0", {"agreement": "UC-1", "metric": "AVAIL"})],
        [
            (
                "agreements[1].targets[0].underpins[0].agreement",
                "UC-1 is not a customer SLA; targets of agreements of kind underpinning "
                "underpin customer SLA targets only",
            )
        ],
    ),
    "link target service left out where several are covered": (
        [("agreements.2.targets.0.underpins.0.agreement", "OLA-1")],
        [
            (
                "agreements[2].targets[0].underpins[0].service",
                "is required: OLA-1 covers 2 services",
            ),
        ],
    ),
    "link from a sub-contract past its parent": (
        [
            (
                "agreements.2.targets.0.underpins.0",
                {"agreement": "OLA-1", "metric": "AVAIL", "service": "CRM"},
            )
        ],
        [
            (
                "agreements[2].targets[0].underpins[0].agreement",
                "OLA-1 is neither a customer SLA nor this sub-contract's parent; a sub-contract's "
                "target underpins one of those",
            )
        ],
    ),
    "link to an unknown agreement": (
        [("agreements.1.targets.0.underpins.0.agreement", "SLA-9")],
        [("agreements[1].targets[0].underpins[0].agreement", "unknown agreement SLA-9")],
    ),
    "link to a missing target": (
        [("agreements.1.targets.0.underpins.0.service", "NET")],
        [("agreements[1].targets[0].underpins[0]", "SLA-1 has no target AVAIL/NET")],
    ),
    "sub-contract without parent": (
        [("agreements.2.parent", ...)],
        [
            (
                "agreements[2].parent",
                "is required: a sub-contract is placed under the lead supplier's underpinning "
                "contract",
            ),
            (
                "agreements[2].targets[0].underpins[0].agreement",
                "UC-1 is neither a customer SLA nor this sub-contract's parent; a sub-contract's "
                "target underpins one of those",
            ),
        ],
    ),
    "sub-contract with an unknown parent": (
        [("agreements.2.parent", "UC-9")],
        [
            ("agreements[2].parent", "unknown agreement UC-9"),
            (
                "agreements[2].targets[0].underpins[0].agreement",
                "UC-1 is neither a customer SLA nor this sub-contract's parent; a sub-contract's "
                "target underpins one of those",
            ),
        ],
    ),
    "sub-contract under an OLA": (
        [("agreements.2.parent", "OLA-1")],
        [
            (
                "agreements[2].parent",
                "OLA-1 is of kind ola; a sub-contract's parent must be an underpinning contract",
            ),
            (
                "agreements[2].targets[0].underpins[0].agreement",
                "UC-1 is neither a customer SLA nor this sub-contract's parent; a sub-contract's "
                "target underpins one of those",
            ),
        ],
    ),
    "parent on a UC": (
        [("agreements.1.parent", "SLA-1")],
        [("agreements[1].parent", "only a sub-contract has a parent agreement")],
    ),
    "SLA with a supplier": (
        [("agreements.0.customer", ...), ("agreements.0.supplier", "CLOUDCO")],
        [
            ("agreements[0].customer", "is required: a customer SLA's party is a customer"),
            ("agreements[0].supplier", "a customer SLA's party is a customer, not a supplier"),
        ],
    ),
    "UC with a customer": (
        [("agreements.1.customer", "ACME")],
        [
            (
                "agreements[1].customer",
                "the party of an agreement of kind underpinning is a supplier, not a customer",
            )
        ],
    ),
    "UC without supplier": (
        [("agreements.1.supplier", ...)],
        [
            (
                "agreements[1].supplier",
                "is required: the party of an agreement of kind underpinning is a supplier",
            )
        ],
    ),
    "OLA with an external supplier": (
        [("agreements.3.supplier", "CLOUDCO")],
        [
            (
                "agreements[3].supplier",
                "CLOUDCO is an external supplier; agreements of kind ola are made with internal "
                "suppliers",
            )
        ],
    ),
    "UC with an internal supplier": (
        [("agreements.1.supplier", "NETOPS")],
        [
            (
                "agreements[1].supplier",
                "NETOPS is an internal supplier; agreements of kind underpinning are made with "
                "external suppliers",
            )
        ],
    ),
    "end before start": (
        [("agreements.0.end", "2025-12-31")],
        [("agreements[0].end", "the agreement ends before it starts (2026-01-01)")],
    ),
    "bad date": (
        [("agreements.0.start", "01/01/2026")],
        [("agreements[0].start", 'must be a date written YYYY-MM-DD, such as "2026-01-31"')],
    ),
    "target not a decimal": (
        [("agreements.0.targets.0.target", "ninety-nine")],
        [("agreements[0].targets[0].target", NOT_A_DECIMAL)],
    ),
    "target out of the sane range": (
        [("agreements.0.targets.0.target", "100.5")],
        [("agreements[0].targets[0].target", "100.5 is outside the sane range 0 to 100 (unit %)")],
    ),
    "target with too many decimals": (
        [("agreements.0.targets.0.target", "99.1234567")],
        [("agreements[0].targets[0].target", "must have at most 6 decimal places")],
    ),
    "weight zero": (
        [("agreements.1.targets.0.weight", "0")],
        [("agreements[1].targets[0].weight", "must be greater than 0")],
    ),
    "credit_pct above 100": (
        [("agreements.1.targets.0.credit_pct", "101")],
        [("agreements[1].targets[0].credit_pct", "must be between 0 and 100")],
    ),
    "credit_cap_pct negative": (
        [("agreements.1.credit_cap_pct", "-1")],
        [("agreements[1].credit_cap_pct", "must be between 0 and 100")],
    ),
    "monthly_charge negative": (
        [("agreements.1.monthly_charge", "-5")],
        [("agreements[1].monthly_charge", "must not be negative")],
    ),
    "monthly_charge in fractions of a cent": (
        [("agreements.1.monthly_charge", "1.005")],
        [("agreements[1].monthly_charge", "must have at most 2 decimal places")],
    ),
    "notice_days negative": (
        [("agreements.1.notice_days", -1)],
        [("agreements[1].notice_days", "must be at least 0")],
    ),
    "value NaN": (
        [("measurements.0.value", "NaN")],
        [("measurements[0].value", "must be a finite number")],
    ),
    "value a boolean": (
        [("measurements.0.value", True)],
        [("measurements[0].value", NOT_A_DECIMAL)],
    ),
    "percentage value below 0": (
        [("measurements.0.value", "-1")],
        [("measurements[0].value", "-1 is outside the sane range 0 to 100 (unit %)")],
    ),
    "negative duration": (
        [("measurements.0.metric", "RESOLVE_P1"), ("measurements.0.value", "-2")],
        [("measurements[0].value", "-2 is below the lowest sane value 0 (unit h)")],
    ),
    "period July": (
        [("measurements.0.period", "July")],
        [("measurements[0].period", 'must be a month written YYYY-MM, such as "2026-07"')],
    ),
    "period 2026-1": (
        [("measurements.0.period", "2026-1")],
        [("measurements[0].period", 'must be a month written YYYY-MM, such as "2026-07"')],
    ),
    "bad submitted_at": (
        [("measurements.0.submitted_at", "28.01.2026")],
        [
            (
                "measurements[0].submitted_at",
                'must be a date and time in ISO 8601, such as "2026-01-28T09:00:00Z"',
            )
        ],
    ),
    "unknown status": (
        [("measurements.0.status", "approved")],
        [("measurements[0].status", "must be one of: submitted, accepted, rejected")],
    ),
    "unknown agreement kind": (
        [("agreements.3.kind", "outsourcing")],
        [("agreements[3].kind", "must be one of: sla, underpinning, ola, subcontract")],
    ),
    "unknown agreement status": (
        [("agreements.3.status", "live")],
        [
            (
                "agreements[3].status",
                "must be one of: draft, active, under_review, expired, terminated",
            )
        ],
    ),
    "unknown direction": (
        [("metrics.0.direction", "up")],
        [("metrics[0].direction", "must be one of: higher, lower")],
    ),
    "unknown composition": (
        [("metrics.0.composition", "average")],
        [("metrics[0].composition", "must be one of: product, sum, weakest")],
    ),
    "unknown supplier kind": (
        [("suppliers.2.kind", "partner")],
        [("suppliers[2].kind", "must be one of: external, internal")],
    ),
    "unknown category": (
        [("suppliers.2.category", "key")],
        [("suppliers[2].category", "must be one of: strategic, tactical, operational, commodity")],
    ),
    "measurement outside the term": (
        [("measurements.0.agreement", "SUB-1"), ("measurements.0.period", "2026-02")],
        [
            (
                "measurements[0].period",
                "2026-02 is outside the term of SUB-1 (2026-03-01 to 2026-12-31)",
            )
        ],
    ),
    "measurement for an unknown target": (
        [("measurements.0.metric", "RESOLVE_P1"), ("measurements.0.agreement", "SUB-1")],
        [("measurements[0]", "SUB-1 has no target RESOLVE_P1/CRM")],
    ),
    "measurement for an unknown metric": (
        [("measurements.0.metric", "UPTIME")],
        [("measurements[0].metric", "unknown metric UPTIME")],
    ),
    "measurement for a customer SLA": (
        [("measurements.0.agreement", "SLA-1")],
        [
            (
                "measurements[0].agreement",
                "SLA-1 is a customer SLA; figures are submitted for supplier agreements",
            )
        ],
    ),
    "measurement without service where several are covered": (
        [("measurements.1.service", None)],
        [("measurements[1].service", "is required: OLA-1 covers 2 services")],
    ),
    "target service outside the agreement": (
        [("agreements.2.targets.0.service", "NET")],
        [("agreements[2].targets[0].service", "NET is not among the agreement's services")],
    ),
    "target without service where several are covered": (
        [("agreements.3.targets.0.service", ...)],
        [("agreements[3].targets[0].service", "is required: the agreement covers 2 services")],
    ),
    "metric bounds reversed": (
        [("metrics.1.min_value", "10"), ("metrics.1.max_value", "1")],
        [("metrics[1].max_value", "must not be below min_value")],
    ),
    "wrong format": (
        [("format", "underpin-portfolio/2")],
        [("format", "must be underpin-portfolio/1")],
    ),
    "section not a list": (
        [("customers", {"code": "ACME"})],
        [("customers", "must be a list"), ("agreements[0].customer", "unknown customer ACME")],
    ),
    "entry not an object": (
        [("services.1", "NET")],
        [
            ("services[1]", "must be an object"),
            ("agreements[3].services[1]", "unknown service NET"),
            ("agreements[3].targets[0].service", "unknown service NET"),
        ],
    ),
}


@pytest.mark.parametrize(("changes", "expected"), RULES.values(), ids=RULES.keys())
def test_rule(session, changes, expected):
    document = minimal()
    for path, value in changes:
        _set(document, path, copy.deepcopy(value))

    assert problems_of(session, document) == expected
    assert row_counts(session)["metrics"] == 0


def test_a_document_that_is_not_an_object(session):
    assert problems_of(session, []) == [("", "the portfolio must be one JSON object")]


# CLI ---------------------------------------------------------------------------------------


def test_cli_import_reports_every_error_and_exits_non_zero(runner, session, tmp_path):
    document = minimal()
    document["agreements"][3]["targets"][1]["underpins"][0]["metric"] = "RESOLVE_P1"
    document["measurements"][0]["period"] = "2026-13"
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    result = runner.invoke(args=["import-portfolio", str(path)])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "agreements[3].targets[1].underpins[0].metric: links AVAIL to RESOLVE_P1; "
        "a link must join targets of the same metric",
        'measurements[0].period: must be a month written YYYY-MM, such as "2026-07"',
        f"Error: {path}: 2 error(s); nothing was imported.",
    ]
    assert row_counts(session)["agreements"] == 0


def test_cli_import_and_export(runner, session, tmp_path):
    exported = tmp_path / "exported.json"

    imported = runner.invoke(args=["import-portfolio", str(EXAMPLE)])
    written = runner.invoke(args=["export-portfolio", str(exported)])

    assert imported.exit_code == 0, imported.output
    assert imported.output == (
        "Imported 3 metrics, 2 customers, 2 services, 3 suppliers, 5 agreements, 7 targets, "
        "4 links, 23 measurements.\n"
    )
    assert written.exit_code == 0, written.output
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["users"] == []
    assert document["suppliers"][2]["name"] == "深圳数据中心有限公司"
    assert len(document["measurements"]) == 23
