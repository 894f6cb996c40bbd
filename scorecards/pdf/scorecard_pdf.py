"""The supplier scorecard as a PDF (A4 landscape): cover, then per agreement the month × target
grid with credits, the trend charts, and the customer commitments put at risk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from scorecards.pdf import layout
from scorecards.pdf.charts import trend_chart
from scorecards.pdf.layout import PALE, RULE, STRONG, badge, money, number, text
from scorecards.scorecard import AgreementCard, Scorecard
from scorecards.scoring import TargetResult

PAGE = landscape(A4)
WIDTH = PAGE[0] - 30 * mm
MONTHS_PER_ROW = 12  # long windows continue the grid in further blocks of 12 months


def render_scorecard(
    card: Scorecard,
    *,
    font_path: str | Path,
    generated_at: datetime,
    currencies: dict[str, str] | None = None,
) -> bytes:
    """The PDF bytes; ``currencies`` maps agreement ref → currency code for the credits."""
    layout.register_font(font_path)
    styles = layout.styles()
    currencies = currencies or {}
    story: list[Any] = [*_cover(card, styles, currencies)]
    for agreement in card.agreements:
        if not any(result.months for result in agreement.targets):
            continue  # nothing due in the window: the cover's table says so, no empty page
        currency = currencies.get(agreement.facts.ref, "")
        story += [PageBreak(), *_agreement(agreement, styles, currency)]
    story += [CondPageBreak(60 * mm), *_impact(card, styles)]
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
    return layout.render(story, PAGE, frame, title)


def _cover(card: Scorecard, styles: dict, currencies: dict[str, str]) -> list[Any]:
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
    facts = _key_figures(card, styles)
    return [
        top,
        Spacer(0, 8 * mm),
        facts,
        Spacer(0, 8 * mm),
        Paragraph(_("Agreements"), styles["h1"]),
        _agreements_table(card, styles, currencies),
        Spacer(0, 4 * mm),
        _legend(styles),
    ]


def _key_figures(card: Scorecard, styles: dict) -> Table:
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
        (_("Customer commitments at risk"), str(len(card.impact))),
    ]
    width = WIDTH / len(figures)
    table = Table(
        [
            [Paragraph(label, styles["head"]) for label, _value in figures],
            [Paragraph(value, styles["h1"]) for _label, value in figures],
        ],
        colWidths=[width] * len(figures),
    )
    table.setStyle(
        TableStyle(
            [("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        )
    )
    return table


def _agreements_table(card: Scorecard, styles: dict, currencies: dict[str, str]) -> Table:
    cell, right = styles["cell"], styles["cell_right"]
    rows: list[list[Any]] = [
        [
            Paragraph(_("Agreement"), styles["head"]),
            Paragraph(_("Title"), styles["head"]),
            Paragraph(_("Term"), styles["head"]),
            Paragraph(_("Score"), styles["head_right"]),
            Paragraph(_("Rating"), styles["head"]),
            Paragraph(_("Credits"), styles["head_right"]),
            Paragraph(_("Renewal recommendation (term to date)"), styles["head"]),
        ]
    ]
    for agreement in card.agreements:
        facts = agreement.facts
        rows.append(
            [
                text(facts.ref, cell),
                text(facts.title, cell),
                text(f"{facts.start.isoformat()} – {facts.end.isoformat()}", cell),
                Paragraph(number(agreement.score), right),
                badge(layout.rating_word(agreement.rating), agreement.rating),
                Paragraph(money(agreement.total_credits, currencies.get(facts.ref, "")), right),
                badge(
                    layout.recommendation_word(agreement.recommendation),
                    layout.RECOMMENDATION_COLOUR[agreement.recommendation],
                ),
            ]
        )
    widths = [45 * mm, 62 * mm, 40 * mm, 18 * mm, 24 * mm, 30 * mm]
    return layout.data_table(rows, [*widths, WIDTH - sum(widths)])


def _legend(styles: dict) -> Table:
    cells = []
    for status in ("met", "missed", "missing"):
        cells.append(badge(layout.status_word(status), status, 7.5))
    cells.append(
        Paragraph(
            _("Each month shows the current figure; a missing figure counts as missed."),
            styles["muted"],
        )
    )
    table = Table([cells], colWidths=[22 * mm, 22 * mm, 22 * mm, WIDTH - 66 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return table


def _agreement(agreement: AgreementCard, styles: dict, currency: str) -> list[Any]:
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
            ]
        )
    )
    parts: list[Any] = [
        title,
        Paragraph(
            _(
                "Term %(start)s – %(end)s · monthly charge %(charge)s",
                start=facts.start.isoformat(),
                end=facts.end.isoformat(),
                charge=money(facts.monthly_charge, currency),
            ),
            styles["muted"],
        ),
        Spacer(0, 3 * mm),
    ]
    months = [m.period for m in agreement.targets[0].months] if agreement.targets else []
    if not months:
        parts.append(Paragraph(_("No target is due in this window."), styles["body"]))
        return parts
    for start in range(0, len(months), MONTHS_PER_ROW):
        block = months[start : start + MONTHS_PER_ROW]
        parts += [
            _grid(
                agreement, block, styles, currency, last_block=start + MONTHS_PER_ROW >= len(months)
            ),
            Spacer(0, 3 * mm),
        ]
    parts += [Paragraph(_("Trend per target"), styles["h2"]), _charts(agreement.targets)]
    return parts


def _grid(
    agreement: AgreementCard, months: list[str], styles: dict, currency: str, last_block: bool
) -> Table:
    head, head_right = styles["head"], styles["head_right"]
    cell, right = styles["cell"], styles["cell_right"]
    label_width, target_width, total_width = 44 * mm, 22 * mm, 24 * mm
    month_width = (WIDTH - label_width - target_width - total_width) / MONTHS_PER_ROW
    header = [
        Paragraph(_("Target"), head),
        Paragraph(_("Target value"), head_right),
        *(Paragraph(period, head_right) for period in months),
        Paragraph(_("Attainment") if last_block else "", head_right),
    ]
    rows: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = []
    for row, result in enumerate(agreement.targets, start=1):
        target = result.target
        sign = "≥" if target.direction == "higher" else "≤"
        by_period = {month.period: month for month in result.months}
        cells = []
        for column, period in enumerate(months, start=2):
            month = by_period[period]
            shown = layout.status_word("missing") if month.value is None else number(month.value)
            cells.append(Paragraph(shown, right))
            commands.append(("BACKGROUND", (column, row), (column, row), PALE[month.status]))
            if month.status != "met":
                commands.append(
                    ("LINEBELOW", (column, row), (column, row), 1.5, STRONG[month.status])
                )
        weight = _("weight %(weight)s", weight=number(target.weight))
        rows.append(
            [
                Paragraph(
                    f"{target.metric} · {target.service}<br/>"
                    f"<font size=6.5 color='#616e7c'>{weight}</font>",
                    cell,
                ),
                Paragraph(f"{sign} {number(target.target)} {target.unit}".strip(), right),
                *cells,
                Paragraph(_attainment(result) if last_block else "", right),
            ]
        )
    rows.append(
        [
            Paragraph(_("Service credits"), cell),
            Paragraph(currency, right),
            *(Paragraph(number(agreement.credits.get(p), grouped=True), right) for p in months),
            Paragraph(money(agreement.total_credits) if last_block else "", right),
        ]
    )
    commands += [
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
        ("BACKGROUND", (0, -1), (-1, -1), layout.BAND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    widths = [label_width, target_width, *[month_width] * len(months), total_width]
    return layout.data_table(rows, widths, extra=commands)


def _attainment(result: TargetResult) -> str:
    if result.attainment is None:
        return _("not applicable")
    return f"{number(result.attainment)} %"


def _charts(results: list[TargetResult]) -> Table:
    per_row = 3
    chart_width = WIDTH / per_row - 4 * mm
    drawings = [trend_chart(result, chart_width, 52 * mm) for result in results]
    rows = [drawings[i : i + per_row] for i in range(0, len(drawings), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    table = Table(rows, colWidths=[WIDTH / per_row] * per_row, hAlign="LEFT")
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    )
    return table


def _impact(card: Scorecard, styles: dict) -> list[Any]:
    parts: list[Any] = [
        Paragraph(_("Customer commitments at risk"), styles["h1"]),
        Paragraph(
            _(
                "Customer SLA targets breached in a month in which an underpinning supplier "
                "target missed."
            ),
            styles["muted"],
        ),
        Spacer(0, 2 * mm),
    ]
    if not card.impact:
        parts.append(Paragraph(_("No customer commitments at risk."), styles["body"]))
        return [KeepTogether(parts)]
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
                Paragraph(number(impact.chain_value), right),
                Paragraph(number(impact.target), right),
            ]
        )
    widths = [30 * mm, 60 * mm, 60 * mm, 35 * mm, 35 * mm]
    commands = [("TEXTCOLOR", (3, 1), (3, -1), STRONG["red"])]
    return [*parts, layout.data_table(rows, widths, extra=commands)]
