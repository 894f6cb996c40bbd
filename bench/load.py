"""Load: concurrent suppliers submitting figures and vendor managers reading scorecards, against
gunicorn on loopback, bounded in requests and in time; then every accepted submission is looked
up in the database: stored exactly once, nothing else stored.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/load.py --clients 50 --requests 2000 --seconds 120

Uses the portfolio bench/run.py (or bench/generate.py) made in that database (generated here at
scale 0.1 when there is none). gunicorn runs with the project's gunicorn.conf.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import WINDOW  # noqa: E402
from bench.run import CORES, Driver, Gunicorn, ensure  # noqa: E402

VALUES = {"AVAIL": "99.91", "RESP": "12.5", "RESOLVE": "2.75", "FTF": "88.0", "CSAT": "4.4"}


class Load:
    def __init__(self, server: Gunicorn, tokens: dict[str, Any], total: int, seconds: float):
        self.server = server
        self.tokens = tokens
        self.remaining = total
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.run_id = uuid.uuid4().hex[:8]
        self.latencies: dict[str, list[float]] = {"POST": [], "GET": []}
        self.errors: list[str] = []
        self.accepted: dict[str, list[int]] = {}  # comment -> ids the API answered with
        self.refused: list[str] = []

    def take(self) -> int | None:
        with self.lock:
            if self.remaining <= 0 or time.monotonic() > self.deadline:
                return None
            self.remaining -= 1
            return self.remaining

    def client(self, number: int) -> None:
        rng = random.Random(number)
        suppliers = sorted(self.tokens["suppliers"])
        submitter = number % 5 < 3  # 60 % suppliers, 40 % vendor managers
        while (ticket := self.take()) is not None:
            if submitter:
                self.submit(rng, self.tokens["suppliers"][suppliers[number % len(suppliers)]])
            else:
                self.read(rng.choice(suppliers))
            del ticket

    def submit(self, rng: random.Random, supplier: dict[str, Any]) -> None:
        ref, metric, service = rng.choice(supplier["agreements"])
        comment = f"load-{self.run_id}-{uuid.uuid4().hex[:12]}"
        figure = {
            "agreement": ref,
            "metric": metric,
            "service": service,
            "period": rng.choice(["2026-08", "2026-09", "2026-10"]),
            "value": VALUES[metric],
            "comment": comment,
        }
        status, body = self.timed("POST", "/api/v1/measurements", supplier["token"], figure)
        if status == 201:
            ids = [item["id"] for item in json.loads(body)["items"]]
            with self.lock:
                self.accepted[comment] = ids
        else:
            with self.lock:
                self.refused.append(comment)
                self.errors.append(f"POST {status}: {body[:200]!r}")

    def read(self, code: str) -> None:
        path = f"/api/v1/scorecards/{code}?from={WINDOW[0]}&to={WINDOW[1]}"
        status, body = self.timed("GET", path, self.tokens["vendor_manager"])
        if status != 200:
            with self.lock:
                self.errors.append(f"GET {status}: {body[:200]!r}")

    def timed(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            status, answer = self.server.request(method, path, token, body)
        except OSError as error:
            status, answer = 0, str(error).encode()
        with self.lock:
            self.latencies[method].append(time.perf_counter() - began)
        return status, answer


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def check_stored(url: str, load: Load) -> dict[str, int]:
    """Every accepted submission stored exactly once; nothing refused stored."""
    driver = Driver(url)
    rows = driver.rows(
        "SELECT comment, COUNT(*), MIN(id) FROM measurements WHERE comment LIKE ? GROUP BY comment",
        f"load-{load.run_id}-%",
    )
    driver.close()
    stored = {comment: (count, first) for comment, count, first in rows}
    lost = [c for c in load.accepted if c not in stored]
    doubled = [c for c, (count, _) in stored.items() if count != 1]
    unexpected = [c for c in stored if c not in load.accepted]
    wrong_id = [c for c, ids in load.accepted.items() if c in stored and stored[c][1] not in ids]
    return {
        "accepted": len(load.accepted),
        "stored": len(stored),
        "lost": len(lost),
        "stored_twice_or_more": len(doubled),
        "stored_but_refused": len(unexpected),
        "id_mismatch": len(wrong_id),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Underpin load test (loopback only)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="at most this many")
    parser.add_argument("--seconds", type=float, default=120, help="stop after this long")
    parser.add_argument("--workers", type=int, default=CORES * 2 + 1)
    arguments = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("Set BENCH_DATABASE_URL to a PostgreSQL database (postgresql+psycopg://…).")
    info = ensure(url, 0.1, reuse=True)
    server = Gunicorn(url, workers=arguments.workers)
    load = Load(server, info["tokens"], arguments.requests, arguments.seconds)
    began = time.perf_counter()
    try:
        threads = [
            threading.Thread(target=load.client, args=(number,))
            for number in range(arguments.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        elapsed = time.perf_counter() - began
        server.stop()
    every = load.latencies["POST"] + load.latencies["GET"]
    report = {
        "clients": arguments.clients,
        "gunicorn_workers": arguments.workers,
        "requests": len(every),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(every) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(every), 1) if every else None,
        "p99_ms": round(1000 * percentile(every, 0.99), 1),
        "by_method": {
            method: {
                "requests": len(times),
                "p50_ms": round(1000 * statistics.median(times), 1) if times else None,
                "p99_ms": round(1000 * percentile(times, 0.99), 1),
            }
            for method, times in load.latencies.items()
        },
        "errors": len(load.errors),
        "first_errors": load.errors[:5],
        "integrity": check_stored(url, load),
    }
    (ROOT / "bench" / "data" / "load-results.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
