"""The demo portfolio's people, reference data and agreements (SPEC section 5 format).

Dates are given as month offsets from the first month of the demo's 18-month window, so the
portfolio always looks current: offset 0 is the window's first month, 17 its last, 18 the
month of "today".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import periods

DOMAIN = "underpin.example.com"
VENDOR_MANAGER = f"li.na@{DOMAIN}"

# (role, e-mail, password, display name, supplier code): one login per role, printed by
# `flask seed-demo` and `flask demo-logins`. Fixed demo passwords: this is demo data.
LOGINS: list[tuple[str, str, str, str, str | None]] = [
    ("admin", f"admin@{DOMAIN}", "demo-admin-2026", "Portal Administrator", None),
    ("vendor_manager", VENDOR_MANAGER, "demo-vendor-2026", "李娜 (Li Na)", None),
    ("procurement", f"priya.shah@{DOMAIN}", "demo-procure-2026", "Priya Shah", None),
    ("auditor", f"tom.becker@{DOMAIN}", "demo-audit-2026", "Tom Becker", None),
    ("supplier", "wang.wei@huawei.example.cn", "demo-supplier-2026", "王伟 (Wang Wei)", "HUAWEI"),
]

# Supplier staff who submit figures and answer disputes but have no printed login.
SUPPLIER_STAFF: list[tuple[str, str, str]] = [
    ("sarah.jones@cloudco.example.com", "Sarah Jones", "CLOUDCO"),
    ("desk.lead@northwind.example.com", "Dan Miller", "NORTHWIND"),
    ("zhou.min@szdc.example.cn", "周敏 (Zhou Min)", "SZDC"),
    ("liu.yang@shwl.example.cn", "刘洋 (Liu Yang)", "SHWL"),
    ("noc.lead@underpin.example.com", "Omar Haddad (NOC lead)", "NETOPS"),
]

METRICS = [
    {"code": "AVAIL", "name": "Availability", "unit": "%", "direction": "higher",
     "composition": "product"},
    {"code": "P1_RESOLVE", "name": "P1 resolution time", "unit": "h", "direction": "lower",
     "composition": "sum"},
    {"code": "FTF", "name": "First-time fix rate", "unit": "%", "direction": "higher",
     "composition": "weakest"},
    {"code": "BACKUP_OK", "name": "Backup success rate", "unit": "%", "direction": "higher",
     "composition": "weakest"},
    {"code": "RESPONSE", "name": "P1 response time", "unit": "min", "direction": "lower",
     "composition": "sum"},
]  # fmt: skip

CUSTOMERS = [
    {"code": "JNMG", "name": "江南制造集团"},
    {"code": "ACME", "name": "Acme Insurance"},
    {"code": "HVU", "name": "Harbourview University"},
]

SERVICES = [
    {"code": "CRM", "name": "CRM platform"},
    {"code": "NET", "name": "Campus network"},
    {"code": "SD", "name": "Service desk"},
    {"code": "DCH", "name": "Data centre hosting"},
    {"code": "BACKUP", "name": "数据备份 (data backup)"},
]


def _contact(name: str, role: str, email: str, phone: str) -> dict[str, str]:
    return {"name": name, "role": role, "email": email, "phone": phone}


SUPPLIERS = [
    {"code": "HUAWEI", "name": "华为技术有限公司", "kind": "external", "category": "strategic",
     "contacts": [
         _contact("王伟", "Service delivery manager", "wang.wei@huawei.example.cn",
                  "+86 755 2878 0001"),
         _contact("陈静", "Account director", "chen.jing@huawei.example.cn", "+86 755 2878 0002"),
     ]},
    {"code": "SZDC", "name": "深圳数据中心有限公司", "kind": "external", "category": "operational",
     "contacts": [
         _contact("刘洋", "Customer operations", "noc@szdc.example.cn", "+86 755 8666 1200"),
     ]},
    {"code": "SHWL", "name": "上海网联工程有限公司", "kind": "external", "category": "commodity",
     "contacts": [
         _contact("赵磊", "Field service dispatcher", "dispatch@shwl.example.cn",
                  "+86 21 6432 7788"),
     ]},
    {"code": "CLOUDCO", "name": "CloudCo Hosting Ltd", "kind": "external", "category": "strategic",
     "contacts": [
         _contact("Sarah Jones", "Service manager", "sarah.jones@cloudco.example.com",
                  "+44 20 7946 0321"),
         _contact("Mark Evans", "Commercial lead", "mark.evans@cloudco.example.com",
                  "+44 20 7946 0322"),
     ]},
    {"code": "NORTHWIND", "name": "Northwind Service Desk", "kind": "external",
     "category": "tactical",
     "contacts": [
         _contact("Dan Miller", "Service desk lead", "desk.lead@northwind.example.com",
                  "+1 206 555 0142"),
     ]},
    {"code": "NETOPS", "name": "Network Operations", "kind": "internal",
     "category": "tactical",
     "contacts": [
         _contact("Grace Liu", "Head of network operations", f"grace.liu@{DOMAIN}", "x4410"),
     ]},
]  # fmt: skip
for _supplier in SUPPLIERS:
    _supplier["owner"] = VENDOR_MANAGER


def month_start(first: date, offset: int) -> date:
    return periods.first_day(periods.shift(periods.of(first), offset))


def month_end(first: date, offset: int) -> date:
    return periods.last_day(periods.shift(periods.of(first), offset))


def _target(
    metric: str,
    service: str,
    target: str,
    *underpins: tuple[str, str, str, str | None],
    weight: str = "1",
    credit: str = "0",
) -> dict[str, Any]:
    return {
        "metric": metric,
        "service": service,
        "target": target,
        "weight": weight,
        "credit_pct": credit,
        "underpins": [
            {"agreement": ref, "metric": code, "service": svc, "group": group}
            for ref, code, svc, group in underpins
        ],
    }


def _contract_terms(scope: str, requirements: str, **other: str) -> dict[str, str]:
    """The ISO/IEC 20000-1 contents of a supplier contract, with house defaults."""
    terms = {
        "scope": scope,
        "requirements": requirements,
        "responsibilities": "Supplier service manager accountable for delivery; our vendor "
        "manager owns the relationship and approves changes.",
        "interfaces": "Incidents and changes through our ITSM tool; major incidents bridged "
        "by phone within 15 minutes.",
        "dependencies": "Access to our sites and change calendar.",
        "workload": "Business hours 08:00-18:00 local time; peaks at month and quarter end.",
        "exceptions": "Approved planned maintenance and force majeure are excluded from "
        "service levels; exceptions are logged and agreed at the monthly review.",
        "reporting": "Monthly figures in Underpin by the 10th of the following month, with "
        "evidence; service review meeting monthly.",
        "charging": "Fixed monthly charge, invoiced monthly in arrears; service credits per "
        "missed target, capped.",
        "termination": "Either party with the notice period; exit plan with knowledge "
        "transfer and data return within 30 days.",
    }
    terms.update(other)
    return terms


def _agreement(
    first: date,
    ref: str,
    kind: str,
    party: str,
    title: str,
    term: tuple[int, int],
    services: list[str],
    targets: list[dict[str, Any]],
    **fields: Any,
) -> dict[str, Any]:
    party_key = {"sla": "customer"}.get(kind, "supplier")
    agreement = {
        "ref": ref,
        "kind": kind,
        party_key: party,
        "title": title,
        "status": "active",
        "start": month_start(first, term[0]).isoformat(),
        "end": month_end(first, term[1]).isoformat(),
        "owner": VENDOR_MANAGER,
        "services": services,
        "targets": targets,
    }
    agreement.update(fields)
    return agreement


def customer_slas(first: date) -> list[dict[str, Any]]:
    return [
        _agreement(
            first, "SLA-JNMG-DCH", "sla", "JNMG", "数据中心托管与备份服务", (-6, 41),
            ["DCH", "BACKUP"],
            [_target("AVAIL", "DCH", "99.95", weight="2"),
             _target("BACKUP_OK", "BACKUP", "99.0"),
             # No supplier target behind this one: shows as not underpinned.
             _target("P1_RESOLVE", "DCH", "6")],
            scope="Hosting of the group's ERP and MES systems in two data centres, with "
            "nightly backups (数据备份).", review_months=12, monthly_charge="120000.00",
            currency="CNY",
        ),
        _agreement(
            first, "SLA-ACME-CRM", "sla", "ACME", "CRM platform and service desk for Acme",
            (-12, 23), ["CRM", "SD"],
            [_target("AVAIL", "CRM", "99.5", weight="2"),
             _target("P1_RESOLVE", "CRM", "8"),
             _target("FTF", "SD", "70"),
             _target("RESPONSE", "SD", "20")],
            scope="Managed CRM platform for 1,200 agents, with first-line service desk.",
            review_months=12, monthly_charge="85000.00", currency="USD",
        ),
        _agreement(
            first, "SLA-HVU-NET", "sla", "HVU", "Campus network for Harbourview University",
            (-3, 32), ["NET"],
            [_target("AVAIL", "NET", "99.8", weight="2"),
             _target("P1_RESOLVE", "NET", "8"),
             _target("FTF", "NET", "80"),
             _target("RESPONSE", "NET", "15")],
            scope="Wired and wireless network on three campuses, 40 buildings.",
            review_months=12, monthly_charge="64000.00", currency="USD",
        ),
    ]  # fmt: skip


def network_contracts(first: date) -> list[dict[str, Any]]:
    return [
        _agreement(
            first, "UC-HUAWEI-NET", "underpinning", "HUAWEI", "园区网络核心与运维服务",
            (0, 32), ["NET"],
            [_target("AVAIL", "NET", "99.9", ("SLA-HVU-NET", "AVAIL", "NET", None),
                     weight="2", credit="5"),
             _target("P1_RESOLVE", "NET", "4", ("SLA-HVU-NET", "P1_RESOLVE", "NET", None),
                     credit="3"),
             _target("FTF", "NET", "85", ("SLA-HVU-NET", "FTF", "NET", None))],
            notice_days=90, review_months=6, monthly_charge="54600.00", currency="CNY",
            credit_cap_pct="10",
            **_contract_terms(
                "Core and distribution network of the Harbourview campuses: design authority, "
                "monitoring, 3rd-line support and hardware replacement.",
                "Availability 99.9 % per month; P1 restored within 4 h; 85 % fixed first time.",
                dependencies="Field engineering sub-contracted to 上海网联工程有限公司 "
                "(SUB-SHWL-FIELD) under Huawei's responsibility.",
            ),
        ),
        _agreement(
            first, "SUB-SHWL-FIELD", "subcontract", "SHWL", "现场工程师服务 (field engineering)",
            (0, 20), ["NET"],
            [_target("P1_RESOLVE", "NET", "3", ("UC-HUAWEI-NET", "P1_RESOLVE", "NET", None),
                     credit="2"),
             _target("FTF", "NET", "85", ("UC-HUAWEI-NET", "FTF", "NET", None))],
            parent="UC-HUAWEI-NET", notice_days=60, review_months=12,
            monthly_charge="18000.00", currency="CNY",
            **_contract_terms(
                "On-site engineers for cabling, access switches and wireless access points.",
                "On site within 2 h for P1; P1 fixed within 3 h; 85 % fixed on first visit.",
            ),
        ),
        _agreement(
            first, "OLA-NETOPS", "ola", "NETOPS", "Campus network operations OLA", (0, 29),
            ["NET"],
            [_target("AVAIL", "NET", "99.95", ("SLA-HVU-NET", "AVAIL", "NET", None)),
             _target("P1_RESOLVE", "NET", "2", ("SLA-HVU-NET", "P1_RESOLVE", "NET", None)),
             # 78 % under the customer's 80 %: the demo's alignment gap.
             _target("FTF", "NET", "78", ("SLA-HVU-NET", "FTF", "NET", None)),
             _target("RESPONSE", "NET", "10", ("SLA-HVU-NET", "RESPONSE", "NET", None))],
            notice_days=30, review_months=12,
            **_contract_terms(
                "First-line network monitoring, triage and access-layer changes.",
                "Respond to P1 within 10 min; hand over to Huawei within 2 h.",
                charging="Internal: no charge; costs allocated through the annual budget.",
            ),
        ),
    ]  # fmt: skip


def hosting_contracts(first: date) -> list[dict[str, Any]]:
    return [
        _agreement(
            first, "UC-CLOUDCO-CRM", "underpinning", "CLOUDCO", "CRM platform hosting",
            (0, 23), ["CRM"],
            [_target("AVAIL", "CRM", "99.9", ("SLA-ACME-CRM", "AVAIL", "CRM", None),
                     weight="2", credit="5"),
             _target("P1_RESOLVE", "CRM", "4", ("SLA-ACME-CRM", "P1_RESOLVE", "CRM", None),
                     credit="3")],
            notice_days=90, auto_renew=True, renewal_months=12, review_months=6,
            monthly_charge="40000.00", currency="USD", credit_cap_pct="15",
            **_contract_terms(
                "Managed hosting of the CRM platform: infrastructure, OS, database, backups.",
                "Availability 99.9 % per month; P1 resolved within 4 h.",
                dependencies="Colocation sub-contracted to 深圳数据中心有限公司 (SUB-SZDC-COLO).",
            ),
        ),
        _agreement(
            first, "SUB-SZDC-COLO", "subcontract", "SZDC", "CRM 机柜托管 (colocation)", (3, 23),
            ["CRM"],
            [_target("AVAIL", "CRM", "99.95", ("UC-CLOUDCO-CRM", "AVAIL", "CRM", None),
                     credit="4")],
            parent="UC-CLOUDCO-CRM", notice_days=60, review_months=12,
            monthly_charge="8000.00", currency="USD",
            **_contract_terms(
                "Four racks, power and cooling in the Shenzhen data centre for CloudCo.",
                "Power and cooling availability 99.95 % per month.",
            ),
        ),
        _agreement(
            first, "UC-SZDC-DC", "underpinning", "SZDC", "主数据中心托管与数据备份", (0, 21),
            ["DCH", "BACKUP"],
            [_target("AVAIL", "DCH", "99.9", ("SLA-JNMG-DCH", "AVAIL", "DCH", "dc-pair"),
                     weight="2", credit="5"),
             _target("BACKUP_OK", "BACKUP", "99.5", ("SLA-JNMG-DCH", "BACKUP_OK", "BACKUP", None),
                     credit="2")],
            notice_days=90, review_months=6, monthly_charge="260000.00", currency="CNY",
            credit_cap_pct="10",
            **_contract_terms(
                "Primary data centre (Shenzhen) for 江南制造集团: hosting and nightly backups.",
                "Availability 99.9 %; 99.5 % of backup jobs successful each month.",
            ),
        ),
        _agreement(
            first, "UC-CLOUDCO-DR", "underpinning", "CLOUDCO",
            "Secondary data centre (active-active)", (0, 29), ["DCH"],
            [_target("AVAIL", "DCH", "99.5", ("SLA-JNMG-DCH", "AVAIL", "DCH", "dc-pair"),
                     credit="3")],
            notice_days=90, review_months=12, monthly_charge="30000.00", currency="USD",
            **_contract_terms(
                "Secondary site running in parallel with UC-SZDC-DC: either site carries the "
                "full load.",
                "Availability 99.5 % per month.",
            ),
        ),
        _agreement(
            first, "UC-CLOUDCO-BKP", "underpinning", "CLOUDCO",
            "Offsite backup vault (in negotiation)", (19, 42), ["BACKUP"],
            [_target("BACKUP_OK", "BACKUP", "99.9", credit="2")],
            status="draft", notice_days=90, review_months=12, monthly_charge="6500.00",
            currency="USD",
            **_contract_terms("Immutable offsite copies of the nightly backups.",
                              "99.9 % of copy jobs successful per month."),
        ),
    ]  # fmt: skip


def service_desk_contracts(first: date) -> list[dict[str, Any]]:
    desk_terms = _contract_terms(
        "First-line service desk for Acme Insurance's CRM users, 24x7, English.",
        "P1 answered within 15 min; 75 % of tickets fixed first time.",
        workload="About 4,000 contacts a month; peaks after CRM releases.",
    )
    return [
        _agreement(
            first, "UC-NORTHWIND-SD-1", "underpinning", "NORTHWIND", "Service desk (first term)",
            (0, 5), ["SD"],
            [_target("FTF", "SD", "75", credit="2"), _target("RESPONSE", "SD", "15", credit="2")],
            status="expired", notice_days=60, review_months=6, monthly_charge="22000.00",
            currency="USD", **desk_terms,
        ),
        _agreement(
            first, "UC-NORTHWIND-SD-2", "underpinning", "NORTHWIND", "Service desk (second term)",
            (6, 29), ["SD"],
            [_target("FTF", "SD", "75", ("SLA-ACME-CRM", "FTF", "SD", None), credit="2"),
             _target("RESPONSE", "SD", "15", ("SLA-ACME-CRM", "RESPONSE", "SD", None),
                     credit="2")],
            status="under_review", notice_days=60, review_months=6,
            monthly_charge="23500.00", currency="USD", credit_cap_pct="10", **desk_terms,
        ),
    ]  # fmt: skip


def agreements(first: date) -> list[dict[str, Any]]:
    """Every agreement, parents before their sub-contracts and SLAs before what underpins them."""
    return (
        customer_slas(first)
        + network_contracts(first)
        + hosting_contracts(first)
        + service_desk_contracts(first)
    )
