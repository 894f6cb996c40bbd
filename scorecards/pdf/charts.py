"""Charts (reportlab.graphics): a target's monthly values against its target line, and a
supplier's score month by month against the rating thresholds.

Floats appear here only as drawing coordinates; every number printed comes from
``layout.number`` (Decimal, half-up).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from scorecards.pdf.layout import FONT, INK, MUTED, PALE, RULE, STRONG, number
from scorecards.scoring import ZERO, TargetResult, Thresholds, rating


def _bounds(points: list[Decimal]) -> tuple[float, float]:
    low, high = min(points), max(points)
    span = high - low or abs(high) / 100 or Decimal(1)
    return float(low - span / 5), float(high + span / 5)


LABEL_ROOM = 16  # points a month label needs ("2025" at 6.5 pt, and a gap)


def _month_labels(months: list[str], plot_width: float) -> list[str]:
    """ "01".."12" under the months, with the year under the first label of each year; only
    every second (third, …) month labelled where the plot is too narrow for all of them."""
    step = max(1, math.ceil(len(months) * LABEL_ROOM / plot_width))
    labels = []
    year_shown = ""
    for index, period in enumerate(months):
        year, month = period.split("-")
        if index % step:
            labels.append("")
        elif year != year_shown:
            labels.append(f"{month}\n{year}")
            year_shown = year
        else:
            labels.append(month)
    return labels


NOTE_HEIGHT = 22  # the framed note that stands in for a chart without figures


def trend_chart(result: TargetResult, width: float, height: float) -> Drawing:
    """The target's figures over the window; without figures, a short note in its place."""
    target = result.target
    months = [month.period for month in result.months]
    figures = [month.value for month in result.months if month.value is not None]
    if not figures:
        height = NOTE_HEIGHT + 16
    drawing = Drawing(width, height)
    sign = "≥" if target.direction == "higher" else "≤"
    title = f"{target.metric} · {target.service}"
    drawing.add(String(0, height - 10, title, fontName=FONT, fontSize=8.5, fillColor=INK))
    drawing.add(
        String(
            width,
            height - 10,
            _(
                "target %(sign)s %(value)s %(unit)s",
                sign=sign,
                value=number(target.target),
                unit=target.unit,
            ).strip(),
            fontName=FONT,
            fontSize=7.5,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
    if not figures:
        note = _("No month due in this window") if not months else _("No figures in this window")
        _note(drawing, width, NOTE_HEIGHT, note)
        return drawing

    chart = HorizontalLineChart()
    chart.x, chart.y = 34, 34
    chart.width, chart.height = width - 40, height - 34 - 20
    low, high = _bounds([*figures, target.target])

    def series(status: str | None) -> list[float | None]:
        return [
            float(m.value) if m.value is not None and status in (None, m.status) else None
            for m in result.months
        ]

    chart.data = [series(None), series("met"), series("missed")]
    # Lines only where there are two points to join (ReportLab refuses a one-point polyline);
    # a single figure is its marker alone.
    chart.joinedLines = 0
    chart.lines[0].lineStyle = "joinedLine" if len(figures) >= 2 else None
    chart.lines[0].strokeColor = INK
    chart.lines[0].strokeWidth = 1.2
    for index, status in ((1, "met"), (2, "missed")):
        chart.lines[index].strokeColor = None
        chart.lines[index].symbol = makeMarker(
            "FilledCircle" if status == "met" else "FilledDiamond",
            size=4 if status == "met" else 5,
            fillColor=STRONG[status],
            strokeColor=STRONG[status],
        )
    # The target is a level, not a series: drawn across the whole plot, however few months.
    chart.annotations = [_target_line(float(target.target))]
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax = low, high
    axis.labels.fontName, axis.labels.fontSize = FONT, 6.5
    axis.labelTextFormat = lambda value: number(Decimal(str(round(value, 6))))
    axis.strokeColor = RULE
    axis.visibleGrid = 1
    axis.gridStrokeColor = RULE
    axis.gridStrokeWidth = 0.3
    axis.maximumTicks = 5
    categories = chart.categoryAxis
    categories.categoryNames = _month_labels(months, chart.width)
    categories.labels.fontName, categories.labels.fontSize = FONT, 6.5
    categories.labels.dy = -2
    categories.strokeColor = RULE
    drawing.add(chart)
    _legend(drawing)
    return drawing


def _target_line(level: float) -> Callable[..., Line]:
    def draw(chart: HorizontalLineChart, _x_scale: object, y_scale: Callable) -> Line:
        y = y_scale(level)
        return Line(
            chart.x,
            y,
            chart.x + chart.width,
            y,
            strokeColor=MUTED,
            strokeDashArray=(3, 2),
            strokeWidth=0.8,
        )

    return draw


def _note(drawing: Drawing, width: float, height: float, words: str) -> None:
    """A framed note where the chart would be."""
    drawing.add(Rect(0, 0, width, height, strokeColor=RULE, fillColor=None))
    drawing.add(
        String(
            width / 2,
            height / 2 - 3,
            words,
            fontName=FONT,
            fontSize=8,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )


def _legend(drawing: Drawing) -> None:
    """Target, Met, Missed: each after the one before, so no word runs into the next chart."""
    y, x = 1.0, 34.0
    drawing.add(Line(x, y + 2.5, x + 12, y + 2.5, strokeColor=MUTED, strokeDashArray=(3, 2)))
    x = _legend_word(drawing, x + 15, y, _("Target"))
    for status, word in (("met", _("Met")), ("missed", _("Missed"))):
        drawing.add(
            makeMarker(
                "FilledCircle" if status == "met" else "FilledDiamond",
                x=x + 4,
                y=y + 2.5,
                size=4,
                fillColor=STRONG[status],
                strokeColor=STRONG[status],
            )
        )
        x = _legend_word(drawing, x + 10, y, word)


def _legend_word(drawing: Drawing, x: float, y: float, word: str) -> float:
    """Draws ``word`` at x; returns where the next entry starts."""
    drawing.add(String(x, y, word, fontName=FONT, fontSize=6.5, fillColor=MUTED))
    return x + stringWidth(word, FONT, 6.5) + 12


def score_chart(
    scores: list[tuple[str, Decimal | None]], thresholds: Thresholds, width: float, height: float
) -> Drawing:
    """Each month's score on its own as a bar in its rating's colour, with the green and amber
    thresholds as lines; the scale starts at 50 (lower when a month scored under 60) so the
    differences that matter are not squeezed into a sliver."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 24
    chart.width, chart.height = width - 60, height - 24 - 14
    chart.data = [[float(score) if score is not None else None for _month, score in scores]]
    known = [score for _month, score in scores if score is not None]
    # A step of 10 below the lowest score, so that its bar still shows.
    floor = max(ZERO, min(Decimal(50), (min(known, default=Decimal(100)) // 10 - 1) * 10))
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = float(floor), 100.0, 10.0
    axis.labels.fontName, axis.labels.fontSize = FONT, 6.5
    axis.labelTextFormat = lambda value: number(Decimal(str(round(value, 6))), 0)
    axis.strokeColor = RULE
    axis.visibleGrid = 1
    axis.gridStrokeColor = RULE
    axis.gridStrokeWidth = 0.3
    for index, (_month, score) in enumerate(scores):
        colour = rating(score, thresholds)
        chart.bars[(0, index)].fillColor = PALE[colour]
        chart.bars[(0, index)].strokeColor = STRONG[colour]
        chart.bars[(0, index)].strokeWidth = 0.6
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[number(score) if score is not None else "" for _m, score in scores]]
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 6.5
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 2
    chart.naLabel = NA_Label()  # a month with nothing due: a dash, not "n/a"
    chart.naLabel.text = "—"
    chart.naLabel.boxAnchor, chart.naLabel.dy = "s", 2
    chart.naLabel.fontName, chart.naLabel.fontSize = FONT, 6.5
    chart.naLabel.fillColor = MUTED
    chart.barWidth, chart.groupSpacing = 10, 4
    chart.annotations = [
        _threshold_line(thresholds.green, STRONG["green"]),
        _threshold_line(thresholds.amber, STRONG["amber"]),
    ]
    categories = chart.categoryAxis
    categories.categoryNames = _month_labels([month for month, _score in scores], chart.width)
    categories.labels.fontName, categories.labels.fontSize = FONT, 6.5
    categories.labels.dy = -2
    categories.strokeColor = RULE
    drawing.add(chart)
    return drawing


def _threshold_line(level: Decimal, colour: Color) -> Callable[..., Group]:
    def draw(chart: VerticalBarChart, _x_scale: object, y_scale: Callable) -> Group:
        y = y_scale(float(level))
        right = chart.x + chart.width
        return Group(
            Line(chart.x, y, right, y, strokeColor=colour, strokeDashArray=(4, 2), strokeWidth=0.8),
            String(
                right + 3, y - 2.5, number(level), fontName=FONT, fontSize=6.5, fillColor=colour
            ),
        )

    return draw
