"""Underpin's benchmark: each figure measured beside its floor in the same run.

    python bench/run.py --scale 0.1        # make bench-quick
    python bench/run.py --scale 1.0        # make bench
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench python bench/run.py

SQLite files live in bench/data/. On PostgreSQL the extra portfolios (a quarter of the size for
the growth exponent, 200 suppliers for rendering) go into databases named after
BENCH_DATABASE_URL's with a suffix (``bench_quarter``, ``bench_render``). Writes
bench/results.json and prints a table of every figure beside its goal.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import math
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import (  # noqa: E402
    DATA,
    FLASK,
    LARGE,
    MONTHS,
    SMALL,
    WINDOW,
    bench_env,
    database_tag,
    generate,
    sqlite_url,
    write_csv,
)

CORES = os.cpu_count() or 1
GOALS = {
    "scorecard_queries": "small == large",
    "scorecard_vs_floor": "<= 3",
    "overview_vs_floor": "<= 2",
    "alignment_vs_floor": "<= 3",
    "import_vs_floor": "<= 3",
    "import_peak_mb": "< 300",
    "render_speedup": f">= {0.8 * CORES:g} (0.8 x {CORES} cores)",
    "api_vs_inprocess": "<= 1.5",
    "growth_exponent": "<= 1.1",
}


def met(name: str, value: Any) -> bool:
    checks: dict[str, Callable[[Any], bool]] = {
        "scorecard_queries": lambda v: v["small"] == v["large"],
        "scorecard_vs_floor": lambda v: v <= 3,
        "overview_vs_floor": lambda v: v <= 2,
        "alignment_vs_floor": lambda v: v <= 3,
        "import_vs_floor": lambda v: v <= 3,
        "import_peak_mb": lambda v: v < 300,
        "render_speedup": lambda v: v >= 0.8 * CORES,
        "api_vs_inprocess": lambda v: v <= 1.5,
        "growth_exponent": lambda v: v <= 1.1,
    }
    return checks[name](value)


def median_time(action: Callable[[], Any], repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


# ── Databases ───────────────────────────────────────────────────────────────────────────────
def sibling_url(url: str, suffix: str, scale: float) -> str:
    if url.startswith("sqlite"):
        return sqlite_url(f"bench-{scale:g}.sqlite")
    return f"{url}_{suffix}"


def ensure(url: str, scale: float, reuse: bool) -> dict[str, Any]:
    info_path = DATA / f"portfolio-{database_tag(url)}.json"
    if reuse and info_path.exists():
        info = json.loads(info_path.read_text())
        if info["scale"] == scale:
            return info
    print(f"generating scale {scale:g} into {url}", file=sys.stderr, flush=True)
    return generate(url, scale)


class Driver:
    """The floor: the bare DB-API driver (sqlite3 or psycopg), no SQLAlchemy, no objects."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.connection: Any = sqlite3.connect(url.split("///", 1)[1])
            self.mark = "?"
        else:
            import psycopg

            self.connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
            self.mark = "%s"

    def rows(self, sql: str, *params: Any) -> list[Any]:
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", self.mark), params)
        rows = cursor.fetchall()
        self.connection.commit()
        return rows

    def execute(self, sql: str) -> None:
        self.connection.cursor().execute(sql)
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()


WINDOW_ROWS = (
    "SELECT m.target_id, m.period, m.revision, m.status, m.value FROM measurements m"
    " WHERE m.period >= ? AND m.period <= ?"
)
SUPPLIER_ROWS = (
    "SELECT m.target_id, m.period, m.revision, m.status, m.value FROM measurements m"
    " JOIN targets t ON t.id = m.target_id JOIN agreements a ON a.id = t.agreement_id"
    " WHERE a.supplier_id = ? AND m.period >= ? AND m.period <= ?"
)


# ── In-process figures ──────────────────────────────────────────────────────────────────────
class InProcess:
    def __init__(self, url: str) -> None:
        os.environ.update(bench_env(url))
        from portal import create_app

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        self.context = self.app.app_context()
        self.context.push()
        from portal.extensions import db

        self.db = db

    def close(self) -> None:
        self.db.session.remove()
        self.db.engine.dispose()
        self.context.pop()

    def supplier(self, code: str) -> Any:
        from sqlalchemy import select

        from contracts.models import Supplier

        return self.db.session.scalar(select(Supplier).where(Supplier.code == code))

    def scorecard_json(self, code: str) -> str:
        from datetime import date

        from portal.jsonio import dumps
        from scorecards.scorecard import as_json, build

        self.db.session.expire_all()
        card = build(self.db.session, self.supplier(code), *WINDOW, today=date.today())
        return dumps(as_json(card))

    def count_statements(self, action: Callable[[], Any]) -> int:
        from sqlalchemy import event

        statements = []

        def listener(*_args: Any) -> None:
            statements.append(1)

        event.listen(self.db.engine, "before_cursor_execute", listener)
        try:
            action()
        finally:
            event.remove(self.db.engine, "before_cursor_execute", listener)
        return len(statements)

    def overview(self) -> int:
        from scorecards.overview import portfolio_overview

        self.db.session.expire_all()
        return len(portfolio_overview(self.db.session, *WINDOW))

    def alignment(self) -> int:
        from contracts.chain import alignment_document, load_chain

        self.db.session.expire_all()
        document = alignment_document(load_chain(self.db.session).alignment())
        return len(document["items"])


