"""Measurements files (SPEC section 5): read CSV or XLSX into figures, and write templates.

``read_figures`` is a generator over a binary stream (an upload's stream or an open file):
rows become ``Figure``s one at a time for ``scorecards.submissions.submit``, so a file of
100,000 rows is never held in memory at once. What is wrong with the file itself (a formula,
an empty row in the middle, cells beyond the header) goes into a ``SheetProblems`` list; a file
that cannot be read at all raises ``FileRefused``. ``import_file`` runs reader and submission
together and reports every problem, sorted by row: all or nothing.

CSV encodings, decided from the first 64 KiB: a UTF-16 BOM → UTF-16; else strict UTF-8 (with
or without BOM); else GB18030 (a superset of GBK, as Chinese Excel saves); else refused. Text
that decodes to private-use characters is refused too: that is Big5 read as GB18030. A field may
be as long as an upload (a comment of 200,000 characters is read, and then refused by the shared
checks as too long, naming its row and column).

Problems are located by ``Row``: "row 12" in the language of the page that shows them (English
on the CLI), so a message that quotes another row ("repeats the figure of row 2") reads in one
language.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import closing, suppress
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.orm import Session

from scorecards.submissions import (
    FIELDS,
    Figure,
    FigureProblem,
    SubmissionRefused,
    Submitted,
    submit,
)

PROBE_BYTES = 64 * 1024
# csv's default limit is 128 KiB per field; a field may be as long as an upload (the web's
# default MAX_CONTENT_LENGTH), so that a long comment gets the comment's own message.
FIELD_LIMIT = 64 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0", _l("this is an old Excel .xls file: save it as .xlsx or as CSV UTF-8")),
    (b"%PDF", _l("this is a PDF file, not a CSV or XLSX file")),
    (b"\x89PNG", _l("this is an image, not a CSV or XLSX file")),
    (b"\xff\xd8\xff", _l("this is an image, not a CSV or XLSX file")),
)
_ASK_UTF8 = _l(
    "the text is not UTF-8 or GBK/GB18030 (Big5?); save the file as CSV UTF-8 and upload it again"
)
_FORMULA = _l("formulas are not accepted; paste values")


class Row(str):
    """A figure's location in a file: "row 12" (Chinese: "第 12 行"), and its ``number``.

    The text is written when the row is read, in the language of the request (English on the
    CLI), because the shared checks quote it inside other messages as they find them. Pass
    ``wording`` (``Row.wording()``) to look the translation up once for a whole file.
    """

    number: int

    def __new__(cls, number: int, wording: str | None = None) -> Row:
        row = super().__new__(cls, (wording or cls.wording()) % {"row": number})
        row.number = number
        return row

    @staticmethod
    def wording() -> str:
        return gettext("row %(row)d")


class SheetProblems(list[FigureProblem]):
    """Problems with the file's rows, in the order found."""

    def add(self, row: int | None, column: str, message: Any) -> None:
        self.append(FigureProblem(str(message), column, Row(row) if row else ""))


class FileRefused(Exception):
    """The file cannot be read at all: not CSV/XLSX, unknown encoding, a wrong header."""

    def __init__(self, message: Any, row: int | None = None, column: str = "") -> None:
        super().__init__(str(message))
        self.problem = FigureProblem(str(message), column, Row(row) if row else "")


def row_number(problem: FigureProblem) -> int:
    """The spreadsheet row a problem is about (0: the whole file), to sort problems."""
    return problem.location.number if isinstance(problem.location, Row) else 0


def describe(problem: FigureProblem) -> str:
    """``row 3, column value: must be …``: how the CLI and the upload page list problems."""
    row, column, message = row_number(problem), problem.field, problem.message
    if row and column:
        return str(
            _l(
                "row %(row)d, column %(column)s: %(message)s",
                row=row,
                column=column,
                message=message,
            )
        )
    if row:
        return str(_l("row %(row)d: %(message)s", row=row, message=message))
    if column:
        return str(_l("column %(column)s: %(message)s", column=column, message=message))
    return message


