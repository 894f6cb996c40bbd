"""``create-user`` and ``create-token``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from contracts import accounts
from contracts.errors import DomainError
from contracts.models import ROLES
from portal.cli.common import as_cli, fail, fail_with
from portal.extensions import db


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
    as_cli("create-user")
    try:
        user = accounts.create_user(
            db.session, email, role, password, supplier_code=supplier_code, name=name
        )
    except DomainError as error:
        fail_with(error)
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
        fail(f"email: no user {email}.")
    if not user.active:
        fail(f"email: user {email} is deactivated.")
    as_cli("create-token")
    try:
        issued = accounts.create_token(db.session, user, name)
    except DomainError as error:
        fail_with(error)
    db.session.commit()
    click.echo(issued.secret)
    click.echo("Store this token now: it is shown only once.", err=True)
