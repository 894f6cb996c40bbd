"""Trend charts with few figures: one figure is a marker, none is a note, and the scorecard PDF
renders for any window (ReportLab refuses a polyline of fewer than two points)."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Group, PolyLine, Shape, String, UserNode

from portal.fonts import FONT_PATH
from scorecards.pdf import layout
from scorecards.pdf.charts import trend_chart
from scorecards.portfolio import import_portfolio
from scorecards.scoring import MonthResult, TargetFacts, TargetResult
from tests import EXAMPLES

AVAIL = TargetFacts(1, "AVAIL", "CRM", Decimal("99.9"), "higher", unit="%")


def result(*months: tuple[str, str | None]) -> TargetResult:
    rows = []
    for period, value in months:
        figure = None if value is None else Decimal(value)
        status = "missing" if figure is None else ("met" if figure >= AVAIL.target else "missed")
        rows.append(MonthResult(period, figure, status))
    return TargetResult(AVAIL, rows)


def shapes(node: Shape) -> list[Shape]:
    """Every plain shape of a drawing, its chart widgets expanded."""
    if isinstance(node, Group):
        return [shape for child in node.getContents() for shape in shapes(child)]
    if isinstance(node, UserNode):
        return shapes(node.provideNode())
    return [node]


def drawn(chart_result: TargetResult, app) -> list[Shape]:
    with app.test_request_context():
        layout.register_font(FONT_PATH)
        drawing = trend_chart(chart_result, 240, 150)
        assert renderPDF.drawToString(drawing).startswith(b"%PDF")  # ReportLab accepts it
        return shapes(drawing)


def texts(items: list[Shape]) -> list[str]:
    return [item.text for item in items if isinstance(item, String)]


def lines(items: list[Shape]) -> list[PolyLine]:
    return [item for item in items if isinstance(item, PolyLine)]


@pytest.mark.parametrize(
    "months",
    [
        [("2026-06", "99.95")],  # a one-month window with its figure
        [("2026-06", "99.5")],  # ... missed
        [("2026-05", None), ("2026-06", "99.95"), ("2026-07", None)],  # one figure in three
    ],
)
def test_a_single_figure_is_a_marker_without_a_line(app, months):
    items = drawn(result(*months), app)
    assert lines(items) == []
    assert "No figures in this window" not in texts(items)


def test_two_figures_are_joined(app):
    items = drawn(result(("2026-05", "99.95"), ("2026-06", None), ("2026-07", "99.5")), app)
    assert len(lines(items)) == 1


def test_months_without_figures_show_a_note(app):
    items = drawn(result(("2026-05", None), ("2026-06", None)), app)
    assert "No figures in this window" in texts(items)


def test_no_month_due_shows_a_note(app):
    assert "No month due in this window" in texts(drawn(result(), app))


@pytest.mark.parametrize(
    ("first", "last", "note"),
    [
        ("2026-06", "2026-06", False),  # one month, one figure
        ("2026-06", "2026-08", False),  # one figure in three due months
        ("2026-07", "2026-09", True),  # due, but no figure yet
    ],
)
def test_the_scorecard_pdf_renders_for_windows_with_few_figures(
    runner, session, tmp_path, first, last, note
):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()
    out = tmp_path / "szdc.pdf"
    result = runner.invoke(
        args=["scorecard", "SZDC", "--from", first, "--to", last, "--format", "pdf",
              "--out", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert ("No figures in this window" in text) is note
    assert Path(out).read_bytes().startswith(b"%PDF")