def import_file(
    session: Session,
    stream: IO[bytes],
    *,
    supplier_id: int | None,
    user_id: int | None,
    now: datetime,
    due_day: int = 10,
) -> Submitted:
    """Read and submit a whole file; ``SubmissionRefused`` lists every problem, by row.

    The caller rolls back after a refusal (earlier batches may have been flushed) and commits
    otherwise.
    """
    problems = SheetProblems()
    try:
        with closing(read_figures(stream, problems)) as figures:  # type: ignore[type-var]
            submitted = submit(
                session,
                figures,
                supplier_id=supplier_id,
                user_id=user_id,
                now=now,
                due_day=due_day,
            )
    except FileRefused as error:
        raise SubmissionRefused([error.problem]) from None
    except SubmissionRefused as error:
        refused = error.figure_problems
        if problems and len(refused) == 1 and not refused[0].location:
            refused = []  # "there are no figures": every row had a problem of its own
        raise SubmissionRefused(sorted([*problems, *refused], key=row_number)) from None
    if problems:
        raise SubmissionRefused(list(problems))
    return submitted


# ── Reading ─────────────────────────────────────────────────────────────────────────────────
def read_figures(stream: IO[bytes], problems: SheetProblems) -> Iterator[Figure]:
    """Every figure of a CSV or XLSX file, told apart by content, not by the file's name."""
    head = stream.read(PROBE_BYTES)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(stream, problems)
    else:
        for signature, message in _SIGNATURES:
            if head.startswith(signature):
                raise FileRefused(message)
        rows = _csv_rows(stream, _encoding(head, final=len(head) < PROBE_BYTES), problems)
    with closing(rows):  # type: ignore[type-var]  # a refused header stops reading: let the reader let go of the file
        yield from _figures(rows, problems)


def _figures(
    rows: Iterable[tuple[int, list[str] | None]], problems: SheetProblems
) -> Iterator[Figure]:
    """Figures from numbered rows (``None``: a row with a problem of its own, skipped)."""
    empty: list[int] = []  # the current run of empty rows: first and last
    wording = Row.wording()
    for number, cells in rows:
        if number == 1:
            _check_header(cells or [])
            continue
        if cells is not None and not any(cells):
            empty[1:] = [number] if empty else [number, number]
            continue
        if empty:  # empty rows followed by more figures: in the middle, not at the end
            _empty_rows(problems, *empty)
            empty = []
        if cells is None:
            continue
        extra = [index for index, cell in enumerate(cells) if cell and index >= len(FIELDS)]
        if extra:
            problems.add(
                number,
                get_column_letter(extra[0] + 1),
                _l("the file has only the columns %(header)s", header=",".join(FIELDS)),
            )
            continue
        named = dict(zip(FIELDS, cells + [""] * len(FIELDS), strict=False))
        yield Figure(
            Row(number, wording),
            agreement=named["agreement"],
            metric=named["metric"],
            service=named["service"],
            period=named["period"],
            value=named["value"],
            comment=named["comment"],
        )


def _empty_rows(problems: SheetProblems, first: int, last: int) -> None:
    if first == last:
        message = _l("the row is empty; remove empty rows between figures")
    else:
        message = _l(
            "rows %(first)d to %(last)d are empty; remove empty rows between figures",
            first=first,
            last=last,
        )
    problems.add(first, "", message)


def _check_header(cells: list[str]) -> None:
    found = [cell.strip().lower() for cell in cells]
    while found and not found[-1]:
        found.pop()
    header = ",".join(FIELDS)
    for index, name in enumerate(FIELDS):
        if index >= len(found):
            message = _l(
                "the header lacks the column “%(name)s”; it must be %(header)s",
                name=name,
                header=header,
            )
            raise FileRefused(message, 1, name)
        if found[index] != name:
            message = _l(
                "the header must name “%(name)s” in column %(letter)s, not “%(found)s”; "
                "it must be %(header)s",
                name=name,
                letter=get_column_letter(index + 1),
                found=found[index][:40],
                header=header,
            )
            raise FileRefused(message, 1, name)
    if len(found) > len(FIELDS):
        letter = get_column_letter(len(FIELDS) + 1)
        message = _l(
            "unexpected column “%(found)s”; the header must be %(header)s",
            found=found[len(FIELDS)][:40],
            header=header,
        )
        raise FileRefused(message, 1, letter)


