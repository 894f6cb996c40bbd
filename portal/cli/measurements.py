"""``flask --app wsgi import-measurements FILE.csv|FILE.xlsx [--as EMAIL]`` (SPEC section 4)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from contracts import accounts
from contracts.db import utcnow
from portal.cli.common import as_cli, fail
from portal.extensions import db
from portal.permissions import can, supplier_binding
from scorecards import spreadsheets
from scorecards.submissions import SubmissionRefused


@click.command("import-measurements")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "email",
    help="Submit as this user: a supplier's user reaches only its own supplier's agreements.",
)
def import_measurements_command(file: Path, email: str | None) -> None:
    """Import monthly figures from a CSV or XLSX file, all or nothing."""
    user = None
    if email:
        user = accounts.find_user(db.session, email)
        if user is None:
            fail(f"--as: no user {email}.")
        if not can(user, "submit_measurements"):
            fail(f"--as: {user.email} may not submit figures (role {user.role}).")
    as_cli("import-measurements", user)
    with file.open("rb") as stream:
        try:
            result = spreadsheets.import_file(
                db.session,
                stream,
                supplier_id=supplier_binding(user) if user else None,
                user_id=user.id if user else None,
                now=utcnow(),
                due_day=current_app.config["DUE_DAY"],
            )
        except SubmissionRefused as error:
            db.session.rollback()
            for problem in error.problems:
                click.echo(spreadsheets.describe(problem), err=True)
            fail(f"{file}: {len(error.problems)} error(s); nothing was imported.")
    db.session.commit()
    click.echo(f"Imported {result.count} figures ({result.late} late).")
