"""A deterministic, valid portfolio of a chosen scale, loaded through the project's own paths.

Scale 1.0: 2,000 suppliers, 8,000 agreements (1,000 customer SLAs, underpinning contracts, OLAs
and sub-contracts), 40,000 targets linked into the SLAs, 24 months of figures (about 850,000
rows with revisions, rejections and gaps), Chinese and English names.

Contracts (and the rejected first revisions) go in through ``import_portfolio`` in chunks; the
figures through ``flask --app wsgi import-measurements FILE.csv``, one CSV per 100,000 rows.

    python bench/generate.py --scale 0.1 [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
FLASK = str(ROOT / ".venv" / "bin" / "flask")
SEED = 20261125
MONTHS = [f"{2024 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(24)]  # 2024-11..
WINDOW = (MONTHS[-12], MONTHS[-1])  # the 12-month scorecard window: 2025-11..2026-10
LARGE, SMALL = "SUP-LARGE", "SUP-SMALL"
PASSWORD = "bench-password-1234"
ADMIN, MANAGER = "bench-admin@example.com", "bench-manager@example.com"
CSV_ROWS = 100_000

METRICS = [
    # code, name, unit, direction, composition, (sla, uc, sub targets), value generator
    ("AVAIL", "Availability", "%", "higher", "product", ("99.0", "99.5", "99.7")),
    ("RESP", "Response time", "min", "lower", "sum", ("60", "30", "15")),
    ("RESOLVE", "Resolution time", "h", "lower", "sum", ("12", "6", "3")),
    ("FTF", "First-time fix rate", "%", "higher", "weakest", ("80", "82", "85")),
    ("CSAT", "Customer satisfaction", "score", "higher", "weakest", ("4.0", "4.1", "4.2")),
]
EN_WORDS = ["Global", "Pacific", "Northern", "Blue", "Apex", "Summit", "Delta", "Harbor", "Iron"]
EN_TAILS = ["Hosting Ltd", "Networks plc", "Data Services", "Cloud GmbH", "Support Inc"]
ZH_HEADS = ["华为", "深圳", "上海", "北京", "杭州", "广州", "成都", "江南", "东方", "长城"]
ZH_TAILS = ["技术有限公司", "数据中心有限公司", "网络服务有限公司", "信息科技有限公司"]


def counts(scale: float) -> dict[str, int]:
    return {
        "suppliers": max(int(2000 * scale), 20),
        "slas": max(int(1000 * scale), 10),
        "supplier_agreements": max(int(7000 * scale), 70),
        "customers": max(int(200 * scale), 4),
        "services": max(int(100 * scale), 4),
    }


def _name(rng: random.Random, index: int) -> str:
    if index % 2:
        return f"{rng.choice(ZH_HEADS)}{rng.choice(ZH_HEADS)}{rng.choice(ZH_TAILS)}{index}"
    return f"{rng.choice(EN_WORDS)} {rng.choice(EN_WORDS)} {rng.choice(EN_TAILS)} {index}"


def _value(rng: random.Random, metric: str, goal: str) -> str:
    target = float(goal)
    if metric == "AVAIL":
        return f"{min(100.0, target + rng.uniform(-0.4, 0.5)):.2f}"
    if metric == "CSAT":
        return f"{min(5.0, max(0.0, target + rng.uniform(-0.6, 0.6))):.1f}"
    if metric == "FTF":
        return f"{min(100.0, max(0.0, target + rng.uniform(-8, 10))):.1f}"
    return f"{max(0.0, target * rng.uniform(0.5, 1.3)):.2f}"  # durations: lower is better


class Portfolio:
    """The whole portfolio as plain data: chunks for import_portfolio, rows for the CSV."""

    def __init__(self, scale: float, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.n = counts(scale)
        self.suppliers = self._suppliers()
        self.slas = self._slas()
        self.agreements = self._supplier_agreements()
        self.rejected: set[tuple[str, str, str, str]] = set()

    def _suppliers(self) -> list[dict[str, Any]]:
        rows = []
        for index in range(self.n["suppliers"]):
            code = LARGE if index == 0 else SMALL if index == 1 else f"SUP{index:05d}"
            internal = index >= 2 and index % 10 == 0
            rows.append(
                {
                    "code": code,
                    "name": _name(self.rng, index),
                    "kind": "internal" if internal else "external",
                    "category": ("strategic", "tactical", "operational", "commodity")[index % 4],
                }
            )
        return rows

    def _slas(self) -> list[dict[str, Any]]:
        slas = []
        for index in range(self.n["slas"]):
            service = f"SVC{index % self.n['services']:03d}"
            slas.append(
                {
                    "ref": f"SLA{index:05d}",
                    "kind": "sla",
                    "customer": f"CUS{index % self.n['customers']:04d}",
                    "title": f"客户服务协议 {index}" if index % 3 == 0 else f"Customer SLA {index}",
                    "status": "active",
                    "start": "2024-01-01",
                    "end": "2027-12-31",
                    "services": [service],
                    "targets": [
                        {"metric": m[0], "service": service, "target": m[5][0]} for m in METRICS
                    ],
                }
            )
        return slas

    def _supplier_agreements(self) -> list[dict[str, Any]]:
        total = self.n["supplier_agreements"]
        leads = [s for s in self.suppliers if s["kind"] == "external" and s["code"] != SMALL]
        internal = [s for s in self.suppliers if s["kind"] == "internal"]
        subs = total // 5
        agreements = []
        # The large supplier: 40 contracts x 5 targets = 200 targets; the small: 1 x 2.
        plan = [(LARGE, "underpinning")] * 40 + [(SMALL, "underpinning")]
        others = [s for s in leads if s["code"] != LARGE]
        for index in range(total - subs - len(plan)):
            if internal and index % 7 == 0:
                plan.append((internal[index % len(internal)]["code"], "ola"))
            else:
                plan.append((others[index % len(others)]["code"], "underpinning"))
        for index, (supplier, kind) in enumerate(plan):
            sla = self.slas[index % len(self.slas)]
            metrics = METRICS[:2] if supplier == SMALL else METRICS
            agreements.append(self._agreement(index, kind, supplier, sla, None, metrics))
        lead_contracts = [
            a for a in agreements if a["kind"] == "underpinning" and a["supplier"] != SMALL
        ]
        for number in range(subs):
            parent = lead_contracts[number % len(lead_contracts)]
            supplier = others[(number * 7 + 3) % len(others)]["code"]
            if supplier == parent["supplier"]:
                supplier = others[(number * 7 + 4) % len(others)]["code"]
            index = len(agreements)
            agreements.append(
                self._agreement(index, "subcontract", supplier, None, parent, METRICS)
            )
        return agreements

    def _agreement(
        self,
        index: int,
        kind: str,
        supplier: str,
        sla: dict[str, Any] | None,
        parent: dict[str, Any] | None,
        metrics: list[tuple[Any, ...]],
    ) -> dict[str, Any]:
        upper = sla or parent
        assert upper is not None
        service = upper["services"][0]
        level = 2 if parent else 1
        late_start = index % 9 == 0  # some contracts start mid-window: fewer due months
        prefix = {"underpinning": "UC", "ola": "OLA", "subcontract": "SUB"}[kind]
        agreement: dict[str, Any] = {
            "ref": f"{prefix}{index:05d}",
            "kind": kind,
            "supplier": supplier,
            "title": f"外包合同 {index}" if index % 2 else f"Outsourcing contract {index}",
            "status": "active",
            "start": "2025-06-01" if late_start else "2024-01-01",
            "end": "2027-12-31",
            "notice_days": 90,
            "review_months": 12,
            "services": [service],
            "monthly_charge": "0" if kind == "ola" else f"{1000 + index % 50 * 500}.00",
            "currency": "USD",
            "credit_cap_pct": "10",
            "targets": [],
        }
        if parent:
            agreement["parent"] = parent["ref"]
        for metric in metrics:
            link = {"agreement": upper["ref"], "metric": metric[0], "service": service}
            link["group"] = "dc" if metric[0] == "AVAIL" and index % 4 == 0 else None
            agreement["targets"].append(
                {
                    "metric": metric[0],
                    "service": service,
                    "target": metric[5][level],
                    "weight": "2" if metric[0] == "AVAIL" else "1",
                    "credit_pct": "2",
                    "underpins": [link],
                }
            )
        return agreement

    def months_of(self, agreement: dict[str, Any]) -> list[str]:
        start = agreement["start"][:7]
        return [month for month in MONTHS if month >= start]

    def chunks(self, size: int = 1000) -> list[dict[str, Any]]:
        """import_portfolio documents: reference data and SLAs first, then the contracts."""
        first = {
            "format": "underpin-portfolio/1",
            "metrics": [
                {"code": m[0], "name": m[1], "unit": m[2], "direction": m[3], "composition": m[4]}
                | ({"min_value": "0", "max_value": "5"} if m[2] == "score" else {})
                for m in METRICS
            ],
            "customers": [
                {"code": f"CUS{i:04d}", "name": _name(self.rng, i)}
                for i in range(self.n["customers"])
            ],
            "services": [
                {"code": f"SVC{i:03d}", "name": f"Service {i} 服务"}
                for i in range(self.n["services"])
            ],
            "suppliers": self.suppliers,
            "agreements": self.slas,
        }
        documents = [first]
        for start in range(0, len(self.agreements), size):
            part = self.agreements[start : start + size]
            documents.append(
                {
                    "format": "underpin-portfolio/1",
                    "agreements": part,
                    "measurements": self._rejections(part),
                }
            )
        return documents

    def _rejections(self, agreements: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """About 1 % of the figures: a first revision the vendor manager rejected."""
        rejected = []
        for agreement in agreements:
            for target in agreement["targets"]:
                for month in self.months_of(agreement):
                    if self.rng.random() < 0.01:
                        key = (agreement["ref"], target["metric"], target["service"], month)
                        self.rejected.add(key)
                        rejected.append(
                            {
                                "agreement": key[0],
                                "metric": key[1],
                                "service": key[2],
                                "period": month,
                                "value": _value(self.rng, key[1], target["target"]),
                                "status": "rejected",
                                "reject_reason": "evidence does not match the figure",
                                "submitted_at": f"{month}-28T09:00:00Z",
                            }
                        )
        return rejected

    def figure_rows(self) -> tuple[list[list[str]], list[list[str]]]:
        """CSV rows: ~4 % of months missing (gaps); and ~5 % corrected later (a second file:
        one file holds one figure per target and month)."""
        rows, corrections = [], []
        for agreement in self.agreements:
            for target in agreement["targets"]:
                metric, service, goal = target["metric"], target["service"], target["target"]
                for month in self.months_of(agreement):
                    if self.rng.random() < 0.04:
                        continue
                    value = _value(self.rng, metric, goal)
                    comment = "本月按时完成" if self.rng.random() < 0.05 else ""
                    rows.append([agreement["ref"], service, metric, month, value, comment])
                    if self.rng.random() < 0.05:
                        fixed = _value(self.rng, metric, goal)
                        corrections.append(
                            [agreement["ref"], service, metric, month, fixed, "corrected"]
                        )
        return rows, corrections


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["agreement", "service", "metric", "period", "value", "comment"])
        writer.writerows(rows)


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, SECRET_KEY="bench-secret-not-for-production")
    env.pop("FLASK_DEBUG", None)
    return env


def flask(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [FLASK, "--app", "wsgi", *args],
        cwd=ROOT,
        env=bench_env(database_url),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def reset_database(database_url: str) -> None:
    """An empty database: the SQLite file removed, or PostgreSQL's database recreated."""
    if database_url.startswith("sqlite"):
        Path(database_url.split("///", 1)[1]).unlink(missing_ok=True)
        return
    import psycopg

    base, _, name = database_url.rpartition("/")
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def generate(database_url: str, scale: float, *, quiet: bool = False) -> dict[str, Any]:
    """Build the portfolio into an empty database; returns what was made and the tokens."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    began = time.perf_counter()
    DATA.mkdir(parents=True, exist_ok=True)
    reset_database(database_url)
    flask(database_url, "db", "upgrade")
    portfolio = Portfolio(scale)
    os.environ.update(bench_env(database_url))
    from contracts import accounts
    from contracts.db import utcnow  # noqa: F401  (imports after the environment is set)
    from portal import create_app
    from portal.extensions import db
    from scorecards.portfolio import PortfolioError, import_portfolio

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        for number, document in enumerate(portfolio.chunks(), start=1):
            try:
                summary = import_portfolio(db.session, document)
            except PortfolioError as error:
                sys.exit("\n".join(str(problem) for problem in error.problems[:20]))
            db.session.commit()
            say(f"  portfolio chunk {number}: {summary}")
        tokens = _accounts(db.session, accounts, portfolio)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    originals, corrections = portfolio.figure_rows()
    rows = originals + corrections
    tag = database_tag(database_url)
    files = [originals[start : start + CSV_ROWS] for start in range(0, len(originals), CSV_ROWS)]
    for number, part in enumerate([*files, corrections], start=1):
        path = DATA / f"figures-{tag}-{number}.csv"
        write_csv(path, part)
        result = flask(database_url, "import-measurements", str(path))
        path.unlink()  # kept only when the import fails
        say(f"  {path.name}: {result.stdout.strip()}")
    info = {
        "scale": scale,
        "counts": portfolio.n,
        "agreements": len(portfolio.slas) + len(portfolio.agreements),
        "targets": 5 * len(portfolio.slas) + sum(len(a["targets"]) for a in portfolio.agreements),
        "figures": len(rows) + len(portfolio.rejected),
        "tokens": tokens,
        "seconds": round(time.perf_counter() - began, 1),
    }
    (DATA / f"portfolio-{tag}.json").write_text(json.dumps(info, indent=1))
    say(f"  generated in {info['seconds']} s: {info['targets']} targets, {info['figures']} figures")
    return info


def _accounts(session: Any, accounts: Any, portfolio: Portfolio) -> dict[str, Any]:
    """An admin, a vendor manager and 25 suppliers' users, each with an API token."""
    tokens: dict[str, Any] = {"suppliers": {}}
    for email, role in ((ADMIN, "admin"), (MANAGER, "vendor_manager")):
        user = accounts.create_user(session, email, role, PASSWORD)
        tokens[role] = accounts.create_token(session, user, "bench").secret
    lead = [a for a in portfolio.agreements if a["kind"] != "subcontract"]
    for supplier in sorted({a["supplier"] for a in lead if a["supplier"] != LARGE})[:25]:
        email = f"bench-{supplier.lower()}@example.com"
        user = accounts.create_user(session, email, "supplier", PASSWORD, supplier_code=supplier)
        refs = [a["ref"] for a in lead if a["supplier"] == supplier]
        tokens["suppliers"][supplier] = {
            "token": accounts.create_token(session, user, "bench").secret,
            "email": email,
            "agreements": [
                [a["ref"], target["metric"], target["service"]]
                for a in lead
                if a["ref"] in refs
                for target in a["targets"]
            ],
        }
    return tokens


def database_tag(database_url: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in database_url.rsplit("/", 1)[-1])


def sqlite_url(name: str) -> str:
    return f"sqlite:///{DATA / name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    url = arguments.database_url or sqlite_url(f"bench-{arguments.scale:g}.sqlite")
    info = generate(url, arguments.scale)
    print(json.dumps({k: v for k, v in info.items() if k != "tokens"}))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
