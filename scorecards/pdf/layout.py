"""What both PDFs share: the embedded CJK font, colours, paragraph styles, number display,
and the page frame (footer with the generation time, "page X of Y")."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from scorecards.pdf import words

FONT = "WenQuanYiMicroHei"

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#d3d8de")
BAND = colors.HexColor("#f3f5f7")
ACCENT = colors.HexColor("#1d4e89")

# Status and rating colours: a strong one for text and marks, a pale one for cell backgrounds.
STRONG = {
    "green": colors.HexColor("#1e7b34"),
    "amber": colors.HexColor("#a35f00"),
    "red": colors.HexColor("#b42318"),
    "none": colors.HexColor("#616e7c"),
    "met": colors.HexColor("#1e7b34"),
    "missed": colors.HexColor("#b42318"),
    "missing": colors.HexColor("#616e7c"),
}
PALE = {
    "green": colors.HexColor("#dcf2e1"),
    "amber": colors.HexColor("#fdecc8"),
    "red": colors.HexColor("#fbe0dd"),
    "none": colors.HexColor("#eceff2"),
    "met": colors.HexColor("#dcf2e1"),
    "missed": colors.HexColor("#fbe0dd"),
    "missing": colors.HexColor("#eceff2"),
}


def register_font(font_path: str | Path) -> str:
    """Embed the TrueType CJK font once per process; Chinese text stays real, extractable text."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path), subfontIndex=0))
        # The font has one weight: headings differ by size and colour, not by a bold face.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=9, leading=12.5, textColor=INK, wordWrap="CJK"
    )

    def derived(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "body": base,
        "small": derived("small", fontSize=7.5, leading=10),
        "small_right": derived("small_right", fontSize=7.5, leading=10, alignment=TA_RIGHT),
        "muted": derived("muted", fontSize=8, leading=11, textColor=MUTED),
        "cell": derived("cell", fontSize=8, leading=10.5),
        "cell_right": derived("cell_right", fontSize=8, leading=10.5, alignment=TA_RIGHT),
        "head": derived("head", fontSize=7.5, leading=10, textColor=MUTED),
        "head_right": derived(
            "head_right", fontSize=7.5, leading=10, textColor=MUTED, alignment=TA_RIGHT
        ),
        "kicker": derived("kicker", fontSize=10, leading=14, textColor=ACCENT),
        "title": derived("title", fontSize=24, leading=30, spaceAfter=4),
        "h1": derived("h1", fontSize=15, leading=20, spaceBefore=4, spaceAfter=6, textColor=ACCENT),
        "h2": derived("h2", fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4),
        "h3": derived("h3", fontSize=11.5, leading=14, textColor=ACCENT),
        "big": derived("big", fontSize=34, leading=40, alignment=TA_RIGHT),
    }


def number(value: Decimal | None, places: int = 2, grouped: bool = False) -> str:
    """Half-up to ``places`` decimals, exactly (Decimal quantize, never a binary float)."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return format(rounded, ",f") if grouped else format(rounded, "f")


def money(value: Decimal, currency: str = "") -> str:
    text = number(value, grouped=True)
    return f"{text} {currency}".strip()


def text(value: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text (escaped: names may contain &, < and >)."""
    return Paragraph(escape(str(value)), style)


def rating_word(rating: str) -> str:
    return str(words.current().rating[rating])


def status_word(status: str) -> str:
    return str(words.current().month_status[status])


def recommendation_word(recommendation: str | None) -> str:
    shown = words.current()
    if recommendation is None:
        return str(shown.no_recommendation)
    return str(shown.recommendation[recommendation])


RECOMMENDATION_COLOUR = {
    "renew": "green",
    "renew_with_conditions": "amber",
    "renegotiate_or_exit": "red",
    None: "none",
}


