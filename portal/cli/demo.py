"""``seed-demo`` and ``demo-logins``: the demo portfolio and one login per role."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from contracts.models import User
from portal.cli.common import as_cli
from portal.extensions import db


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
    as_cli("seed-demo")
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
