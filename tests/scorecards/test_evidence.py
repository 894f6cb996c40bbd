"""Evidence files: checked before storing, kept in the database, served only to those who may
see a figure that uses them, with the original name and a safe content type."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from urllib.parse import quote

import pytest

from scorecards.evidence import (
    OCTET_STREAM,
    EvidenceFile,
    EvidenceRefused,
    check_evidence,
    clean_filename,
    content_type_of,
    store_evidence,
)
from tests.conftest import login

NOW = datetime(2026, 8, 5, 9, 0)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def checked(data: bytes, name: str, max_bytes: int = 1000):
    return check_evidence(io.BytesIO(data), name, max_bytes=max_bytes)


def test_a_file_is_read_hashed_and_typed():
    upload = checked(PDF, "月报 2026-07.pdf")
    assert (upload.filename, upload.content_type, upload.size) == (
        "月报 2026-07.pdf",
        "application/pdf",
        len(PDF),
    )
    assert upload.sha256 == hashlib.sha256(PDF).hexdigest()


def test_the_size_limit_is_exact():
    assert checked(b"x" * 1000, "a.txt").size == 1000
    with pytest.raises(EvidenceRefused) as caught:
        checked(b"x" * 1001, "a.txt")
    assert "1000 B" in str(caught.value) and caught.value.field == "evidence"
    with pytest.raises(EvidenceRefused):
        checked(b"", "a.txt")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\王伟\\报告.pdf", "报告.pdf"),
        ("../../etc/passwd", "passwd"),
        ('a"b<c>\r\n.pdf', "a_b_c___.pdf"),
        ("  .hidden  ", "hidden"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_filenames_keep_their_own_name_and_nothing_dangerous(raw, clean):
    assert clean_filename(raw) == clean


def test_a_file_without_a_name_is_refused():
    with pytest.raises(EvidenceRefused):
        checked(PDF, "/")


@pytest.mark.parametrize(
    ("name", "head", "content_type"),
    [
        ("a.PDF", PDF, "application/pdf"),
        ("a.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("a.jpg", b"\xff\xd8\xff\xe0", "image/jpeg"),
        (
            "a.xlsx",
            b"PK\x03\x04",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("a.csv", b"a,b\n", "text/csv"),
        ("a.pdf", b"<html><script>", OCTET_STREAM),  # the content disagrees with the name
        ("a.html", b"<html><script>", OCTET_STREAM),
        ("a.svg", b"<svg onload=alert(1)>", OCTET_STREAM),
        ("noextension", PDF, OCTET_STREAM),
    ],
)
def test_only_allow_listed_types_that_match_their_content(name, head, content_type):
    assert content_type_of(name, head) == content_type


MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"  # a Windows program


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "setup.exe",
            MZ,
            "setup.exe is not an accepted type: use PDF, PNG, JPEG, CSV, XLSX, TXT or ZIP",
        ),
        (
            "page.html",
            b"<html><script>alert(1)</script>",
            "page.html is not an accepted type: use PDF, PNG, JPEG, CSV, XLSX, TXT or ZIP",
        ),
        (
            "report",
            PDF,
            "report is not an accepted type: use PDF, PNG, JPEG, CSV, XLSX, TXT or ZIP",
        ),
        (
            "report.pdf",
            b"<html><script>",
            "report.pdf is not really PDF: its content does not match its name",
        ),
        (
            "photo.png",
            b"\xff\xd8\xff\xe0JFIF",
            "photo.png is not really PNG: its content does not match its name",
        ),
        ("scan.jpg", PDF, "scan.jpg is not really JPEG: its content does not match its name"),
        ("book.xlsx", PDF, "book.xlsx is not really XLSX: its content does not match its name"),
        ("logs.zip", MZ, "logs.zip is not really ZIP: its content does not match its name"),
        ("notes.txt", MZ, "notes.txt is not really TXT: its content does not match its name"),
        (
            "figures.csv",
            b"a,b\n\x00\x00\x00",
            "figures.csv is not really CSV: its content does not match its name",
        ),
    ],
)
def test_other_types_and_disguised_files_are_refused_by_name(name, data, message):
    with pytest.raises(EvidenceRefused) as caught:
        checked(data, name)
    assert (caught.value.field, str(caught.value.message)) == ("evidence", message)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("月报.txt", "七月可用性 99.95 %".encode()),
        ("utf16.txt", "a,b".encode("utf-16")),  # Excel's "Unicode text": NULs after a BOM
        ("figures.csv", "指标,值\n".encode("gbk")),
        ("empty.zip", b"PK\x05\x06" + b"\x00" * 18),
        ("logs.ZIP", b"PK\x03\x04rest"),
        ("scan.JPEG", b"\xff\xd8\xff\xdb"),
    ],
)
def test_the_allow_listed_types_are_accepted(name, data):
    assert checked(data, name).content_type != OCTET_STREAM


# ── Serving ─────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def world(make, session):
    hw, other = make.supplier("HW"), make.supplier("OT")
    uc = make.agreement(supplier=hw, ref="UC-HW")
    sub = make.agreement("subcontract", supplier=other, parent=uc, ref="SUB-OT")

    def figure_with(agreement, data: bytes | EvidenceFile, name: str = ""):
        upload = data if isinstance(data, EvidenceFile) else checked(data, name)
        evidence = store_evidence(session, upload, user_id=None, now=NOW)
        measurement = make.measurement(make.target(agreement, make.metric()), "2026-07", "99.9")
        measurement.evidence = evidence
        session.flush()
        return evidence

    def legacy_upload(data: bytes, name: str) -> EvidenceFile:
        """A file stored before types were enforced: kept, typed as a mere download."""
        return EvidenceFile(name, OCTET_STREAM, data, hashlib.sha256(data).hexdigest())

    return {
        "pdf": figure_with(uc, PDF, "七月 报告.pdf"),
        "html": figure_with(uc, legacy_upload(b"<html><script>alert(1)</script>", "page.html")),
        "sub": figure_with(sub, PDF, "sub.pdf"),
        "orphan": store_evidence(session, checked(PDF, "loose.pdf"), user_id=None, now=NOW),
        "supplier": make.user("supplier", supplier=hw),
        "other": make.user("supplier", supplier=other),
        "auditor": make.user("auditor"),
    }


def test_a_file_is_served_with_its_chinese_name_and_safe_headers(client, world):
    login(client, world["supplier"].email)
    response = client.get(f"/evidence/{world['pdf'].id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert f"filename*=UTF-8''{quote('七月 报告.pdf')}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_an_unsafe_type_is_only_ever_a_download(client, world):
    login(client, world["supplier"].email)
    response = client.get(f"/evidence/{world['html'].id}")
    assert response.mimetype == OCTET_STREAM
    assert response.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("who", "file", "status"),
    [
        ("supplier", "pdf", 200),
        ("supplier", "sub", 200),  # a sub-contract under its own agreement: readable
        ("other", "pdf", 404),  # another supplier's figure
        ("other", "sub", 200),
        ("auditor", "pdf", 200),
        ("auditor", "orphan", 404),  # no figure uses it
    ],
)
def test_a_file_is_served_only_to_those_who_may_see_its_figure(client, world, who, file, status):
    login(client, world[who].email)
    assert client.get(f"/evidence/{world[file].id}").status_code == status


def test_anonymous_users_log_in_first_and_unknown_files_are_not_found(client, world):
    response = client.get(f"/evidence/{world['pdf'].id}")
    assert response.status_code == 302 and "/login" in response.location
    login(client, world["auditor"].email)
    assert client.get("/evidence/999999").status_code == 404


# ── The monthly form refuses them beside the evidence field ─────────────────────────────────
@pytest.fixture
def month_form(make, monkeypatch):
    from datetime import date

    monkeypatch.setattr("portal.measurements.supplied.utcnow", lambda: NOW)
    hw = make.supplier("HW")
    uc = make.agreement(supplier=hw, ref="UC-HW", start=date(2026, 1, 1))
    return {"target": make.target(uc, make.metric("AVAIL")), "user": make.user("supplier", hw)}


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("setup.exe", MZ, "setup.exe is not an accepted type"),
        ("page.html", b"<html><script>alert(1)</script>", "page.html is not an accepted type"),
        ("report.pdf", b"<html><script>", "report.pdf is not really PDF"),
    ],
)
def test_the_form_refuses_a_file_of_another_type_and_stores_nothing(
    client, session, month_form, name, data, problem
):
    from sqlalchemy import func, select

    from scorecards.models import Evidence, Measurement

    target = month_form["target"]
    login(client, month_form["user"].email)
    response = client.post(
        "/submissions?period=2026-07",
        data={f"value-{target.id}": "99.95", f"evidence-{target.id}": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = page[page.index(f'id="evidence-{target.id}-errors"') :]
    assert f"Evidence file: {problem}" in errors[: errors.index("</ul>")]
    for model in (Measurement, Evidence):
        assert session.scalar(select(func.count()).select_from(model)) == 0
