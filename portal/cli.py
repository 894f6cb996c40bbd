"""Commands of ``flask --app wsgi …`` (SPEC section 4)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from portal import accounts, audit
from portal.extensions import db
from portal.models import ROLES, User


def _as_cli(command: str, user: User | None = None) -> None:
    label = f"cli {command}" + (f" as {user.email}" if user else "")
    audit.set_actor(db.session, audit.Actor(label, user.id if user else None))


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The user's role.")
@click.option("--supplier", "supplier_code", help="Supplier code (role supplier only).")
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(
    email: str, role: str, supplier_code: str | None, name: str, password_stdin: bool
) -> None:
    """Create a user; the password comes from a prompt or --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _as_cli("create-user")
    try:
        user = accounts.create_user(
            db.session, email, role, password, supplier_code=supplier_code, name=name
        )
    except accounts.AccountError as error:
        db.session.rollback()
        _fail(f"{error.field}: {error.message}" if error.field else str(error.message))
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="What the token is for.")
def create_token_command(email: str, name: str) -> None:
    """Create an API token for a user and print it once."""
    user = accounts.find_user(db.session, email)
    if user is None:
        _fail(f"email: no user {email}.")
    if not user.active:
        _fail(f"email: user {email} is deactivated.")
    _as_cli("create-token")
    try:
        issued = accounts.create_token(db.session, user, name)
    except accounts.AccountError as error:
        db.session.rollback()
        _fail(f"{error.field}: {error.message}")
    db.session.commit()
    click.echo(issued.secret)
    click.echo("Store this token now: it is shown only once.", err=True)


@click.command("audit-verify")
@with_appcontext
def audit_verify_command() -> None:
    """Check the audit log's hash chain; name the first altered or missing entry."""
    result = audit.verify(db.session)
    if result.ok:
        click.echo(f"Audit log intact: {result.checked} entries verified.")
        return
    _fail(
        f"audit log entry {result.seq} is {result.problem}; "
        f"{result.checked} entries before it verified."
    )


@click.command("import-portfolio")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_portfolio_command(file: Path) -> None:
    """Import a portfolio JSON file, all or nothing."""
    from scorecards import portfolio

    try:
        document = json.loads(file.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        _fail(f"{file}: not a JSON file ({error}).")
    _as_cli("import-portfolio")
    try:
        summary = portfolio.import_portfolio(db.session, document)
    except portfolio.PortfolioError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"{problem.path}: {problem.message}", err=True)
        _fail(f"{file}: {len(error.problems)} error(s); nothing was imported.")
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


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when users exist already.")
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
def seed_demo_command(if_empty: bool, quiet: bool) -> None:
    """Load the demo portfolio and one login per role (printed)."""
    from portal import demo

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        if not quiet:
            click.echo("The database holds data already; the demo portfolio was not loaded.")
        return
    _as_cli("seed-demo")
    logins = demo.seed_demo(db.session)
    db.session.commit()
    click.echo("Loaded the demo portfolio.")
    if not quiet:
        print_logins(logins)


@click.command("demo-logins")
@with_appcontext
def demo_logins_command() -> None:
    """Print the demo logins (one per role)."""
    from portal import demo

    print_logins(demo.DEMO_LOGINS)


def print_logins(logins: list[tuple[str, str, str]]) -> None:
    click.echo("Demo logins (role, e-mail, password):")
    for role, email, password in logins:
        click.echo(f"  {role:<15} {email:<32} {password}")


def init_app(app: Flask) -> None:
    from portal.chain_cli import alignment_command
    from portal.measurements_cli import import_measurements_command
    from portal.render_cli import render_scorecards_command
    from portal.scorecard_cli import scorecard_command

    for command in (
        create_user_command,
        create_token_command,
        audit_verify_command,
        import_portfolio_command,
        export_portfolio_command,
        seed_demo_command,
        demo_logins_command,
        alignment_command,
        scorecard_command,
        render_scorecards_command,
        import_measurements_command,
    ):
        app.cli.add_command(command)
