"""What every command shares: naming the command as the audit actor, and failing with the
problems of a refusal (one line each) and a non-zero exit status."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from contracts.errors import DomainError, Problem
from contracts.models import User
from portal import audit
from portal.extensions import db


def as_cli(command: str, user: User | None = None) -> None:
    label = f"cli {command}" + (f" as {user.email}" if user else "")
    audit.set_actor(db.session, audit.Actor(label, user.id if user else None))


def fail(message: str, status: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(status)


def fail_with(
    error: DomainError, summary: str | None = None, status: int = 1, *, options: bool = False
) -> NoReturn:
    """Undo the refused command and name every problem, each after its field or path (as
    ``--name`` when the fields are the command's ``options``); ``summary`` closes the list."""
    db.session.rollback()
    problems = error.problems
    if summary is None and len(problems) == 1:
        fail(_located(problems[0], options), status)
    for problem in problems:
        click.echo(_located(problem, options), err=True)
    fail(summary or f"{len(problems)} error(s); nothing was stored.", status)


def _located(problem: Problem, options: bool) -> str:
    if problem.field is None:
        return str(problem.message)
    return f"{'--' if options else ''}{problem.field}: {problem.message}"