# ── CSV ─────────────────────────────────────────────────────────────────────────────────────
def _encoding(head: bytes, *, final: bool) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not head.strip():
        raise FileRefused(_l("the file is empty"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)("strict").decode(head, final=final)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise FileRefused(_l("this is neither a CSV nor an XLSX file"))
        if _PRIVATE_USE.search(text):
            break  # Big5 (or another code page) misread as GB18030
        return encoding
    raise FileRefused(_ASK_UTF8)


def _csv_rows(
    stream: IO[bytes], encoding: str, problems: SheetProblems
) -> Iterator[tuple[int, list[str] | None]]:
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    number = 0
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    try:
        first_line = text.readline()
        # Excel's "Unicode text" (UTF-16) separates with tabs; its CSV with commas.
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        # itertools.chain, not a generator with ``yield from text``: closing such a generator
        # (when reading stops at an error) closes ``text`` too, which by then is detached
        # ("underlying buffer has been detached"), or else would close the caller's stream.
        lines = itertools.chain((first_line,), text)
        for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
            if not "".join(cells).isascii() and _PRIVATE_USE.search("".join(cells)):
                problems.add(number, "", _ASK_UTF8)
                return
            yield number, [cell.strip() for cell in cells]
    except UnicodeDecodeError:
        problems.add(number + 1, "", _ASK_UTF8)
    except csv.Error as error:
        problems.add(number + 1, "", _l("cannot be read as CSV: %(error)s", error=str(error)))
    finally:
        with suppress(ValueError):  # already closed by its owner
            text.detach()  # the caller owns the stream: do not close it with the wrapper
    if number == 0:
        raise FileRefused(_l("the file is empty"))


# ── XLSX ────────────────────────────────────────────────────────────────────────────────────
def _xlsx_rows(
    stream: IO[bytes], problems: SheetProblems
) -> Iterator[tuple[int, list[str] | None]]:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise FileRefused(_l("this is a damaged ZIP or XLSX file")) from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(_l("this ZIP file is not an XLSX workbook"))
    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile):
        raise FileRefused(_l("the XLSX file cannot be read; save it again in Excel")) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(_l("the XLSX file has no worksheet"))
        for number, row in enumerate(workbook.worksheets[0].iter_rows(), start=1):
            formulas = [index for index, cell in enumerate(row) if cell.data_type == "f"]
            for index in formulas:
                column = FIELDS[index] if index < len(FIELDS) else get_column_letter(index + 1)
                problems.add(number, column, _FORMULA)
            yield number, None if formulas else [_cell_text(cell) for cell in row]
    finally:
        workbook.close()


def _cell_text(cell: Any) -> str:
    """A cell as the text its author typed.

    Excel keeps numbers as binary doubles and shows at most 15 significant digits. ``repr``
    gives the shortest text that reads back as the same double, and a decimal of up to 15
    significant digits is always the shortest such text of its own double (doubles hold 15
    decimal digits exactly: DBL_DIG), so 99.95 comes back as "99.95", never as
    99.9499999999999957…, even where Excel wrote 99.950000000000003 into the file. The shared
    path then parses that text as a ``Decimal``: the one place a float meets the domain.
    """
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (cell.number_format or ""):
            number *= 100  # 0.9995 shown as 99.95%
        return _plain(number)
    if isinstance(value, datetime | date):
        # Excel turns a typed "2026-07" into 1 July 2026; the month is what was meant.
        return f"{value.year:04d}-{value.month:02d}" if value.day == 1 else value.isoformat()
    return str(value).strip()


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ── Templates ───────────────────────────────────────────────────────────────────────────────
TemplateRow = tuple[str, str, str, str]  # agreement, service, metric, period


def template_csv(rows: Iterable[TemplateRow]) -> bytes:
    """The CSV template: UTF-8 with a BOM, so Excel shows Chinese text as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for agreement, service, metric, period in rows:
        writer.writerow([agreement, service, metric, period, "", ""])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def template_xlsx(rows: Iterable[TemplateRow], *, title: str = "Figures") -> bytes:
    """The XLSX template: the file's columns on the first sheet, every cell as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(FIELDS))
    for agreement, service, metric, period in rows:
        sheet.append([agreement, service, metric, period, None, None])
    for column, width in zip("ABCDEF", (24, 12, 14, 10, 12, 48), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows():
        for cell in row:
            if cell.column != 5:  # text, so Excel keeps "2026-07" a month, not a date
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
