"""``flask --app wsgi render-scorecards --from --to --out DIR [--lang] [--jobs N]``.

Every supplier's scorecard PDF, one file each, with a progress bar. Rendering is CPU-bound
(ReportLab is pure Python), so the suppliers are spread over a pool of processes, one per core by
default; each worker builds its own app and therefore its own database connection.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from contracts import clock, periods
from contracts.errors import DomainError
from contracts.models import Supplier
from portal.cli.common import fail_with
from portal.extensions import db

# Settings a worker's app must share with the command's app.
SHARED_SETTINGS = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "RATING_GREEN", "RATING_AMBER")

_worker_app: Flask | None = None


def file_name(code: str, first: str, last: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", code)
    return f"scorecard-{safe}-{first}-{last}.pdf"


def render_one(code: str, first: str, last: str, language: str, out: Path) -> Path:
    """Render one supplier's scorecard inside the current app context."""
    from portal.scorecards.pdfs import scorecard_pdf

    try:
        supplier = db.session.scalar(select(Supplier).where(Supplier.code == code))
        if supplier is None:
            raise LookupError(f"no supplier {code}")
        path = out / file_name(code, first, last)
        path.write_bytes(scorecard_pdf(db.session, supplier, first, last, language))
        return path
    finally:
        db.session.remove()


@dataclass(frozen=True)
class Outcome:
    """One supplier's result: the file written, or why there is none."""

    code: str
    path: Path | None = None
    error: str | None = None


def attempt(code: str, first: str, last: str, language: str, out: Path) -> Outcome:
    """``render_one`` that reports a failure instead of raising it: one supplier's broken
    scorecard must not cost every other supplier theirs."""
    try:
        return Outcome(code, path=render_one(code, first, last, language, out))
    except Exception as error:  # any failure is that supplier's alone
        current_app.logger.exception("Scorecard PDF of %s failed", code)
        return Outcome(code, error=f"{type(error).__name__}: {error}")


def _start_worker(settings: dict[str, Any]) -> None:
    global _worker_app
    from portal import create_app

    _worker_app = create_app(settings)


def _render_in_worker(job: tuple[str, str, str, str, Path]) -> Outcome:
    assert _worker_app is not None
    with _worker_app.app_context():
        return attempt(*job)


@click.command("render-scorecards")
@click.option("--from", "first", help="First month, YYYY-MM (default: 12 months back).")
@click.option("--to", "last", help="Last month, YYYY-MM (default: last complete month).")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the PDFs (created when missing).",
)
@click.option("--lang", type=click.Choice(["en", "zh_Hans_CN"]), default="en", show_default=True)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to render with (default: one per core).",
)
@with_appcontext
def render_scorecards_command(
    first: str | None, last: str | None, out: Path, lang: str, jobs: int | None
) -> None:
    """Every supplier's scorecard PDF, written to DIR."""
    try:
        first, last = periods.window(first, last, clock.today())
    except DomainError as error:
        fail_with(error, status=2, options=True)
    codes = list(db.session.scalars(select(Supplier.code).order_by(Supplier.code)))
    out.mkdir(parents=True, exist_ok=True)
    jobs = min(jobs or os.cpu_count() or 1, max(len(codes), 1))
    work = [(code, first, last, lang, out) for code in codes]
    outcomes: list[Outcome] = []
    with click.progressbar(length=len(work), label="Rendering scorecards", file=sys.stderr) as bar:
        if jobs == 1:
            for job in work:
                outcomes.append(attempt(*job))
                bar.update(1)
        else:
            settings = {key: current_app.config[key] for key in SHARED_SETTINGS}
            # spawn: a worker starts clean, never sharing the parent's database connections.
            context = multiprocessing.get_context("spawn")
            with context.Pool(jobs, initializer=_start_worker, initargs=(settings,)) as pool:
                for outcome in pool.imap_unordered(_render_in_worker, work):
                    outcomes.append(outcome)
                    bar.update(1)
    failed = sorted((outcome for outcome in outcomes if outcome.error), key=lambda o: o.code)
    for outcome in failed:
        click.echo(f"Error: {outcome.code}: {outcome.error}", err=True)
    written = len(outcomes) - len(failed)
    click.echo(f"Wrote {written} scorecards to {out} ({jobs} process(es)).")
    if failed:
        codes = ", ".join(outcome.code for outcome in failed)
        click.echo(f"Error: {len(failed)} scorecard(s) failed: {codes}.", err=True)
        sys.exit(1)
