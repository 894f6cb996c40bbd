"""``audit-verify``: check the audit log's hash chain."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal import audit
from portal.cli.common import fail
from portal.extensions import db


@click.command("audit-verify")
@with_appcontext
def audit_verify_command() -> None:
    """Check the audit log's hash chain; name the first altered or missing entry."""
    result = audit.verify(db.session)
    if result.ok:
        click.echo(f"Audit log intact: {result.checked} entries verified.")
        return
    fail(
        f"audit log entry {result.seq} is {result.problem}; "
        f"{result.checked} entries before it verified."
    )
