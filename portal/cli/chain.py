"""``flask --app wsgi alignment --format json|text``: the chain alignment report."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from contracts.alignment import AlignmentItem
from contracts.chain import alignment_document, load_chain
from portal.extensions import db
from portal.jsonio import dumps, round_half_up

PARTY_WIDTH = 30  # longer party names are cut with an ellipsis


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two, combining marks none."""
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in ("W", "F")
        else 1
        for char in text
    )


def cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    while display_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def _number(value: object) -> str:
    return "—" if value is None else f"{round_half_up(value):f}"  # type: ignore[arg-type]


def text_table(items: Sequence[AlignmentItem], parties: dict[str, str]) -> list[str]:
    """One line per item; numbers right-aligned; columns measured in display width."""
    header = [
        _("Agreement"),
        _("Party"),
        _("Metric"),
        _("Service"),
        _("Target"),
        _("Composed"),
        _("Status"),
        _("Shortfall"),
    ]
    numeric = {4, 5, 7}
    rows = [
        [
            item.agreement,
            cut(parties.get(item.agreement, ""), PARTY_WIDTH),
            item.metric,
            item.service,
            _number(item.target),
            _number(item.composed),
            item.status,  # the spec's words, as in the JSON
            _number(item.shortfall),
        ]
        for item in items
    ]
    widths = [max(display_width(row[col]) for row in [header, *rows]) for col in range(8)]

    def line(row: list[str]) -> str:
        return "  ".join(pad(cell, widths[col], col in numeric) for col, cell in enumerate(row))

    rule = "  ".join("-" * width for width in widths)
    counts = Counter(item.status for item in items)
    summary = _(
        "%(aligned)d aligned, %(gap)d with a gap, %(open)d not underpinned.",
        aligned=counts["aligned"],
        gap=counts["gap"],
        open=counts["not_underpinned"],
    )
    return [line(header), rule, *(line(row) for row in rows), "", summary]


@click.command("alignment")
@with_appcontext
@click.option(
    "--format",
    "output",
    type=click.Choice(["json", "text"]),
    default="text",
    show_default=True,
    help="json: SPEC section 5's document; text: a table for the terminal.",
)
def alignment_command(output: str) -> None:
    """The chain alignment report: does each chain carry the targets above it?"""
    chain = load_chain(db.session)
    items = chain.alignment()
    if output == "json":
        click.echo(dumps(alignment_document(items), indent=1))
        return
    parties = {target.info.agreement: target.party_name for target in chain.targets.values()}
    for text in text_table(items, parties):
        click.echo(text)