def measure_scorecards(app: InProcess, driver: Driver, results: dict[str, Any]) -> None:
    small = app.count_statements(lambda: app.scorecard_json(SMALL))
    large = app.count_statements(lambda: app.scorecard_json(LARGE))
    results["scorecard_queries"] = {"small": small, "large": large}
    supplier_id = app.supplier(LARGE).id
    seconds = median_time(lambda: app.scorecard_json(LARGE), 7)
    floor = median_time(lambda: driver.rows(SUPPLIER_ROWS, supplier_id, *WINDOW), 7)
    rows = len(driver.rows(SUPPLIER_ROWS, supplier_id, *WINDOW))
    results["scorecard_vs_floor"] = seconds / floor
    results["details"]["scorecard"] = {"seconds": seconds, "floor_seconds": floor, "rows": rows}


def measure_overview(app: InProcess, driver: Driver, results: dict[str, Any]) -> float:
    seconds = median_time(app.overview, 3)
    floor = median_time(lambda: driver.rows(WINDOW_ROWS, *WINDOW), 3)
    rows = len(driver.rows(WINDOW_ROWS, *WINDOW))
    results["overview_vs_floor"] = seconds / floor
    results["details"]["overview"] = {"seconds": seconds, "floor_seconds": floor, "rows": rows}
    return seconds


def measure_alignment(app: InProcess, driver: Driver, results: dict[str, Any]) -> None:
    def floor_read() -> None:
        driver.rows("SELECT id, agreement_id, metric_id, service_id, target FROM targets")
        driver.rows('SELECT id, upper_id, lower_id, "group" FROM links')

    seconds = median_time(app.alignment, 3)
    floor = median_time(floor_read, 3)
    results["alignment_vs_floor"] = seconds / floor
    results["details"]["alignment"] = {
        "seconds": seconds,
        "floor_seconds": floor,
        "items": app.alignment(),
    }


