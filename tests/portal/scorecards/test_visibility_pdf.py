"""The PDFs follow the same visibility as the pages (SPEC 1): the renewal pack is for the
provider's staff (permission ``view_renewals``); a supplier user's scorecard PDF names no
customer SLA and carries no renewal recommendation. Example portfolio: CLOUDCO's
UC-CLOUDCO-2026 underpins SLA-ACME-CRM, breached in March 2026."""

from __future__ import annotations

import json
import subprocess

import pytest
from sqlalchemy import select

from contracts.models import Supplier
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES
from tests.conftest import login

STAFF = ("admin", "vendor_manager", "procurement", "auditor")
WINDOW = {"from": "2026-01", "to": "2026-06"}


@pytest.fixture
def example(session):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()


def _supplier_user(session, make, code):
    return make.user(
        "supplier", supplier=session.scalar(select(Supplier).where(Supplier.code == code))
    )


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("role", STAFF)
def test_staff_download_the_renewal_pack(client, make, example, role):
    login(client, make.user(role).email)
    assert client.get("/agreements/UC-CLOUDCO-2026/renewal-pack.pdf").status_code == 200
    page = client.get("/agreements/UC-CLOUDCO-2026").get_data(as_text=True)
    assert "/agreements/UC-CLOUDCO-2026/renewal-pack.pdf" in page


@pytest.mark.parametrize(
    ("code", "ref", "status"),
    [
        ("CLOUDCO", "UC-CLOUDCO-2026", 403),  # its own contract: it may open it, not the pack
        ("CLOUDCO", "SUB-SZDC-01", 403),  # the sub-contract under it: read-only, no pack
        ("SZDC", "SUB-SZDC-01", 403),
        ("SZDC", "UC-CLOUDCO-2026", 404),  # cannot open the agreement at all
    ],
)
def test_a_supplier_user_gets_no_renewal_pack(client, session, make, example, code, ref, status):
    login(client, _supplier_user(session, make, code).email)
    assert client.get(f"/agreements/{ref}/renewal-pack.pdf").status_code == status
    if status == 403:
        assert "renewal-pack.pdf" not in client.get(f"/agreements/{ref}").get_data(as_text=True)


def test_a_supplier_users_scorecard_pdf_names_no_customer_sla(
    client, session, make, example, tmp_path
):
    login(client, _supplier_user(session, make, "CLOUDCO").email)
    response = client.get("/scorecards/CLOUDCO.pdf", query_string=WINDOW)
    assert response.status_code == 200
    text = _text(response.data, tmp_path)
    assert "UC-CLOUDCO-2026" in text
    assert "SLA-ACME-CRM" not in text
    assert "Renegotiate" not in text
    # the provider's judgements are left out, not shown as nothing
    assert "Customer commitments at risk" not in text
    assert "Renewal recommendation" not in text


def test_staffs_scorecard_pdf_names_the_customer_sla(client, make, example, tmp_path):
    login(client, make.user("procurement").email)
    text = _text(client.get("/scorecards/CLOUDCO.pdf", query_string=WINDOW).data, tmp_path)
    assert "SLA-ACME-CRM" in text
    assert "Customer commitments at risk" in text and "Renewal recommendation" in text
