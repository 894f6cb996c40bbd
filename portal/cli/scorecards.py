"""``flask --app wsgi scorecard SUPPLIER_CODE --from --to --format json|pdf [--out FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from contracts import clock, periods
from contracts.errors import DomainError
from contracts.models import Supplier
from portal import jsonio
from portal.cli.common import fail, fail_with
from portal.config import thresholds
from portal.extensions import db
from portal.scorecards.pdfs import scorecard_pdf
from scorecards import scorecard


@click.command("scorecard")
@click.argument("supplier_code")
@click.option("--from", "first", help="First month, YYYY-MM (default: 12 months back).")
@click.option("--to", "last", help="Last month, YYYY-MM (default: last complete month).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "pdf"]),
    default="json",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh_Hans_CN"]),
    default="en",
    show_default=True,
    help="Language of the PDF.",
)
@with_appcontext
def scorecard_command(
    supplier_code: str,
    first: str | None,
    last: str | None,
    output_format: str,
    out: Path | None,
    lang: str,
) -> None:
    """A supplier's scorecard over a window of months."""
    supplier = db.session.scalar(select(Supplier).where(Supplier.code == supplier_code))
    if supplier is None:
        fail(f"supplier: no supplier {supplier_code}.")
    try:
        first, last = periods.window(first, last, clock.today())
    except DomainError as error:
        fail_with(error, status=2, options=True)
    if output_format == "pdf":
        _write_pdf(scorecard_pdf(db.session, supplier, first, last, lang), out)
        return
    card = scorecard.build(
        db.session, supplier, first, last, today=clock.today(), thresholds=thresholds()
    )
    text = jsonio.dumps(scorecard.as_json(card), indent=1) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}.", err=True)
    else:
        click.echo(text, nl=False)


def _write_pdf(content: bytes, out: Path | None) -> None:
    if out:
        out.write_bytes(content)
        click.echo(f"Wrote {out}.", err=True)
        return
    stdout = click.get_binary_stream("stdout")
    if stdout.isatty():
        click.echo("Error: --out: a PDF is not written to a terminal; give --out FILE.", err=True)
        sys.exit(2)
    stdout.write(content)
