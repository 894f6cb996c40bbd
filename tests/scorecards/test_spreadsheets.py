"""Measurements files: encodings, headers, XLSX traps, all or nothing, templates, laziness."""

from __future__ import annotations

import codecs
import gc
import io
import json
import sys
import zipfile
from datetime import datetime
from decimal import Decimal as D

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from contracts.models import Supplier
from scorecards.due import due_figures
from scorecards.models import Measurement
from scorecards.portfolio import import_portfolio
from scorecards.spreadsheets import (
    SheetProblems,
    describe,
    import_file,
    read_figures,
    template_csv,
    template_xlsx,
)
from scorecards.submissions import SubmissionRefused
from tests import EXAMPLES

AUGUST = datetime(2026, 8, 5, 9, 0)
HEADER = "agreement,service,metric,period,value,comment\n"


@pytest.fixture
def portfolio(session):
    document = json.loads((EXAMPLES / "portfolio.json").read_text(encoding="utf-8"))
    import_portfolio(session, document)
    session.flush()
    return {s.code: s for s in session.scalars(select(Supplier))}


def stored(session, period="2026-07"):
    return session.scalars(
        select(Measurement).where(Measurement.period == period).order_by(Measurement.id)
    ).all()


def count(session):
    return session.scalar(select(func.count()).select_from(Measurement))


def load(session, data: bytes, supplier=None, now=AUGUST):
    return import_file(
        session,
        io.BytesIO(data),
        supplier_id=supplier.id if supplier else None,
        user_id=None,
        now=now,
    )


def problems_of(session, data: bytes, supplier=None):
    before = count(session)
    savepoint = session.begin_nested()  # the CLI and the web roll back the same way
    with pytest.raises(SubmissionRefused) as caught:
        load(session, data, supplier)
    savepoint.rollback()
    assert count(session) == before
    return [describe(problem) for problem in caught.value.problems]


def xlsx(rows, *, extra=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if extra:
        extra(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FIELDS = HEADER.strip().split(",")


# ── The example file, encodings ─────────────────────────────────────────────────────────────
def test_the_example_csv_imports_with_exact_values(session, portfolio):
    result = load(session, (EXAMPLES / "measurements-2026-07.csv").read_bytes())
    assert (result.count, result.late) == (4, 0)  # due by 10 August; it is the 5th
    figures = {(m.target.agreement.ref, m.target.metric.code): m for m in stored(session)}
    assert figures["UC-CLOUDCO-2026", "AVAIL"].value == D("99.94")
    assert figures["UC-CLOUDCO-2026", "RESOLVE_P1"].comment == "two P1 incidents"
    assert figures["SUB-SZDC-01", "AVAIL"].target.service.code == "CRM"
    assert figures["OLA-NETOPS", "FTF"].value == D("86")
    assert figures["OLA-NETOPS", "FTF"].comment == "本月按时完成"


def test_after_the_due_day_the_example_figures_are_late(session, portfolio):
    result = load(
        session, (EXAMPLES / "measurements-2026-07.csv").read_bytes(), now=datetime(2026, 8, 11)
    )
    assert (result.count, result.late) == (4, 4)


CHINESE = HEADER + "OLA-NETOPS,,FTF,2026-07,86,本月按时完成，服务稳定\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(CHINESE.encode("gbk"), id="gbk"),
        pytest.param(CHINESE.encode("gb18030"), id="gb18030"),
        pytest.param(codecs.BOM_UTF8 + CHINESE.encode("utf-8"), id="utf-8-bom"),
        pytest.param(CHINESE.encode("utf-8"), id="utf-8"),
        pytest.param(CHINESE.encode("utf-16"), id="utf-16-bom"),
        pytest.param(CHINESE.replace(",", "\t").encode("utf-16"), id="utf-16-tabs"),
    ],
)
def test_chinese_comments_survive_every_accepted_encoding(session, portfolio, data):
    assert load(session, data).count == 1
    assert stored(session)[0].comment == "本月按时完成，服务稳定"


def test_big5_is_refused_not_misread_as_gb18030(session, portfolio):
    data = (HEADER + "OLA-NETOPS,,FTF,2026-07,86,本月按時完成，服務穩定\n").encode("big5")
    [problem] = problems_of(session, data)
    assert "UTF-8" in problem


def test_bytes_that_are_no_text_encoding_are_refused(session, portfolio):
    data = HEADER.encode() + b"OLA-NETOPS,,FTF,2026-07,86,\x80\xff\xfe\n"
    [problem] = problems_of(session, data)
    assert "save the file as CSV UTF-8" in problem


# ── Headers and rows ────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("agreement,service,metric,period,value\n", "comment"),
        ("agreement,service,metirc,period,value,comment\n", "metric"),
        ("service,agreement,metric,period,value,comment\n", "agreement"),
        ("OLA-NETOPS,,FTF,2026-07,86,\n", "agreement"),
    ],
)
def test_a_missing_or_misspelt_header_names_the_column(session, portfolio, header, column):
    data = (header + "OLA-NETOPS,,FTF,2026-07,86,\n").encode()
    [problem] = problems_of(session, data)
    assert problem.startswith(f"row 1, column {column}: ")


