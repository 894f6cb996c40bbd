"""The monthly form, spreadsheet upload and template, and ``import-measurements``: access,
all or nothing, supplier isolation."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from scorecards.models import Evidence, Measurement
from tests.conftest import login

AUGUST = datetime(2026, 8, 5, 9, 0)
LATE = datetime(2026, 8, 11, 9, 0)
HEADER = "agreement,service,metric,period,value,comment\n"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def august(monkeypatch):
    monkeypatch.setattr("portal.measurements.supplied.utcnow", lambda: AUGUST)
    monkeypatch.setattr("portal.cli.measurements.utcnow", lambda: AUGUST)


@pytest.fixture
def world(make):
    hw = make.supplier("HW", name="华为技术有限公司")
    other = make.supplier("OT", name="Other Ltd")
    crm = make.service("CRM")
    uc = make.agreement(supplier=hw, ref="UC-HW", services=[crm], start=date(2026, 3, 15))
    foreign = make.agreement(supplier=other, ref="UC-OT", services=[crm])
    avail = make.metric("AVAIL", "higher", "product", "%")
    p1 = make.metric("P1", "lower", "sum", "h")
    users = {
        role: make.user(role) for role in ("admin", "vendor_manager", "procurement", "auditor")
    }
    users["supplier"] = make.user("supplier", supplier=hw)
    users["other_supplier"] = make.user("supplier", supplier=other)
    return {
        "hw": hw,
        "avail": make.target(uc, avail, "99.9"),
        "p1": make.target(uc, p1, "4"),
        "foreign": make.target(foreign, avail, "99"),
        **users,
    }


def figures(session, target=None):
    statement = select(Measurement).order_by(Measurement.id)
    if target is not None:
        statement = statement.where(Measurement.target_id == target.id)
    return session.scalars(statement).all()


def count(session, model=Measurement):
    return session.scalar(select(func.count()).select_from(model))


def csv_file(text: str, name: str = "figures.csv", encoding: str = "utf-8"):
    return (io.BytesIO(text.encode(encoding)), name)


# ── Access ──────────────────────────────────────────────────────────────────────────────────
ROUTES = [
    ("get", "/submissions?period=2026-07"),
    ("post", "/submissions/upload?period=2026-07"),
    ("get", "/submissions/template?period=2026-07&format=xlsx"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_users_are_sent_to_log_in(client, world, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/login" in response.location


@pytest.mark.parametrize("role", ["vendor_manager", "procurement", "auditor"])
@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_staff_who_do_not_submit_figures_are_refused(client, world, role, method, url):
    login(client, world[role].email)
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_a_supplier_reaches_only_its_own_supplier(client, world, method, url):
    login(client, world["supplier"].email)
    assert getattr(client, method)(url + "&supplier=OT").status_code == 404


def test_a_supplier_sees_its_due_targets(client, world):
    login(client, world["supplier"].email)
    page = client.get("/submissions?period=2026-07").get_data(as_text=True)
    assert "UC-HW" in page and "AVAIL" in page and "P1" in page
    assert "UC-OT" not in page
    assert "higher is better" in page and "lower is better" in page
    assert "2026-08-10" in page  # the due date


def test_the_default_month_is_last_month_and_a_bad_one_is_explained(client, world):
    login(client, world["supplier"].email)
    assert 'value="2026-07"' in client.get("/submissions").get_data(as_text=True)
    page = client.get("/submissions?period=July").get_data(as_text=True)
    assert "Write the month as YYYY-MM" in page and 'value="2026-07"' in page


def test_an_admin_chooses_the_supplier(client, world):
    login(client, world["admin"].email)
    assert "Choose a supplier" in client.get("/submissions").get_data(as_text=True)
    assert "UC-HW" in client.get("/submissions?supplier=HW&period=2026-07").get_data(as_text=True)
    assert client.get("/submissions?supplier=NOPE").status_code == 404


# ── The form ────────────────────────────────────────────────────────────────────────────────
def post_form(client, data, period="2026-07", query=""):
    return client.post(
        f"/submissions?period={period}{query}", data=data, content_type="multipart/form-data"
    )


def test_the_form_saves_filled_rows_as_new_revisions(client, session, world):
    login(client, world["supplier"].email)
    avail, p1 = world["avail"], world["p1"]
    response = post_form(client, {f"value-{avail.id}": "99.95", f"comment-{avail.id}": "稳定"})
    assert response.status_code == 302
    post_form(client, {f"value-{avail.id}": "99.97", f"value-{p1.id}": ""})
    [first, second] = figures(session, avail)
    assert (first.revision, first.value, first.comment) == (1, D("99.95"), "稳定")
    assert (second.revision, second.value, second.status) == (2, D("99.97"), "submitted")
    assert second.submitted_by_id == world["supplier"].id and not second.late
    assert figures(session, p1) == []
    page = client.get("/submissions?period=2026-07").get_data(as_text=True)
    assert "revision 2" in page


def test_late_figures_are_flagged_and_the_message_says_so(client, session, world, monkeypatch):
    monkeypatch.setattr("portal.measurements.supplied.utcnow", lambda: LATE)
    login(client, world["supplier"].email)
    response = post_form(client, {f"value-{world['avail'].id}": "99.95"})
    assert response.status_code == 302
    assert figures(session)[0].late
    page = client.get(response.location).get_data(as_text=True)
    assert "flagged late" in page and "2026-08-10" in page


def test_one_bad_row_stores_nothing_and_the_error_sits_beside_it(client, session, world):
    login(client, world["supplier"].email)
    avail, p1 = world["avail"], world["p1"]
    response = post_form(client, {f"value-{avail.id}": "99.95", f"value-{p1.id}": "-2"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="value-{p1.id}-errors"' in page and "below the lowest sane value" in page
    assert 'value="99.95"' in page  # what was typed stays
    assert count(session) == 0


def test_a_comment_without_a_value_is_an_error(client, session, world):
    login(client, world["supplier"].email)
    response = post_form(client, {f"comment-{world['avail'].id}": "forgot the value"})
    assert response.status_code == 400
    assert "Enter the value this comment" in response.get_data(as_text=True)


def test_a_months_before_the_term_has_nothing_due_and_an_empty_form_saves_nothing(
    client, session, world
):
    login(client, world["supplier"].email)
    assert "No figures are due" in client.get("/submissions?period=2026-02").get_data(as_text=True)
    assert post_form(client, {}, period="2026-07").status_code == 400
    assert count(session) == 0


def test_another_suppliers_target_cannot_be_slipped_into_the_form(client, session, world):
    login(client, world["supplier"].email)
    foreign = world["foreign"]
    response = post_form(client, {f"value-{foreign.id}": "99"})
    assert response.status_code == 400
    assert figures(session, foreign) == []


def test_an_admin_submits_for_the_chosen_supplier(client, session, world):
    login(client, world["admin"].email)
    response = post_form(client, {f"value-{world['p1'].id}": "3.5"}, query="&supplier=HW")
    assert response.status_code == 302 and "supplier=HW" in response.location
    assert figures(session, world["p1"])[0].value == D("3.5")


def test_an_evidence_file_is_stored_with_the_figure(client, session, world):
    login(client, world["supplier"].email)
    avail = world["avail"]
    data = {f"value-{avail.id}": "99.95", f"evidence-{avail.id}": (io.BytesIO(PDF), "七月报告.pdf")}
    assert post_form(client, data).status_code == 302
    [figure] = figures(session)
    assert (figure.evidence.filename, figure.evidence.content_type) == (
        "七月报告.pdf",
        "application/pdf",
    )
    page = client.get("/submissions?period=2026-07").get_data(as_text=True)
    assert f"/evidence/{figure.evidence_id}" in page


def test_an_evidence_file_over_the_limit_stores_nothing(client, session, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    login(client, world["supplier"].email)
    avail, p1 = world["avail"], world["p1"]
    data = {
        f"value-{avail.id}": "99.95",
        f"value-{p1.id}": "3",
        f"evidence-{p1.id}": (io.BytesIO(b"x" * 1025), "big.txt"),
    }
    response = post_form(client, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="evidence-{p1.id}-errors"' in page and "1 KB" in page
    assert count(session) == 0 and count(session, Evidence) == 0


def test_evidence_of_a_refused_figure_is_not_kept(client, session, world):
    login(client, world["supplier"].email)
    avail = world["avail"]
    data = {f"value-{avail.id}": "101", f"evidence-{avail.id}": (io.BytesIO(PDF), "a.pdf")}
    assert post_form(client, data).status_code == 400
    assert count(session, Evidence) == 0


# ── Upload and template ─────────────────────────────────────────────────────────────────────
def upload(client, file, period="2026-07", query=""):
    return client.post(
        f"/submissions/upload?period={period}{query}",
        data={"file": file},
        content_type="multipart/form-data",
    )


def test_a_gbk_csv_upload_is_imported(client, session, world):
    login(client, world["supplier"].email)
    text = HEADER + "UC-HW,,AVAIL,2026-07,99.95,机房正常\nUC-HW,CRM,P1,2026-06,3.25,\n"
    response = upload(client, csv_file(text, encoding="gbk"))
    assert response.status_code == 302
    assert [(f.period, f.value, f.comment) for f in figures(session)] == [
        ("2026-07", D("99.95"), "机房正常"),
        ("2026-06", D("3.25"), ""),
    ]
    assert "Imported 2 figures" in client.get(response.location).get_data(as_text=True)


def test_an_upload_naming_another_suppliers_agreement_stores_nothing(client, session, world):
    login(client, world["supplier"].email)
    text = HEADER + "UC-HW,,AVAIL,2026-07,99.95,\nUC-OT,,AVAIL,2026-07,99,\n"
    response = upload(client, csv_file(text))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "row 3, column agreement: unknown agreement UC-OT" in page
    assert count(session) == 0


def test_an_upload_with_a_200000_character_comment_names_row_and_column(client, session, world):
    login(client, world["supplier"].email)
    text = HEADER + "UC-HW,,AVAIL,2026-07,99.95," + "x" * 200_000 + "\n"
    response = upload(client, csv_file(text))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "row 2, column comment: must be at most 4000 characters" in page
    assert "field limit" not in page
    assert count(session) == 0


def test_upload_problems_name_rows_in_the_pages_language(client, session, world, monkeypatch):
    """In Chinese, "与 row 2 的数据重复" kept "row 2" in English. (The stub stands in for the
    catalogue's entry for "row %(row)d".)"""
    wordings = {"row %(row)d": "第 %(row)d 行"}
    monkeypatch.setattr("scorecards.spreadsheets.gettext", lambda text: wordings.get(text, text))
    login(client, world["supplier"].email)
    client.post("/language", data={"language": "zh_Hans_CN"})
    text = HEADER + "UC-HW,,AVAIL,2026-07,99.95,\nUC-HW,CRM,AVAIL,2026-07,99.9,\n"
    page = upload(client, csv_file(text)).get_data(as_text=True)
    assert "第 3 行，period 列：与 第 2 行 的数据重复" in page
    assert "row 2" not in page and "row 3" not in page
    assert count(session) == 0


def test_an_upload_that_is_not_a_spreadsheet_is_refused(client, session, world):
    login(client, world["supplier"].email)
    response = upload(client, (io.BytesIO(PDF), "figures.csv"))
    assert response.status_code == 400
    assert "PDF" in response.get_data(as_text=True)
    assert upload(client, (io.BytesIO(b""), "")).status_code == 400


def test_the_downloaded_template_filled_in_uploads_cleanly(client, session, world):
    login(client, world["supplier"].email)
    response = client.get("/submissions/template?period=2026-07&format=xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "figures-HW-2026-07.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["UC-HW", "CRM", "AVAIL", "2026-07", None, None],
        ["UC-HW", "CRM", "P1", "2026-07", None, None],
    ]
    sheet["E2"], sheet["F2"], sheet["E3"] = 99.95, "光纤中断 5 分钟", 2.75
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    assert upload(client, (filled, "filled.xlsx")).status_code == 302
    assert [(f.value, f.comment) for f in figures(session)] == [
        (D("99.95"), "光纤中断 5 分钟"),
        (D("2.75"), ""),
    ]


def test_the_csv_template_is_utf8_with_a_bom(client, world):
    login(client, world["supplier"].email)
    response = client.get("/submissions/template?period=2026-07&format=csv")
    assert response.mimetype == "text/csv"
    assert response.data.decode("utf-8-sig").splitlines()[1] == "UC-HW,CRM,AVAIL,2026-07,,"
    assert client.get("/submissions/template?period=2026-07&format=pdf").status_code == 404


# ── import-measurements ─────────────────────────────────────────────────────────────────────
def test_the_cli_imports_as_a_supplier_user(runner, session, world, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "UC-HW,,AVAIL,2026-07,99.95,按时\n", encoding="utf-8")
    result = runner.invoke(args=["import-measurements", str(path), "--as", world["supplier"].email])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Imported 1 figures (0 late)."
    [figure] = figures(session)
    assert (figure.submitted_by_id, figure.comment) == (world["supplier"].id, "按时")


def test_the_cli_as_a_supplier_refuses_another_suppliers_agreement(
    runner, session, world, tmp_path
):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "UC-HW,,AVAIL,2026-07,99.95,\nUC-OT,,AVAIL,2026-07,99,\n")
    result = runner.invoke(args=["import-measurements", str(path), "--as", world["supplier"].email])
    assert result.exit_code != 0
    assert "row 3, column agreement: unknown agreement UC-OT" in result.stderr
    assert "nothing was imported" in result.stderr
    assert count(session) == 0


def test_the_cli_without_as_reaches_every_supplier_agreement(runner, session, world, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "UC-HW,,AVAIL,2026-07,99.95,\nUC-OT,,AVAIL,2026-07,99,\n")
    result = runner.invoke(args=["import-measurements", str(path)])
    assert result.exit_code == 0, result.output
    assert count(session) == 2 and figures(session)[0].submitted_by_id is None


def test_the_cli_refuses_a_user_who_may_not_submit(runner, session, world, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "UC-HW,,AVAIL,2026-07,99.95,\n")
    for email in (world["vendor_manager"].email, "nobody@example.com"):
        result = runner.invoke(args=["import-measurements", str(path), "--as", email])
        assert result.exit_code != 0 and "--as" in result.stderr
    assert count(session) == 0


def test_every_wrong_row_is_marked_at_once(client, session, world):
    login(client, world["supplier"].email)
    avail, p1 = world["avail"], world["p1"]
    response = post_form(client, {f"value-{avail.id}": "101", f"comment-{p1.id}": "no value"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="value-{avail.id}-errors"' in page and f'id="value-{p1.id}-errors"' in page
    assert count(session) == 0
