"""The audit log page: admin and auditor only, entries in the domain's words, filters by key."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from contracts.models import Customer, Dispute
from portal import audit
from tests.conftest import login


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("auditor", 200),
        ("vendor_manager", 403),
        ("procurement", 403),
        ("supplier", 403),
    ],
)
def test_only_admins_and_auditors_open_the_log(client, make, role, status):
    user = make.user(role, supplier=make.supplier() if role == "supplier" else None)
    login(client, user.email)
    assert client.get("/audit").status_code == status


def test_anonymous_visitors_go_to_the_login(client):
    assert "/login" in client.get("/audit").headers["Location"]


def _rows(page: str) -> list[str]:
    """The text of each entry's row, tags removed."""
    rows = page.split('<tr class="audit-entry">')[1:]
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", row).split())) for row in rows]


@pytest.fixture
def contract(make):
    """An underpinning contract with a target that underpins a customer SLA's, and a figure."""
    availability = make.metric("AVAIL")
    network = make.service("NET", "Network")
    supplier = make.supplier("ZTE", "中兴通讯")
    uc = make.agreement("underpinning", ref="UC-ZTE-NET", supplier=supplier, services=[network])
    sla = make.agreement("sla", ref="SLA-ACME-NET", services=[network])
    lower = make.target(uc, availability, "99.95")
    upper = make.target(sla, availability, "99.9")
    link = make.link(lower, upper)
    figure = make.measurement(lower, "2026-03", "99.97")
    return {"uc": uc, "sla": sla, "lower": lower, "upper": upper, "link": link, "figure": figure}


def test_entries_show_who_and_each_field_before_and_after(client, session, make):
    auditor = make.user("auditor")
    audit.set_actor(session, audit.Actor("li.na@example.com (web)", None))
    customer = Customer(code="JZ", name="江南制造")
    session.add(customer)
    session.flush()
    customer.name = "江南制造集团 <script>"
    session.flush()
    login(client, auditor.email)
    page = client.get("/audit?entity=customers&entity_id=JZ").get_data(as_text=True)
    assert "li.na@<wbr>example.com (web)" in page
    assert "江南制造" in page and "江南制造集团 &lt;script&gt;" in page
    rows = _rows(page)
    assert len(rows) == 2
    assert "changed Customer JZ Name: 江南制造 → 江南制造集团 <script>" in rows[0]
    assert "created Customer JZ" in rows[1]
    assert "customers #" not in page and "users" not in " ".join(rows)


def test_entries_name_rows_by_their_keys_not_their_ids(client, session, make, contract):
    auditor = make.user("auditor")
    contract["figure"].submitted_by = auditor
    session.flush()
    login(client, auditor.email)
    page = client.get("/audit?entity_id=UC-ZTE-NET").get_data(as_text=True)
    text = " ".join(_rows(page))
    assert "Agreement UC-ZTE-NET" in text
    assert "Target UC-ZTE-NET · AVAIL · NET" in text
    assert "Monthly figure UC-ZTE-NET · AVAIL · NET · 2026-03 r1" in text
    assert "Link UC-ZTE-NET · AVAIL · NET → SLA-ACME-NET · AVAIL · NET" in text
    # Foreign keys read as keys too, under human labels.
    assert f"Submitted by: — → {auditor.email}" in text.replace("@ ", "@")
    assert "Supplier ZTE" in text or "Supplier: ZTE" in text
    assert re.search(r"Agreement\s*</th>\s*<td[^>]*>UC-ZTE-NET</td>", page)
    for internal in ("agreement_id", "AGREEMENT_ID", "submitted_by_id", "targets #"):
        assert internal not in page
    assert not re.search(r"#\d", text)


def test_values_read_as_people_write_them(client, session, make):
    login(client, make.user("auditor").email)
    agreement = make.agreement("underpinning", ref="UC-YES", auto_renew=False)
    agreement.auto_renew = True
    session.flush()
    page = client.get("/audit?entity=agreements&entity_id=UC-YES").get_data(as_text=True)
    assert "Renews automatically" in page
    assert re.search(r"audit-before[^>]*>no<.*audit-after[^>]*>yes<", page, re.S)
    assert "Underpinning contract" in page  # the kind, not "underpinning"
    assert not re.search(r"\b(true|false)\b", " ".join(_rows(page)), re.I)
    # Timestamps whole, to the second: no microseconds, no "T".
    times = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", page)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", t) for t in times)


