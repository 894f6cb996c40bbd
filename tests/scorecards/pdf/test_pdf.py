"""The scorecard and renewal pack PDFs: real, extractable text in both languages, every page
renders, the CLI commands write them, and nobody downloads what they may not see."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from contracts.models import Agreement, Dispute, Supplier
from portal.extensions import db
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES
from tests.conftest import login, make_app

MIGRATIONS = Path(__file__).resolve().parents[3] / "portal" / "migrations"
SZDC_NAME = "深圳数据中心有限公司"


def portfolio() -> dict:
    return json.loads((EXAMPLES / "portfolio.json").read_text("utf-8"))


@pytest.fixture
def example(session):
    import_portfolio(session, portfolio())
    session.flush()


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pages_as_png(path: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def scorecard_cli(runner, out: Path, *extra: str):
    return runner.invoke(
        args=["scorecard", "SZDC", "--from", "2026-01", "--to", "2026-06", "--format", "pdf",
              "--out", str(out), *extra]
    )  # fmt: skip


def test_the_cli_writes_a_scorecard_pdf_with_the_chinese_name_as_text(runner, example, tmp_path):
    out = tmp_path / "szdc.pdf"
    result = scorecard_cli(runner, out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    assert SZDC_NAME in text
    assert "75.00" in text  # 3 of 4 months met (SPEC examples)
    assert "Red" in text
    assert "320.00" in text  # May missed: 4 % of 8,000
    assert "2026-01 – 2026-06" in text
    assert "Page 1 of" in text and "Generated" in text and "UTC" in text
    pngs = pages_as_png(out, tmp_path)
    assert len(pngs) == page_count(out) >= 2
    assert all(png.stat().st_size > 0 for png in pngs)


def test_the_scorecard_in_chinese(runner, example, tmp_path):
    out = tmp_path / "szdc-zh.pdf"
    result = scorecard_cli(runner, out, "--lang", "zh_Hans_CN")
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert SZDC_NAME in text
    assert "红色" in text  # "Red" from the catalogue: force_locale reached the PDF code
    assert "未达标" in text  # "Missed"
    assert all(png.stat().st_size > 0 for png in pages_as_png(out, tmp_path))


def test_an_unknown_supplier_is_refused(runner, example, tmp_path):
    result = runner.invoke(args=["scorecard", "NOPE", "--format", "pdf", "--out", "x.pdf"])
    assert result.exit_code == 1
    assert "no supplier NOPE" in result.output


def test_scorecard_download_for_staff(client, make, example):
    login(client, make.user("procurement").email)
    response = client.get("/scorecards/SZDC.pdf?from=2026-01&to=2026-06")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "scorecard-SZDC-2026-01-2026-06.pdf" in response.headers["Content-Disposition"]
    assert client.get("/scorecards/SZDC.pdf?from=2026-13").status_code == 400


def test_renewal_pack_download_shows_the_open_dispute(client, make, example, session, tmp_path):
    sub = session.scalar(select(Agreement).where(Agreement.ref == "SUB-SZDC-01"))
    session.add(Dispute(agreement=sub, title="五月可用性", raised_on=date(2026, 6, 3)))
    session.flush()
    login(client, make.user("vendor_manager").email)
    response = client.get("/agreements/SUB-SZDC-01/renewal-pack.pdf")
    assert response.status_code == 200
    path = tmp_path / "pack.pdf"
    path.write_bytes(response.data)
    text = pdf_text(path)
    for expected in ("SUB-SZDC-01", "机房托管", SZDC_NAME, "Notice deadline", "2026-11-01",
                     "1 open dispute", "五月可用性", "Score per contract year"):  # fmt: skip
        assert expected in text, expected
    assert all(png.stat().st_size > 0 for png in pages_as_png(path, tmp_path))


def test_the_agreement_page_offers_the_renewal_pack(client, make, example):
    login(client, make.user("procurement").email)
    page = client.get("/agreements/SUB-SZDC-01").get_data(as_text=True)
    assert "/agreements/SUB-SZDC-01/renewal-pack.pdf" in page


@pytest.mark.parametrize(
    "url",
    [
        "/scorecards/CLOUDCO.pdf",
        "/scorecards/NETOPS.pdf",
        "/agreements/UC-CLOUDCO-2026/renewal-pack.pdf",  # the parent of SZDC's sub-contract
        "/agreements/OLA-NETOPS/renewal-pack.pdf",
        "/agreements/SLA-ACME-CRM/renewal-pack.pdf",
        "/agreements/NOPE/renewal-pack.pdf",
    ],
)
def test_a_supplier_user_gets_404_for_another_suppliers_pdfs(client, make, session, example, url):
    szdc = session.scalar(select(Supplier).where(Supplier.code == "SZDC"))
    login(client, make.user("supplier", supplier=szdc).email)
    assert client.get(url).status_code == 404


def test_a_supplier_user_gets_its_scorecard_pdf_but_no_renewal_pack(client, make, session, example):
    szdc = session.scalar(select(Supplier).where(Supplier.code == "SZDC"))
    login(client, make.user("supplier", supplier=szdc).email)
    assert client.get("/scorecards/SZDC.pdf").status_code == 200
    # the renewal judgement is the provider's own: staff only
    assert client.get("/agreements/SUB-SZDC-01/renewal-pack.pdf").status_code == 403


def test_a_lead_suppliers_user_gets_no_renewal_pack_of_its_sub_contract(
    client, make, session, example
):
    cloudco = session.scalar(select(Supplier).where(Supplier.code == "CLOUDCO"))
    login(client, make.user("supplier", supplier=cloudco).email)
    assert client.get("/agreements/SUB-SZDC-01").status_code == 200  # the page: read-only
    assert client.get("/agreements/SUB-SZDC-01/renewal-pack.pdf").status_code == 403
    page = client.get("/agreements/SUB-SZDC-01").get_data(as_text=True)
    assert "renewal-pack.pdf" not in page


def test_anonymous_users_are_sent_to_the_login(client, example):
    assert client.get("/scorecards/SZDC.pdf").status_code in (302, 401)


def test_render_scorecards_writes_one_pdf_per_supplier(tmp_path):
    """Its workers open their own connections, so this runs on a committed database file."""
    app = make_app("sqlite:///" + str(tmp_path / "render.sqlite"))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        import_portfolio(db.session, portfolio())
        db.session.commit()
        db.session.remove()
    out = tmp_path / "pdfs"
    result = app.test_cli_runner().invoke(
        args=["render-scorecards", "--from", "2026-01", "--to", "2026-06", "--out", str(out),
              "--jobs", "2"]
    )  # fmt: skip
    with app.app_context():
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in out.iterdir())
    assert names == [f"scorecard-{code}-2026-01-2026-06.pdf" for code in
                     ("CLOUDCO", "NETOPS", "SZDC")]  # fmt: skip
    assert SZDC_NAME in pdf_text(out / "scorecard-SZDC-2026-01-2026-06.pdf")
    assert "Wrote 3 scorecards" in result.output


def test_one_failing_supplier_does_not_stop_render_scorecards(
    runner, example, tmp_path, monkeypatch
):
    from portal.scorecards import pdfs as pdf_views

    real = pdf_views.scorecard_pdf

    def scorecard_pdf(session, supplier, first, last, language):
        if supplier.code == "NETOPS":
            raise RuntimeError("the chart broke")
        return real(session, supplier, first, last, language)

    monkeypatch.setattr(pdf_views, "scorecard_pdf", scorecard_pdf)
    out = tmp_path / "pdfs"
    result = runner.invoke(
        args=["render-scorecards", "--from", "2026-01", "--to", "2026-06", "--out", str(out),
              "--jobs", "1"]
    )  # fmt: skip
    assert result.exit_code == 1
    names = sorted(path.name for path in out.iterdir())
    assert names == [f"scorecard-{code}-2026-01-2026-06.pdf" for code in ("CLOUDCO", "SZDC")]
    assert "Error: NETOPS: RuntimeError: the chart broke" in result.stderr
    assert "1 scorecard(s) failed: NETOPS" in result.stderr
    assert "Wrote 2 scorecards" in result.stdout


def test_a_worker_reports_a_failure_instead_of_raising_it(app, session, monkeypatch, tmp_path):
    from portal.cli import render as render_cli

    monkeypatch.setattr(render_cli, "_worker_app", app)
    job = ("NOPE", "2026-01", "2026-06", "en", tmp_path)
    outcome = render_cli._render_in_worker(job)
    assert outcome == render_cli.Outcome("NOPE", error="LookupError: no supplier NOPE")
    assert list(tmp_path.iterdir()) == []
