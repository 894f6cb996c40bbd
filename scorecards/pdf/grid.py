"""The scorecard PDF's month × target grid of an agreement, with its legend and credits."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from scorecards.pdf import layout
from scorecards.pdf.layout import PALE, RULE, STRONG, badge, money, number
from scorecards.scorecard import AgreementCard
from scorecards.scoring import TargetResult

PAGE = landscape(A4)
WIDTH = PAGE[0] - 30 * mm
MONTHS_PER_ROW = 12  # long windows continue the grid in further blocks of 12 months


def legend(styles: dict) -> Table:
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


def grid(agreement: AgreementCard, months: list[str], styles: dict, last_block: bool) -> Table:
    head, head_right = styles["head"], styles["head_right"]
    cell, right = styles["cell"], styles["cell_right"]
    label_width, target_width, total_width = 40 * mm, 22 * mm, 22 * mm
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
                Paragraph(attainment(result) if last_block else "", right),
            ]
        )
    rows.append(
        [
            Paragraph(_("Service credits"), cell),
            Paragraph(agreement.facts.currency, right),
            # Smaller: a month's credits may run to "260,000.00".
            *(
                Paragraph(number(agreement.credits.get(p), grouped=True), styles["small_right"])
                for p in months
            ),
            Paragraph(money(agreement.total_credits) if last_block else "", right),
        ]
    )
    commands += [
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
        ("BACKGROUND", (0, -1), (-1, -1), layout.BAND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (2, 0), (-2, -1), 2.5),
        ("RIGHTPADDING", (2, 0), (-2, -1), 2.5),
    ]
    widths = [label_width, target_width, *[month_width] * len(months), total_width]
    return layout.data_table(rows, widths, extra=commands)


def attainment(result: TargetResult) -> str:
    if result.attainment is None:
        return _("not applicable")
    return f"{number(result.attainment)} %"