def test_the_header_may_differ_in_case_and_spaces(session, portfolio):
    data = b"Agreement, Service ,METRIC,period,value,comment\r\nOLA-NETOPS,,FTF,2026-07,86,\r\n"
    assert load(session, data).count == 1


def test_every_bad_row_is_reported_and_nothing_is_stored(session, portfolio):
    data = (
        HEADER
        + "OLA-NETOPS,,FTF,2026-07,86,fine\n"
        + "UC-CLOUDCO-2026,CRM,AVAIL,2026-07,abc,\n"
        + "\n"
        + "OLA-NETOPS,,FTF,2026-13,86,\n"
        + "OLA-NETOPS,,FTF,2026-06,86,,surplus\n"
        + "UC-NOPE,,FTF,2026-07,86,\n"
        + "\n\n"  # empty rows at the end are no problem
    ).encode()
    assert problems_of(session, data) == [
        'row 3, column value: must be a decimal number, such as "99.95"',
        "row 4: the row is empty; remove empty rows between figures",
        'row 5, column period: must be a month written YYYY-MM, such as "2026-07"',
        "row 6, column G: the file has only the columns "
        "agreement,service,metric,period,value,comment",
        "row 7, column agreement: unknown agreement UC-NOPE",
    ]


def test_duplicate_rows_for_a_target_and_month_are_refused(session, portfolio):
    data = (HEADER + "OLA-NETOPS,,FTF,2026-07,86,\n" + "OLA-NETOPS,NET,FTF,2026-07,87,\n").encode()
    [problem] = problems_of(session, data)
    assert problem.startswith("row 3, column period: repeats the figure of row 2")


def test_a_comment_of_200000_characters_is_refused_by_its_row_and_column(session, portfolio):
    data = (HEADER + "OLA-NETOPS,,FTF,2026-07,86," + "长" * 200_000 + "\n").encode()
    assert problems_of(session, data) == ["row 2, column comment: must be at most 4000 characters"]


def test_a_quoted_field_with_line_breaks_may_be_long(session, portfolio):
    comment = "line\n" * 40_000  # 200,000 characters across 40,000 lines of one field
    data = (HEADER + f'OLA-NETOPS,,FTF,2026-07,86,"{comment}"\n').encode()
    assert problems_of(session, data) == ["row 2, column comment: must be at most 4000 characters"]


def test_reading_stops_early_without_closing_the_callers_stream(monkeypatch):
    """Closing the reader half way (an error elsewhere) used to close the detached text
    wrapper again, logging "ValueError: underlying buffer has been detached"."""
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    rows = "".join(f"OLA-NETOPS,,FTF,2026-{month:02d},86,\n" for month in range(1, 7))
    stream = io.BytesIO((HEADER + rows).encode())
    figures = read_figures(stream, SheetProblems())
    next(figures), next(figures)
    figures.close()
    gc.collect()
    assert [(u.exc_type, str(u.exc_value)) for u in unraisable] == []
    assert not stream.closed


def test_rows_are_named_in_the_language_of_the_page(app, session, portfolio, monkeypatch):
    """A message that quotes another row quotes it in the page's language: "row 2" stayed
    English inside Chinese messages. (The stub stands in for the catalogue's entry.)"""
    wordings = {"row %(row)d": "第 %(row)d 行"}
    monkeypatch.setattr("scorecards.spreadsheets.gettext", lambda text: wordings.get(text, text))
    data = (HEADER + "OLA-NETOPS,,FTF,2026-07,86,\n" + "OLA-NETOPS,NET,FTF,2026-07,87,\n").encode()
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        [problem] = problems_of(session, data)
    assert problem.startswith("第 3 行，period 列：与 第 2 行 的数据重复")


def test_a_supplier_reaches_only_its_own_agreements(session, portfolio):
    data = (HEADER + "UC-CLOUDCO-2026,CRM,AVAIL,2026-07,99.95,\n").encode()
    [problem] = problems_of(session, data, supplier=portfolio["NETOPS"])
    assert problem == "row 2, column agreement: unknown agreement UC-CLOUDCO-2026"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        b"\x00\x01\x02\x03binary\x00",
        b"",
    ],
    ids=["pdf", "png", "xls", "binary", "empty"],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(session, portfolio, data):
    [problem] = problems_of(session, data)
    assert "CSV" in problem or "empty" in problem or "XLSX" in problem


def test_a_zip_that_is_no_workbook_is_refused_whatever_its_name(session, portfolio):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems_of(session, buffer.getvalue()) == ["this ZIP file is not an XLSX workbook"]


