"""The scorecard page's pictures: month cells, the trend chart's data and the sparklines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from portal.config import thresholds as rating_thresholds
from portal.display import number, value
from scorecards.scoring import MonthResult, TargetResult, rating


@dataclass(frozen=True)
class Cell:
    period: str
    month: MonthResult | None  # None: the target is not due that month


def month_cells(result: TargetResult, months: list[str]) -> list[Cell]:
    by_period = {month.period: month for month in result.months}
    return [Cell(period, by_period.get(period)) for period in months]


def chart_values(result: TargetResult, months: list[str]) -> dict[str, str]:
    """The trend chart's data, as ``data-*`` attributes (CSP allows no inline script)."""
    cells = month_cells(result, months)
    return {
        "months": ",".join(months),
        "series": ",".join(
            value(cell.month.value) if cell.month and cell.month.value is not None else ""
            for cell in cells
        ),
        "statuses": ",".join(cell.month.status if cell.month else "" for cell in cells),
        "target": value(result.target.target),
    }


@dataclass(frozen=True)
class Spark:
    """A small inline SVG of the monthly scores (0–100), drawn on the server."""

    width: int
    height: int
    segments: list[str]  # polyline point lists, broken where a month has no score
    points: list[tuple[str, str, str, str, str]]  # x, y, month, rating, score
    green_y: str
    amber_y: str


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 112, 34, 4


def _floor(scores: Iterable[Decimal]) -> Decimal:
    """The bottom of the scale: 50, or lower in steps of 10 when a month scored lower, so the
    differences that matter (80–100) are not squeezed into a few pixels."""
    lowest = min(scores, default=Decimal(100))
    return min(Decimal(50), (lowest // 10) * 10)


def _y(score: Decimal, floor: Decimal) -> str:
    inner = Decimal(SPARK_HEIGHT - 2 * SPARK_PAD)
    clamped = min(max(score, floor), Decimal(100))
    return number(SPARK_PAD + (Decimal(100) - clamped) * inner / (100 - floor), 1).replace(",", "")


def sparkline(trend: list[tuple[str, Decimal | None]]) -> Spark:
    thresholds = rating_thresholds()
    step = Decimal(SPARK_WIDTH - 2 * SPARK_PAD) / max(len(trend) - 1, 1)
    floor = _floor(score for _, score in trend if score is not None)
    segments: list[list[str]] = [[]]
    points = []
    for index, (month, score) in enumerate(trend):
        if score is None:
            segments.append([])
            continue
        x = number(SPARK_PAD + step * index, 1).replace(",", "")
        y = _y(score, floor)
        segments[-1].append(f"{x},{y}")
        points.append((x, y, month, rating(score, thresholds), number(score)))
    return Spark(
        SPARK_WIDTH,
        SPARK_HEIGHT,
        [" ".join(segment) for segment in segments if len(segment) > 1],
        points,
        _y(thresholds.green, floor),
        _y(thresholds.amber, floor),
    )
