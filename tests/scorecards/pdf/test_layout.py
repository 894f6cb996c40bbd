"""The scorecard PDF's pages as a reader sees them: a summary page that carries the verdict, the
legend on the page of the grid it explains, no page left holding a scrap; and every number in
the same 2-decimal, half-up form as the JSON."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer
from sqlalchemy import select

from contracts.models import Supplier
from portal import demo
from portal.fonts import FONT_PATH
from portal.labels import pdf_words
from portal.scorecards.pdfs import scorecard_pdf
from scorecards.pdf import layout
from scorecards.pdf.scorecard_pdf import render_scorecard
from scorecards.scorecard import AgreementCard, Scorecard
from scorecards.scoring import AgreementFacts, Impact, MonthResult, TargetFacts, TargetResult

TODAY = date(2026, 11, 25)  # the demo's figures run to October 2026
WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">')
FOOTER = 40  # points from the bottom edge: the footer line, name and page number


def pages_text(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def page_fill(path: Path) -> list[float]:
    """How far down each page its content reaches (0 = top edge, 1 = bottom edge)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    fills = []
    for page in html.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        bottoms = [float(y) for top, y in WORD.findall(page) if float(top) < height - FOOTER]
        fills.append(max(bottoms) / height)
    return fills


@pytest.fixture
def huawei_pdf(app, session, tmp_path):
    """HUAWEI over the demo's last 12 months: one agreement, three targets, a missed month."""
    demo.seed_demo(session, today=TODAY)
    session.flush()
    supplier = session.scalar(select(Supplier).where(Supplier.code == "HUAWEI"))

    def render(language: str) -> Path:
        path = tmp_path / f"huawei-{language}.pdf"
        with app.app_context():
            path.write_bytes(scorecard_pdf(session, supplier, "2025-11", "2026-10", language))
        return path

    return render


@pytest.mark.parametrize("language", ["en", "zh_Hans_CN"])
def test_a_typical_scorecard_has_no_near_empty_page(huawei_pdf, language):
    path = huawei_pdf(language)
    fills = page_fill(path)
    assert len(fills) == 2  # the summary, then the agreement's grid and charts
    assert all(fill > 0.5 for fill in fills), fills


@pytest.mark.parametrize("language", ["en", "zh_Hans_CN"])
def test_the_summary_page_carries_the_verdict(app, huawei_pdf, language):
    summary = pages_text(huawei_pdf(language))[0]
    with app.app_context(), force_locale(language):
        words = {
            "recommendation": [
                gettext("Renew"), gettext("Renew with conditions"), gettext("Renegotiate or exit")
            ],
            "rating": [gettext("Green"), gettext("Amber"), gettext("Red")],
            "sections": [gettext("Agreements"), gettext("Score per month"),
                         gettext("Customer commitments at risk")],
        }  # fmt: skip
    assert "UC-HUAWEI-NET" in summary
    assert any(word in summary for word in words["recommendation"])
    assert any(word in summary for word in words["rating"])
    assert all(section in summary for section in words["sections"])
    assert re.search(r"\d[\d,]*\.\d\d CNY", summary)  # credits in the agreement's currency


@pytest.mark.parametrize("language", ["en", "zh_Hans_CN"])
def test_the_legend_is_on_the_page_of_the_grid(app, huawei_pdf, language):
    pages = pages_text(huawei_pdf(language))
    with app.app_context(), force_locale(language):
        legend = gettext("Each month shows the current figure; a missing figure counts as missed.")
        attainment = gettext("Attainment")
    legend_pages = [number for number, page in enumerate(pages) if legend in page]
    grid_pages = [number for number, page in enumerate(pages) if attainment in page]
    assert legend_pages == grid_pages == [1]


def card_with(value: str, chain_value: str) -> Scorecard:
    target = TargetFacts(1, "AVAIL", "CRM", Decimal("99.905"), "higher", unit="%")
    result = TargetResult(target, [MonthResult("2026-05", Decimal(value), "met")])
    facts = AgreementFacts(
        "UC-1", "underpinning", "active", date(2026, 1, 1), date(2026, 12, 31), [target],
        currency="USD",
    )  # fmt: skip
    agreement = AgreementCard(
        facts, [result], Decimal("66.665"), "red", {"2026-05": Decimal("12.345")}, None, None
    )
    impact = Impact("SLA-1", "AVAIL", "CRM", "2026-05", Decimal(chain_value), Decimal("99.9"))
    return Scorecard("SUP", "Supplier", "2026-05", "2026-05", Decimal("66.665"), "red",
                     [agreement], [impact])  # fmt: skip


def test_numbers_are_rounded_half_up_to_two_places_and_chain_values_to_four(app, tmp_path):
    card = card_with(value="99.995", chain_value="99.66005")
    path = tmp_path / "rounding.pdf"
    with app.app_context(), force_locale("en"):
        generated = datetime(2026, 6, 1, tzinfo=UTC)
        path.write_bytes(
            render_scorecard(card, font_path=FONT_PATH, generated_at=generated, words=pdf_words())
        )
    text = "\n".join(pages_text(path))
    # a chain value to 4 places, as on the web page: a breach must not read as its target
    assert "99.6601" in text and "99.66005" not in text
    assert "66.67" in text and "66.66" not in text  # the score: half-up, not half-even
    assert "100.00" in text  # the month's figure 99.995
    assert "99.91" in text  # the target 99.905
    assert "12.35" in text  # the month's credits


def test_of_several_layouts_the_one_without_a_scrap_page_wins(app, tmp_path):
    def story(words: str, spread: bool) -> list:
        style = layout.styles()["body"]
        head = [Spacer(0, 200 * mm), Paragraph(words, style)]  # two thirds of the page
        return [*head, PageBreak(), Paragraph("tail", style)] if spread else [*head]

    with app.app_context(), force_locale("en"):
        layout.register_font(FONT_PATH)
        frame = layout.Frame("doc", datetime(2026, 6, 1, tzinfo=UTC))
        stories = [lambda: story("spread", True), lambda: story("first", False),
                   lambda: story("second", False)]  # fmt: skip
        path = tmp_path / "best.pdf"
        path.write_bytes(layout.render_best(stories, A4, frame, "t"))
    (page,) = pages_text(path)  # one page, not a page holding "tail" alone
    assert "first" in page  # equals: the first in order of preference
