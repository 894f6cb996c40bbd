"""Trend charts (reportlab.graphics): a target's monthly values against its target line.

Floats appear here only as drawing coordinates; every number printed comes from
``layout.number`` (Decimal, half-up).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask_babel import gettext as _
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker

from scorecards.pdf.layout import FONT, INK, MUTED, RULE, STRONG, number
from scorecards.scoring import TargetResult


def _bounds(points: list[Decimal]) -> tuple[float, float]:
    low, high = min(points), max(points)
    span = high - low or abs(high) / 100 or Decimal(1)
    return float(low - span / 5), float(high + span / 5)


def _month_labels(months: list[str]) -> list[str]:
    """ "01".."12" under each month, with the year at January and at the first month; thinned
    out on long windows so labels never collide."""
    step = max(1, (len(months) + 11) // 12)
    labels = []
    for index, period in enumerate(months):
        year, month = period.split("-")
        if index % step:
            labels.append("")
        elif index == 0 or month == "01":
            labels.append(f"{month}\n{year}")
        else:
            labels.append(month)
    return labels


def trend_chart(result: TargetResult, width: float, height: float) -> Drawing:
    target = result.target
    months = [month.period for month in result.months]
    values = [month.value for month in result.months]
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
    figures = [value for value in values if value is not None]
    if not figures:
        note = _("No month due in this window") if not months else _("No figures in this window")
        _note(drawing, width, height - 16, note)
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
    categories.categoryNames = _month_labels(months)
    categories.labels.fontName, categories.labels.fontSize = FONT, 6.5
    categories.labels.dy = -2
    categories.strokeColor = RULE
    drawing.add(chart)
    _legend(drawing, width)
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
            height / 2,
            words,
            fontName=FONT,
            fontSize=8,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )


def _legend(drawing: Drawing, width: float) -> None:
    y = 1
    x = 34
    drawing.add(Line(x, y + 2.5, x + 12, y + 2.5, strokeColor=MUTED, strokeDashArray=(3, 2)))
    drawing.add(String(x + 15, y, _("Target"), fontName=FONT, fontSize=6.5, fillColor=MUTED))
    for offset, status, word in ((70, "met", _("Met")), (130, "missed", _("Missed"))):
        drawing.add(
            makeMarker(
                "FilledCircle" if status == "met" else "FilledDiamond",
                x=x + offset + 4,
                y=y + 2.5,
                size=4,
                fillColor=STRONG[status],
                strokeColor=STRONG[status],
            )
        )
        drawing.add(String(x + offset + 10, y, word, fontName=FONT, fontSize=6.5, fillColor=MUTED))