def test_a_deleted_row_is_named_from_its_own_entry(client, session, make, contract):
    login(client, make.user("auditor").email)
    session.delete(contract["link"])
    session.flush()
    customer = make.customer("GONE", "Gone Ltd")
    session.delete(customer)
    session.flush()
    page = client.get("/audit?entity=links").get_data(as_text=True)
    assert "deleted Link UC-ZTE-NET · AVAIL · NET → SLA-ACME-NET · AVAIL · NET" in " ".join(
        _rows(page)
    )
    gone = client.get("/audit?entity_id=gone").get_data(as_text=True)
    assert [row.split(" Customer ")[1][:4] for row in _rows(gone)] == ["GONE", "GONE"]
    assert "deleted Customer GONE" in _rows(gone)[0]


def test_the_key_filter_takes_the_key_and_finds_the_parts(client, session, make, contract):
    login(client, make.user("auditor").email)
    other = make.agreement("underpinning", ref="UC-OTHER")
    make.target(other, contract["lower"].metric)

    text = " ".join(_rows(client.get("/audit?entity_id=uc-zte-net").get_data(as_text=True)))
    assert "Agreement UC-ZTE-NET" in text and "Target UC-ZTE-NET · AVAIL · NET" in text
    assert "Link UC-ZTE-NET" in text and "2026-03 r1" in text
    assert "UC-OTHER" not in text and "Customer" not in text

    only = _rows(client.get("/audit?entity=agreements&entity_id=UC-ZTE-NET").get_data(as_text=True))
    assert len(only) == 1 and "created Agreement UC-ZTE-NET" in only[0]

    one_target = _rows(
        client.get("/audit?entity=targets&entity_id=UC-ZTE-NET·AVAIL · net").get_data(as_text=True)
    )
    assert len(one_target) == 1 and "Target UC-ZTE-NET · AVAIL · NET" in one_target[0]

    assert "No entries match" in client.get("/audit?entity_id=NOPE").get_data(as_text=True)


def test_a_history_link_by_number_shows_the_key(client, session, make, contract):
    """Agreement pages link to ?entity=agreements&entity_id=<id>: the key is what shows."""
    login(client, make.user("auditor").email)
    uc = contract["uc"]
    page = client.get(f"/audit?entity=agreements&entity_id={uc.id}").get_data(as_text=True)
    assert 'name="entity_id" class="input" value="UC-ZTE-NET"' in page
    assert len(_rows(page)) == 1


def _statements(client, url: str) -> int:
    count = 0

    def counted(*args: object) -> None:
        nonlocal count
        count += 1

    event.listen(Engine, "before_cursor_execute", counted)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", counted)
    return count


def test_a_page_costs_the_same_queries_for_few_or_many_entries(client, session, make):
    login(client, make.user("auditor").email)
    supplier = make.supplier("NW")
    services = [make.service(f"S{n}") for n in range(12)]
    sla = make.agreement("sla", ref="SLA-Q", services=services)
    uc = make.agreement("underpinning", ref="UC-Q", supplier=supplier, services=services)

    def add(count: int, offset: int) -> None:
        for n in range(offset, offset + count):
            metric = make.metric(f"Q{n}")
            lower = make.target(uc, metric, service=services[n])
            make.link(lower, make.target(sla, metric, service=services[n]))
            make.measurement(lower, "2026-01", "99.99")

    add(2, 0)
    few = _statements(client, "/audit?entity_id=UC-Q")
    add(10, 2)
    many = _statements(client, "/audit?entity_id=UC-Q")
    assert few == many, (few, many)


def test_filters_by_user_and_dates(client, session, make):
    admin = make.user("admin")
    login(client, admin.email)
    client.post(
        f"/admin/users/{make.user('procurement').id}",
        data={"name": "Priya", "role": "procurement", "supplier": ""},
    )
    by_admin = client.get(f"/audit?user={admin.id}").get_data(as_text=True)
    assert "Priya" in by_admin
    assert "changed User" in " ".join(_rows(by_admin))
    assert "User" in client.get("/audit?from=2000-01-01&to=2999-12-31").get_data(as_text=True)
    assert "No entries match" in client.get("/audit?to=2000-01-01").get_data(as_text=True)
    bad = client.get("/audit?from=yesterday")
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.get_data(as_text=True)


def test_the_log_speaks_the_users_language(client, session, make):
    auditor = make.user("auditor")
    auditor.language = "zh_Hans_CN"
    make.agreement("underpinning", ref="UC-ZH", auto_renew=True)
    session.flush()
    login(client, auditor.email)
    page = client.get("/audit?entity=agreements&entity_id=UC-ZH").get_data(as_text=True)
    assert "协议" in page and "自动续约" in page  # "Agreement", "Renews automatically"