# ── gunicorn ────────────────────────────────────────────────────────────────────────────────
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn on loopback with the project's gunicorn.conf.py; the log goes to a file."""

    def __init__(self, url: str, port: int | None = None, workers: int = CORES) -> None:
        self.port = port or free_port()
        env = bench_env(url)
        env.update(BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers))
        self.log = (DATA / f"gunicorn-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def request(
        self, method: str, path: str, token: str | None = None, body: Any = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def measure_api(app: InProcess, url: str, token: str, results: dict[str, Any]) -> None:
    path = f"/api/v1/scorecards/{LARGE}?from={WINDOW[0]}&to={WINDOW[1]}"
    server = Gunicorn(url)
    try:
        latencies = []
        for number in range(25 + 2 * CORES):  # the first requests warm every worker up
            began = time.perf_counter()
            status, _body = server.request("GET", path, token)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
            if number >= 2 * CORES:
                latencies.append(time.perf_counter() - began)
    finally:
        server.stop()
    inprocess = median_time(lambda: app.scorecard_json(LARGE), 7)
    results["api_vs_inprocess"] = statistics.median(latencies) / inprocess
    results["details"]["api"] = {
        "median_seconds": statistics.median(latencies),
        "inprocess_seconds": inprocess,
        "requests": len(latencies),
    }


# ── Child processes: render and import ─────────────────────────────────────────────────────
# A process forked from this one (which holds whole portfolios by then) carries this one's peak
# in its rusage even after it execs, so the child's peak memory is read by a small launcher:
# its own child, forked from a process of a few MB, has a true ru_maxrss.
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as peak:
    peak.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_child(url: str, *args: str) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of ``flask --app wsgi ARGS``."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        began = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-c", LAUNCHER, peak.name, FLASK, "--app", "wsgi", *args],
            cwd=ROOT,
            env=bench_env(url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        seconds = time.perf_counter() - began
        if process.returncode:
            raise RuntimeError(f"flask {' '.join(args)} failed: {process.stderr[-2000:]!r}")
        return seconds, int(peak.read() or 0) / 1024


def measure_render(url: str, suppliers: int, results: dict[str, Any]) -> None:
    out = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        window = ("--from", WINDOW[0], "--to", WINDOW[1], "--out", str(out))
        one, _ = run_child(url, "render-scorecards", *window, "--jobs", "1")
        every, _ = run_child(url, "render-scorecards", *window, "--jobs", str(CORES))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    results["render_speedup"] = one / every
    results["details"]["render"] = {
        "suppliers": suppliers,
        "jobs_1_seconds": one,
        f"jobs_{CORES}_seconds": every,
    }


def measure_import(url: str, scale: float, info: dict[str, Any], results: dict[str, Any]) -> None:
    """A CSV of new revisions (100,000 rows at scale 1) through import-measurements, against
    csv parsing + executemany into a scratch table of the same columns."""
    size = max(int(100_000 * scale), 5_000)
    rows = []
    driver = Driver(url)
    keys = driver.rows(
        "SELECT a.ref, s.code, me.code, a.start FROM targets t"
        " JOIN agreements a ON a.id = t.agreement_id JOIN services s ON s.id = t.service_id"
        " JOIN metrics me ON me.id = t.metric_id WHERE a.kind <> 'sla' ORDER BY t.id"
    )
    for month in reversed(MONTHS):
        for ref, service, metric, start in keys:
            if str(start)[:7] <= month and len(rows) < size:
                value = "99.9" if metric == "AVAIL" else "4.5" if metric == "CSAT" else "1.5"
                rows.append([ref, service, metric, month, value, "bench revision 修正"])
    path = DATA / f"import-{database_tag(url)}.csv"
    write_csv(path, rows)
    startup, _ = run_child(url, "import-measurements", "--help")
    seconds, peak = run_child(url, "import-measurements", str(path))

    def floor() -> None:
        driver.execute(
            "CREATE TABLE bench_floor (agreement VARCHAR(60), service VARCHAR(40),"
            " metric VARCHAR(40), period VARCHAR(7), value NUMERIC(18,6), comment TEXT)"
        )
        with path.open(newline="", encoding="utf-8") as stream:
            reader = csv.reader(stream)
            next(reader)
            cursor = driver.connection.cursor()
            sql = "INSERT INTO bench_floor VALUES (?, ?, ?, ?, ?, ?)".replace("?", driver.mark)
            cursor.executemany(sql, list(reader))
        driver.connection.commit()

    began = time.perf_counter()
    floor()
    floor_seconds = time.perf_counter() - began
    driver.execute("DROP TABLE bench_floor")
    driver.close()
    path.unlink()
    results["import_vs_floor"] = seconds / floor_seconds
    results["import_peak_mb"] = peak
    results["details"]["import"] = {
        "rows": len(rows),
        "seconds": seconds,
        "floor_seconds": floor_seconds,
        "cli_startup_seconds": startup,
    }


# ── Report ──────────────────────────────────────────────────────────────────────────────────
def show(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return f"{value:.2f}"


def table(results: dict[str, Any]) -> str:
    lines = [f"{'figure':<20} {'value':>18}  {'goal':<28} met", "-" * 74]
    for name, goal in GOALS.items():
        if name in results:
            value = results[name]
            mark = "yes" if met(name, value) else "NO"
            lines.append(f"{name:<20} {show(value):>18}  {goal:<28} {mark}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Underpin benchmark")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--reuse", action="store_true", help="reuse generated portfolios")
    arguments = parser.parse_args()
    scale = arguments.scale
    url = os.environ.get("BENCH_DATABASE_URL") or sqlite_url(f"bench-{scale:g}.sqlite")
    began = time.perf_counter()
    info = ensure(url, scale, arguments.reuse)
    quarter_url = sibling_url(url, "quarter", scale / 4)
    quarter = ensure(quarter_url, scale / 4, arguments.reuse)
    # Rendering: up to 200 suppliers (scale 0.1); the quick run renders the quarter's 50.
    if scale >= 0.4:
        render_url = sibling_url(url, "render", 0.1)
        render_info = ensure(render_url, 0.1, arguments.reuse)
    else:
        render_url, render_info = quarter_url, quarter
    results: dict[str, Any] = {
        "database": url.split(":", 1)[0],
        "scale": scale,
        "cores": CORES,
        "window": list(WINDOW),
        "portfolio": {k: info[k] for k in ("counts", "agreements", "targets", "figures")},
        "details": {},
    }
    app = InProcess(url)
    driver = Driver(url)
    measure_scorecards(app, driver, results)
    overview = measure_overview(app, driver, results)
    measure_alignment(app, driver, results)
    measure_api(app, url, info["tokens"]["vendor_manager"], results)
    driver.close()
    app.close()
    base = InProcess(quarter_url)
    base_seconds = median_time(base.overview, 3)
    base.close()
    results["growth_exponent"] = math.log(overview / base_seconds) / math.log(4)
    results["details"]["growth"] = {
        "base_scale": scale / 4,
        "base_seconds": base_seconds,
        "seconds": overview,
        "targets": [quarter["targets"], info["targets"]],
        "figures": [quarter["figures"], info["figures"]],
    }
    measure_render(render_url, render_info["counts"]["suppliers"], results)
    measure_import(url, scale, info, results)  # last: it adds revisions
    results["seconds"] = round(time.perf_counter() - began, 1)
    results["goals"] = GOALS
    results["met"] = {name: met(name, results[name]) for name in GOALS if name in results}
    document = json.dumps(results, indent=2, default=str)
    (ROOT / "bench" / "results.json").write_text(document)
    (DATA / f"results-{results['database']}-{scale:g}.json").write_text(document)
    print(table(results))
    print(f"\n{results['database']} scale {scale:g}, {CORES} cores, {results['seconds']} s;")
    print("details in bench/results.json")


if __name__ == "__main__":
    main()