def badge(word: str, colour: str, font_size: float = 8, align: str = "LEFT") -> Table:
    """A word on its pale colour with a strong edge: colour is never the only signal."""
    style = ParagraphStyle(
        "badge",
        fontName=FONT,
        fontSize=font_size,
        leading=font_size * 1.3,
        textColor=STRONG[colour],
        wordWrap="CJK",
    )
    table = Table([[Paragraph(escape(word), style)]], hAlign=align)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PALE[colour]),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, STRONG[colour]),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def data_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    extra: Sequence[tuple[Any, ...]] = (),
    repeat: int = 1,
) -> Table:
    """A ruled table with a header row; ``extra`` adds TableStyle commands."""
    table = Table(list(rows), colWidths=list(widths), repeatRows=repeat, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return table


def with_table(
    parts: Sequence[Flowable],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    extra: Sequence[tuple[Any, ...]] = (),
    lead_rows: int = 2,
) -> list[Flowable]:
    """``parts`` (a heading, a note) and then the table of ``rows``, which may split over pages
    (its header repeated), but never leaves the parts at the foot of a page without the header
    and first rows under them."""
    lead = data_table(rows[: 1 + lead_rows], widths, extra=extra)
    needed = sum(_height(flowable) for flowable in [*parts, lead])
    return [CondPageBreak(needed), *parts, data_table(rows, widths, extra=extra)]


def _height(flowable: Flowable) -> float:
    _width, height = flowable.wrap(A4[0], A4[0])  # wide and high enough for any part
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


@dataclass(frozen=True)
class Frame:
    """What the footer says: the document's name and when it was generated (UTC)."""

    document: str
    generated_at: datetime


def _numbered_canvas(frame: Frame) -> type[canvas.Canvas]:
    """A canvas that holds its pages back until the end, so each can say "page X of Y"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(15 * mm, 12 * mm, width - 15 * mm, 12 * mm)
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawString(15 * mm, 8 * mm, frame.document)
            stamp = frame.generated_at.strftime("%Y-%m-%d %H:%M UTC")
            self.drawCentredString(width / 2, 8 * mm, _("Generated %(when)s", when=stamp))
            self.drawRightString(
                width - 15 * mm,
                8 * mm,
                _("Page %(page)d of %(total)d", page=self._pageNumber, total=total),
            )
            self.restoreState()

    return NumberedCanvas


HALF_FULL = 0.5  # a page whose content ends above its middle holds a scrap


class _MeasuredDocument(SimpleDocTemplate):
    """Notes how far down each page its content reaches, to compare layouts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fills: dict[int, float] = {}

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's name)
        frame = self.frame
        if frame is None:  # between pages
            return
        used = (frame._y1 + frame._height - frame._y) / frame._height
        self.fills[self.page] = max(self.fills.get(self.page, 0.0), used)


def _build(
    story: list[Any],
    pagesize: tuple[float, float],
    frame: Frame,
    title: str,
    on_page: Callable[[canvas.Canvas, Any], None] | None,
) -> tuple[bytes, list[float]]:
    buffer = io.BytesIO()
    document = _MeasuredDocument(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Underpin",
        creator="Underpin",
    )
    hook = on_page or (lambda _canvas, _doc: None)
    document.build(story, onFirstPage=hook, onLaterPages=hook, canvasmaker=_numbered_canvas(frame))
    fills = [document.fills.get(page, 0.0) for page in range(1, document.page + 1)]
    return buffer.getvalue(), fills


def render(
    story: list[Any],
    pagesize: tuple[float, float],
    frame: Frame,
    title: str,
    on_page: Callable[[canvas.Canvas, Any], None] | None = None,
) -> bytes:
    return _build(story, pagesize, frame, title, on_page)[0]


def render_best(
    stories: Sequence[Callable[[], list[Any]]],
    pagesize: tuple[float, float],
    frame: Frame,
    title: str,
) -> bytes:
    """The first story (they go in order of preference) in which no page is less than half
    full; failing that, the one with the fewest pages, then the fullest emptiest page.

    ReportLab breaks pages one flowable at a time and never looks ahead; where a section could
    sit in more than one place, trying the next placement is how a page holding a scrap is
    avoided. Each story is built afresh (a flowable is not reused across builds), and only as
    many as needed: usually the first one will do."""
    best: tuple[int, float] | None = None
    content = b""
    for story in stories:
        pdf, fills = _build(story(), pagesize, frame, title, None)
        if len(fills) == 1 or min(fills) >= HALF_FULL:
            return pdf
        key = (len(fills), -min(*fills, HALF_FULL))
        if best is None or key < best:
            best, content = key, pdf
    return content
