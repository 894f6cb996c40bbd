"""``import-portfolio`` and ``export-portfolio``: the whole portfolio as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from contracts.models import User
from portal.cli.common import as_cli, fail, fail_with
from portal.extensions import db


@click.command("import-portfolio")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_portfolio_command(file: Path) -> None:
    """Import a portfolio JSON file, all or nothing."""
    from scorecards import portfolio

    try:
        document = json.loads(file.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"{file}: not a JSON file ({error}).")
    as_cli("import-portfolio")
    try:
        summary = portfolio.import_portfolio(db.session, document)
    except portfolio.PortfolioError as error:
        fail_with(error, f"{file}: {len(error.problems)} error(s); nothing was imported.")
    db.session.commit()
    click.echo(f"Imported {summary}.")


@click.command("export-portfolio")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_portfolio_command(file: Path) -> None:
    """Write the whole portfolio as JSON."""
    from scorecards import portfolio

    document = portfolio.export_portfolio(db.session)
    document["users"] = [
        {
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "supplier": u.supplier.code if u.supplier else None,
            "active": u.active,
        }
        for u in db.session.scalars(select(User).order_by(User.email))
    ]
    file.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"Exported the portfolio to {file}.")