@pytest.mark.parametrize(
    ("page", "entity"),
    [
        ("/suppliers/{supplier}", "suppliers"),
        ("/customers/{customer}", "customers"),
        ("/services/{service}", "services"),
        ("/metrics/{metric}", "metrics"),
        ("/disputes/{dispute}", "disputes"),
    ],
)
def test_entity_pages_link_to_their_history(client, session, make, page, entity):
    supplier = make.supplier("HIST-S")
    make.customer("HIST-C"), make.service("HIST-SV"), make.metric("HIST-M")
    agreement = make.agreement("underpinning", ref="UC-HIST", supplier=supplier)
    dispute = Dispute(agreement=agreement, title="Late figures", raised_on=date(2026, 4, 2))
    session.add(dispute)
    session.flush()
    url = page.format(
        supplier="HIST-S", customer="HIST-C", service="HIST-SV", metric="HIST-M", dispute=dispute.id
    )
    login(client, make.user("vendor_manager").email)
    assert "History" not in client.get(url).get_data(as_text=True)
    client.post("/logout")
    login(client, make.user("auditor").email)
    html = client.get(url).get_data(as_text=True)
    link = re.search(r'href="([^"]*/audit\?[^"]*)"[^>]*>History<', html)
    assert link, "no History link"
    assert f"entity={entity}" in link.group(1)
    history = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    rows = _rows(history)
    assert len(rows) == 1 and "created" in rows[0]
    key = {"disputes": "UC-HIST · #", "suppliers": "HIST-S", "customers": "HIST-C"}.get(
        entity, "HIST-"
    )
    assert key in rows[0]


def _sample_csv(client, query: str) -> list[dict[str, str]]:
    body = client.get(f"/audit/sample?{query}&format=csv").get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_the_audit_sample_page_and_its_csv(client, session, make):
    from tests.scorecards.test_sampling import setup_figures

    setup_figures(make)
    login(client, make.user("auditor").email)
    page = client.get("/audit/sample?seed=42&size=5")
    assert page.status_code == 200
    assert "5 of 12 accepted figures drawn with seed 42" in page.get_data(as_text=True)
    first = client.get("/audit/sample?seed=42&size=5&format=csv").get_data(as_text=True)
    again = client.get("/audit/sample?seed=42&size=5&format=csv").get_data(as_text=True)
    assert first == again
    lines = first.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("sample_no,measurement_id,supplier,agreement")
    assert len(lines) == 6


def test_the_sample_history_is_in_the_users_words(client, session, make):
    from tests.scorecards.test_sampling import setup_figures

    setup_figures(make)
    auditor = make.user("auditor")
    login(client, auditor.email)
    march = "seed=1&size=5&from=2026-03&to=2026-03"
    page = client.get(f"/audit/sample?{march}").get_data(as_text=True)
    assert "Accepted" in page and "Rejected" in page and "accepted 99.5" not in page
    [row] = _sample_csv(client, march)
    assert (row["status"], row["late"]) == ("Accepted", "no")
    assert row["history"] == "r1 Accepted 99.5; r2 Rejected 99.9"

    auditor.language = "zh_Hans_CN"
    session.flush()
    [row] = _sample_csv(client, march)
    assert list(row)[:4] == ["sample_no", "measurement_id", "supplier", "agreement"]
    assert (row["status"], row["late"]) == ("已接受", "否")
    assert row["history"] == "r1 已接受 99.5; r2 已驳回 99.9"
    assert "已接受" in client.get(f"/audit/sample?{march}").get_data(as_text=True)


def test_the_audit_sample_refuses_bad_arguments(client, make):
    login(client, make.user("admin").email)
    response = client.get("/audit/sample?seed=abc&size=0&from=2026-13")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please correct: Seed, Size, From month." in page
    assert 'value="2026-13" aria-invalid="true"' in page


def test_the_audit_sample_is_for_auditors_and_admins(client, make):
    login(client, make.user("procurement").email)
    assert client.get("/audit/sample?seed=1").status_code == 403


def test_the_page_title_names_the_portal_once(client, make):
    login(client, make.user("auditor").email)
    for url in ("/audit", "/audit/sample"):
        title = re.search(r"<title>(.*?)</title>", client.get(url).get_data(as_text=True)).group(1)
        assert title.count("Underpin") == 1


def test_every_audited_table_and_column_has_a_label_and_a_key():
    from portal.audit.keys import KEY_FORMATS, METADATA
    from portal.labels import AUDIT_ENTITY as ENTITY_LABELS
    from portal.labels import AUDIT_FIELD as FIELD_LABELS
    from portal.labels import AUDIT_TABLE_FIELD as TABLE_FIELD_LABELS

    not_entities = {"audit_log", "audit_head", "agreement_services"}  # the last: a list of codes
    for table in METADATA.sorted_tables:
        if table.name in not_entities:
            continue
        assert table.name in ENTITY_LABELS and table.name in KEY_FORMATS, table.name
        for column in table.columns:
            labelled = (
                column.name in FIELD_LABELS or (table.name, column.name) in TABLE_FIELD_LABELS
            )
            assert column.name == "id" or labelled, f"{table.name}.{column.name}"