# ── XLSX ────────────────────────────────────────────────────────────────────────────────────
def test_xlsx_numbers_come_back_exactly_as_typed(session, portfolio):
    def formats(sheet):
        sheet["E3"].number_format = "0.00%"
        sheet["D4"].number_format = "yyyy-mm"

    data = xlsx(
        [
            FIELDS,
            ["UC-CLOUDCO-2026", "CRM", "AVAIL", "2026-07", 99.95, "评论"],
            ["SUB-SZDC-01", None, "AVAIL", "2026-07", 0.9997, None],  # shown as 99.97%
            ["OLA-NETOPS", None, "FTF", datetime(2026, 7, 1), 86, None],  # Excel's "2026-07"
        ],
        extra=formats,
    )
    assert load(session, data).count == 3
    values = sorted(m.value for m in stored(session))
    assert values == [D("86"), D("99.95"), D("99.97")]
    assert {m.comment for m in stored(session)} == {"评论", ""}


def test_a_17_digit_excel_float_is_read_as_the_15_digit_value_excel_shows(session, portfolio):
    data = xlsx([FIELDS, ["UC-CLOUDCO-2026", "CRM", "AVAIL", "2026-07", 99.950000000000003, ""]])
    load(session, data)
    assert stored(session)[0].value == D("99.95")


def test_an_xlsx_formula_is_refused_naming_row_and_column(session, portfolio):
    data = xlsx(
        [
            FIELDS,
            ["OLA-NETOPS", None, "FTF", "2026-07", 86, None],
            ["UC-CLOUDCO-2026", "CRM", "AVAIL", "2026-07", "=99.9+0.05", None],
        ]
    )
    assert problems_of(session, data) == [
        "row 3, column value: formulas are not accepted; paste values"
    ]


def test_an_empty_xlsx_row_in_the_middle_is_refused_one_at_the_end_is_not(session, portfolio):
    rows = [
        FIELDS,
        ["OLA-NETOPS", None, "FTF", "2026-07", 86, None],
        [None] * 6,
        [None] * 6,
        ["UC-CLOUDCO-2026", "CRM", "AVAIL", "2026-07", 99.9, None],
    ]
    assert problems_of(session, xlsx(rows)) == [
        "row 3: rows 3 to 4 are empty; remove empty rows between figures"
    ]
    assert load(session, xlsx([*rows[:2], [None] * 6, [""] * 6])).count == 1


# ── Templates ───────────────────────────────────────────────────────────────────────────────
def _template_rows(session, supplier, period):
    due = due_figures(session, supplier.id, period)
    return [(f.agreement, f.service, f.metric, period) for f in due.figures]


def test_the_xlsx_template_filled_in_imports_cleanly(session, portfolio):
    cloudco = portfolio["CLOUDCO"]
    template = template_xlsx(_template_rows(session, cloudco, "2026-07"))
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == FIELDS
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        ["UC-CLOUDCO-2026", "CRM", "AVAIL", "2026-07", None, None],
        ["UC-CLOUDCO-2026", "CRM", "RESOLVE_P1", "2026-07", None, None],
    ]
    sheet["E2"], sheet["F2"] = 99.95, "机房断电 12 分钟"
    sheet["E3"] = 3.5
    filled = io.BytesIO()
    workbook.save(filled)
    result = load(session, filled.getvalue(), supplier=cloudco)
    assert result.count == 2
    by_metric = {m.target.metric.code: m for m in stored(session)}
    assert by_metric["AVAIL"].value == D("99.95")
    assert by_metric["AVAIL"].comment == "机房断电 12 分钟"
    assert by_metric["RESOLVE_P1"].value == D("3.5")


def test_the_csv_template_filled_in_imports_cleanly(session, portfolio):
    netops = portfolio["NETOPS"]
    template = template_csv(_template_rows(session, netops, "2026-07"))
    assert template.startswith(codecs.BOM_UTF8)
    lines = template.decode("utf-8-sig").splitlines()
    assert lines == [HEADER.strip(), "OLA-NETOPS,NET,FTF,2026-07,,"]
    filled = "\r\n".join([lines[0], "OLA-NETOPS,NET,FTF,2026-07,91.5,按时完成"]) + "\r\n"
    assert load(session, filled.encode("utf-8-sig"), supplier=netops).count == 1
    assert stored(session)[0].comment == "按时完成"


# ── Reading lazily ──────────────────────────────────────────────────────────────────────────
def test_the_reader_is_a_generator_that_reads_the_file_as_it_goes():
    rows = "".join(f"OLA-NETOPS,,FTF,2026-{m:02d},86,row {i}\n" for i in range(50_000) for m in [7])
    stream = io.BytesIO((HEADER + rows).encode())
    figures = read_figures(stream, SheetProblems())
    first = next(figures)
    assert (first.location, first.comment) == ("row 2", "row 0")
    assert stream.tell() < len(stream.getvalue()) // 4
    assert sum(1 for _ in figures) == 49_999
