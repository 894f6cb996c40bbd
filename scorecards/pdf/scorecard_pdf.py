"""The supplier scorecard as a PDF (A4 landscape): a summary page (score, rating, key figures,
the agreements with their scores and recommendations, the score month by month, the customer
commitments put at risk), then per agreement the month × target grid with its legend and
credits, and the trend charts. Sections flow on from one another instead of each opening a
page; of the few ways they can be placed, the one that leaves no page holding a scrap wins."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from contracts import periods
from scorecards.pdf import layout
from scorecards.pdf.charts import score_chart, trend_chart
from scorecards.pdf.grid import MONTHS_PER_ROW, PAGE, WIDTH, grid, legend
from scorecards.pdf.layout import PALE, RULE, STRONG, badge, money, number, text
from scorecards.pdf.words import Words, using
from scorecards.scorecard import AgreementCard, Scorecard
from scorecards.scoring import TargetResult, Thresholds, monthly_scores


def render_scorecard(
    card: Scorecard,
    *,
    font_path: str | Path,
    generated_at: datetime,
    thresholds: Thresholds = Thresholds(),
    internal: bool = True,
    words: Words,
) -> bytes:
    """The PDF bytes; ``thresholds`` are the ones the card was rated with. Without
    ``internal`` (a supplier's own copy), the provider's judgements are left out: the customer
    commitments at risk and the renewal recommendations."""
    layout.register_font(font_path)
    styles = layout.styles()

    def story(impact_first: bool, keep_charts: bool) -> list[Any]:
        impact = _impact(card, styles) if internal else []
        summary = _summary(card, styles, thresholds, internal)
        parts: list[Any] = [*summary, *(impact if impact_first else [])]
        for agreement in card.agreements:
            if any(result.months for result in agreement.targets):
                # Nothing due in the window: the summary's table says so, no empty section.
                parts += _agreement(agreement, styles, keep_charts)
        return parts + ([] if impact_first else impact)

    # The customer commitments at risk belong on the summary page, and an agreement's charts
    # under its grid; where either would leave a page holding a scrap, the next layout is used.
    layouts = [(True, True), (True, False), (False, True), (False, False)]
    if not card.impact or not internal:
        layouts = layouts[:2]
    frame = layout.Frame(
        _(
            "Supplier scorecard · %(code)s · %(first)s – %(last)s",
            code=card.code,
            first=card.first,
            last=card.last,
        ),
        generated_at,
    )
    title = _("Supplier scorecard: %(name)s", name=card.name)
    stories = [functools.partial(story, *choice) for choice in layouts]
    with using(words):
        return layout.render_best(stories, PAGE, frame, title)


def _summary(card: Scorecard, styles: dict, thresholds: Thresholds, internal: bool) -> list[Any]:
    heading = [
        Paragraph(_("Supplier scorecard"), styles["kicker"]),
        text(card.name, styles["title"]),
        Paragraph(
            _(
                "Supplier code %(code)s · window %(first)s – %(last)s",
                code=card.code,
                first=card.first,
                last=card.last,
            ),
            styles["muted"],
        ),
    ]
    score_box = Table(
        [
            [Paragraph(_("Score"), styles["head_right"])],
            [Paragraph(number(card.score), styles["big"])],
            [badge(layout.rating_word(card.rating), card.rating, 12, "RIGHT")],
        ],
        colWidths=[70 * mm],
    )
    score_box.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, -1), PALE[card.rating]),
                ("LINEABOVE", (0, 0), (-1, 0), 3, STRONG[card.rating]),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    top = Table([[heading, score_box]], colWidths=[WIDTH - 75 * mm, 75 * mm])
    top.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    facts = _key_figures(card, styles, internal)
    return [
        top,
        Spacer(0, 5 * mm),
        facts,
        Spacer(0, 4 * mm),
        Paragraph(_("Agreements"), styles["h2"]),
        _agreements_table(card, styles, internal),
        *_monthly(card, styles, thresholds),
    ]


def _monthly(card: Scorecard, styles: dict, thresholds: Thresholds) -> list[Any]:
    months = list(periods.span(card.first, card.last))
    results = [result for agreement in card.agreements for result in agreement.targets]
    scores = monthly_scores(results, months)
    if sum(score is not None for _month, score in scores) < 2:
        return []  # a trend needs two months; the score box has the one there is
    return [
        KeepTogether(
            [
                Paragraph(_("Score per month"), styles["h2"]),
                Paragraph(
                    _(
                        "Each month's score on its own, in its rating's colour; the dashed "
                        "lines mark the green (%(green)s) and amber (%(amber)s) thresholds.",
                        green=number(thresholds.green),
                        amber=number(thresholds.amber),
                    ),
                    styles["muted"],
                ),
                score_chart(scores, thresholds, WIDTH, 38 * mm),
            ]
        )
    ]


def _key_figures(card: Scorecard, styles: dict, internal: bool) -> Table:
    targets = [result for agreement in card.agreements for result in agreement.targets]
    due = sum(result.due for result in targets)
    figures = [
        (_("Agreements"), str(len(card.agreements))),
        (_("Targets"), str(len(targets))),
        (_("Target-months met"), f"{sum(r.count('met') for r in targets)} / {due}"),
        (_("Figures missing"), str(sum(r.count("missing") for r in targets))),
        (
            _("Service credits"),
            "<br/>".join(
                money(amount, currency) for currency, amount in card.credits_by_currency.items()
            )
            or money(card.credits),
        ),
    ]
    if internal:
        figures.append((_("Customer commitments at risk"), str(len(card.impact))))
    width = WIDTH / len(figures)
    table = Table(
        [
            [Paragraph(label, styles["head"]) for label, _value in figures],
            # Several currencies stack in one cell: smaller, so the row stays one line high.
            [
                Paragraph(value, styles["h1" if "<br/>" not in value else "h3"])
                for _l, value in figures
            ],
        ],
        colWidths=[width] * len(figures),
    )
    table.setStyle(
        TableStyle(
            [("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        )
    )
    return table


def _agreements_table(card: Scorecard, styles: dict, internal: bool) -> Table:
    cell, right = styles["cell"], styles["cell_right"]
    head = [
        Paragraph(_("Agreement"), styles["head"]),
        Paragraph(_("Title"), styles["head"]),
        Paragraph(_("Term"), styles["head"]),
        Paragraph(_("Score"), styles["head_right"]),
        Paragraph(_("Rating"), styles["head"]),
        Paragraph(_("Credits"), styles["head_right"]),
    ]
    if internal:
        head.append(Paragraph(_("Renewal recommendation (term to date)"), styles["head"]))
    rows: list[list[Any]] = [head]
    for agreement in card.agreements:
        facts = agreement.facts
        row = [
            text(facts.ref, cell),
            text(facts.title, cell),
            text(f"{facts.start.isoformat()} – {facts.end.isoformat()}", cell),
            Paragraph(number(agreement.score), right),
            badge(layout.rating_word(agreement.rating), agreement.rating),
            Paragraph(money(agreement.total_credits, facts.currency), right),
        ]
        if internal:
            row.append(
                badge(
                    layout.recommendation_word(agreement.recommendation),
                    layout.RECOMMENDATION_COLOUR[agreement.recommendation],
                )
            )
        rows.append(row)
    widths = [45 * mm, 62 * mm, 40 * mm, 18 * mm, 24 * mm, 30 * mm]
    if not internal:
        widths[1] += WIDTH - sum(widths)  # the title takes the recommendation's room
        return layout.data_table(rows, widths)
    return layout.data_table(rows, [*widths, WIDTH - sum(widths)])


def _agreement(agreement: AgreementCard, styles: dict, keep_charts: bool) -> list[Any]:
    """The agreement's heading, grid and legend, then its trend charts; ``keep_charts`` keeps
    the first row of charts on the page of the grid where both fit on one page."""
    facts = agreement.facts
    title = Table(
        [
            [
                text(f"{facts.ref} · {facts.title}", styles["h1"]),
                Paragraph(number(agreement.score), styles["h1"]),
                badge(layout.rating_word(agreement.rating), agreement.rating, 9),
            ]
        ],
        colWidths=[WIDTH - 60 * mm, 30 * mm, 30 * mm],
    )
    title.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
            ]
        )
    )
    parts: list[Any] = [
        Spacer(0, 5 * mm),
        title,
        Paragraph(
            _(
                "Term %(start)s – %(end)s · monthly charge %(charge)s",
                start=facts.start.isoformat(),
                end=facts.end.isoformat(),
                charge=money(facts.monthly_charge, facts.currency),
            ),
            styles["muted"],
        ),
        Spacer(0, 3 * mm),
    ]
    months = [m.period for m in agreement.targets[0].months]
    for start in range(0, len(months), MONTHS_PER_ROW):
        block = months[start : start + MONTHS_PER_ROW]
        last_block = start + MONTHS_PER_ROW >= len(months)
        parts += [grid(agreement, block, styles, last_block), Spacer(0, 2 * mm)]
    parts.append(legend(styles))
    heading = Paragraph(_("Trend per target"), styles["h2"])
    if not any(month.value is not None for r in agreement.targets for month in r.months):
        # Not one figure: a line says so, rather than a row of empty frames.
        note = Paragraph(_("No figures in this window"), styles["muted"])
        return [KeepTogether([*parts, heading, note])]
    charts = _charts(agreement.targets)
    grids, first_charts = KeepTogether(parts), KeepTogether([heading, charts[0]])
    if keep_charts:  # where grid and charts do not fit on one page, each still stays whole
        return [KeepTogether([grids, first_charts]), *charts[1:]]
    return [grids, first_charts, *charts[1:]]


def _charts(results: list[TargetResult]) -> list[Table]:
    """One table per row of charts, so the rows after the first can move to the next page.
    Three to a row, four when there are more targets, so that a fourth does not take a row
    (and often a page) of its own."""
    per_row = 3 if len(results) <= 3 else 4
    column = WIDTH / per_row
    drawings: list[Any] = [trend_chart(result, column - 4 * mm, 42 * mm) for result in results]
    rows = []
    for first in range(0, len(drawings), per_row):
        row = drawings[first : first + per_row]
        row += [""] * (per_row - len(row))
        table = Table([row], colWidths=[column] * per_row, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
            )
        )
        rows.append(table)
    return rows


def _impact(card: Scorecard, styles: dict) -> list[Any]:
    if not card.impact:
        return []  # the key figures say 0
    parts: list[Any] = [
        Paragraph(_("Customer commitments at risk"), styles["h2"]),
        Paragraph(
            _(
                "Customer SLA targets breached in a month in which an underpinning supplier "
                "target missed."
            ),
            styles["muted"],
        ),
        Spacer(0, 1 * mm),
    ]
    cell, right = styles["cell"], styles["cell_right"]
    rows: list[list[Any]] = [
        [
            Paragraph(_("Month"), styles["head"]),
            Paragraph(_("Customer SLA"), styles["head"]),
            Paragraph(_("Target"), styles["head"]),
            Paragraph(_("Chain value"), styles["head_right"]),
            Paragraph(_("Target value"), styles["head_right"]),
        ]
    ]
    for impact in card.impact:
        rows.append(
            [
                text(impact.period, cell),
                text(impact.sla, cell),
                text(f"{impact.metric} · {impact.service}", cell),
                # 4 places, as on the web page: 99.8995 must not read as the 99.9 it misses
                Paragraph(number(impact.chain_value, 4), right),
                Paragraph(number(impact.target), right),
            ]
        )
    widths = [30 * mm, 80 * mm, 80 * mm, 35 * mm]
    commands = [("TEXTCOLOR", (3, 1), (3, -1), STRONG["red"])]
    return layout.with_table(parts, rows, [*widths, WIDTH - sum(widths)], extra=commands)
