"""The review queue page: who may open it, filters, accept and reject one or many."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import login, make_app
from tests.scorecards.test_review import build_world


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def waiting(make, world):
    return {
        "crm": make.measurement(world["avail_crm"], "2026-06", "99.95", status="submitted"),
        "net": make.measurement(world["avail_net"], "2026-06", "98.5", status="submitted"),
        "ot": make.measurement(world["ot_avail"], "2026-05", "99.3", status="submitted"),
    }


@pytest.fixture
def manager(client, make):
    user = make.user("vendor_manager")
    login(client, user.email)
    return user


ROUTES = [
    ("get", "/review"),
    ("post", "/review/{id}/accept"),
    ("post", "/review/{id}/reject"),
    ("post", "/review/bulk"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 302),
        ("supplier", 403),
        ("procurement", 403),
        ("auditor", 403),
        ("vendor_manager", None),
        ("admin", None),
    ],
)
def test_access_matrix(client, session, make, world, waiting, method, path, role, expected):
    if role:
        user = make.user(role, supplier=world["hw"] if role == "supplier" else None)
        login(client, user.email)
    url = path.format(id=waiting["crm"].id)
    response = getattr(client, method)(url, data={"reason": "x", "ids": [waiting["crm"].id]})
    if expected is None:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"]
    else:
        assert response.status_code == expected
    if role is None:
        assert "/login" in response.headers["Location"]
    session.expire_all()
    reviewed = {"/review/{id}/reject": "rejected", "/review": "submitted"}.get(path, "accepted")
    assert waiting["crm"].status == ("submitted" if expected else reviewed)


def test_the_queue_shows_value_target_late_flag_and_earlier_revisions(client, make, world, manager):
    earlier = make.measurement(world["avail_crm"], "2026-06", "97.5", status="rejected")
    earlier.reject_reason = "Outage on the 14th missing"
    current = make.measurement(
        world["avail_crm"], "2026-06", "99.95", status="submitted", revision=2
    )
    current.late = True
    page = client.get("/review").get_data(as_text=True)
    assert f'id="figure-{current.id}"' in page
    assert "华为技术有限公司" in page and "≥ 99.9 %" in page
    assert "Meets target" in page and "Late" in page
    assert "97.5" in page and "Outage on the 14th missing" in page
    assert f'form="bulk" name="ids" value="{current.id}"' in page
    assert f'id="figure-{earlier.id}"' not in page  # only submitted figures wait


def test_the_queue_lists_each_figure_once_with_its_history(client, make, world, manager):
    revisions = [
        make.measurement(world["avail_net"], "2026-06", f"99.{n}", status="submitted", revision=n)
        for n in range(1, 8)
    ]
    page = client.get("/review").get_data(as_text=True)
    assert f'id="figure-{revisions[-1].id}"' in page and "revision 7" in page
    for older in revisions[:-1]:
        assert f'id="figure-{older.id}"' not in page
        assert f'value="{older.id}"' not in page  # no checkbox for the bulk form either
    assert page.count(">Superseded</span>") == 6
    assert "1 in all" in page


@pytest.mark.parametrize("action", ["accept", "reject", "bulk"])
def test_a_superseded_revision_is_refused(client, session, make, world, manager, action):
    older = make.measurement(world["avail_net"], "2026-06", "99.1", status="submitted")
    make.measurement(world["avail_net"], "2026-06", "99.2", status="submitted", revision=2)
    if action == "bulk":
        client.post("/review/bulk", data={"ids": [older.id], "accept": "1"})
    else:
        client.post(f"/review/{older.id}/{action}", data={"reason": "Too high"})
    session.expire_all()
    assert older.status == "submitted" and older.reviewed_at is None
    page = client.get("/review").get_data(as_text=True)
    assert "Nothing was changed" in page and "revision 2 has replaced it" in page


def test_refs_codes_and_names_do_not_break_inside(app, client, world, waiting, manager):
    """At 1366 px the refs broke as "UC-HUAWEI- / NET" and Chinese names one character per
    line: refs, codes and values are kept on one line, names keep a readable width."""
    page = client.get("/review").get_data(as_text=True)
    assert '<span class="review-ref"><a href="/agreements/UC-HW">UC-HW</a></span>' in page
    assert '<span class="review-supplier muted">华为技术有限公司</span>' in page
    css = (Path(app.static_folder) / "css" / "review.css").read_text()

    def declared(selector):
        """Every declaration for ``selector`` in review.css, from each rule that names it."""
        return " ".join(
            body
            for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
            if selector in (name.strip() for name in selectors.split(","))
        )

    for selector in (
        ".review-ref",
        ".review-target > span",
        ".review-month > span",
        ".review-value > span",
        ".review-late",
        ".review-when",
        ".review-revision",
    ):
        assert "white-space: nowrap" in declared(selector), selector
    assert "min-width: 11em" in declared(".review-agreement")
    assert "anywhere" not in declared(".review-agreement")


def test_filters_narrow_the_queue(client, world, waiting, manager):
    def shown(query):
        page = client.get(f"/review?{query}").get_data(as_text=True)
        return {name for name, figure in waiting.items() if f'id="figure-{figure.id}"' in page}

    assert shown("") == {"crm", "net", "ot"}
    assert shown("supplier=OT") == {"ot"}
    assert shown("agreement=UC-HW") == {"crm", "net"}
    assert shown("period=2026-05") == {"ot"}
    assert shown("period=July") == {"crm", "net", "ot"}  # ignored, with a note
    assert "the filter was ignored" in client.get("/review?period=July").get_data(as_text=True)
    assert shown("sort=-period&page=1") == {"crm", "net", "ot"}


def test_accept_one(client, session, waiting, manager):
    response = client.post(
        f"/review/{waiting['crm'].id}/accept", data={"next": "/review?supplier=HW"}
    )
    assert response.headers["Location"].endswith("/review?supplier=HW")
    session.expire_all()
    assert waiting["crm"].status == "accepted" and waiting["crm"].reviewed_by_id == manager.id


def test_the_way_back_stays_inside_the_queue(client, waiting, manager):
    response = client.post(
        f"/review/{waiting['crm'].id}/accept", data={"next": "https://evil.example/review"}
    )
    assert response.headers["Location"].endswith("/review")


def test_reject_one_needs_a_reason(client, session, waiting, manager):
    figure = waiting["net"]
    response = client.post(f"/review/{figure.id}/reject", data={"reason": "  "})
    assert response.status_code == 302
    session.expire_all()
    assert figure.status == "submitted"
    page = client.get("/review").get_data(as_text=True)
    assert "Nothing was changed" in page and "reason" in page
    client.post(f"/review/{figure.id}/reject", data={"reason": "Evidence shows 97.2 %"})
    session.expire_all()
    assert (figure.status, figure.reject_reason) == ("rejected", "Evidence shows 97.2 %")


def test_a_reviewed_figure_cannot_be_reviewed_again(client, session, waiting, manager):
    figure = waiting["crm"]
    client.post(f"/review/{figure.id}/accept")
    client.post(f"/review/{figure.id}/reject", data={"reason": "changed my mind"})
    session.expire_all()
    assert figure.status == "accepted"
    assert "already accepted" in client.get("/review").get_data(as_text=True)


def test_bulk_reject_is_all_or_nothing(client, session, make, world, waiting, manager):
    done = make.measurement(world["p1"], "2026-06", "3", status="accepted")
    ids = [waiting["crm"].id, done.id, waiting["net"].id]
    client.post("/review/bulk", data={"ids": ids, "reason": "Wrong month", "reject": "1"})
    session.expire_all()
    assert [waiting["crm"].status, waiting["net"].status] == ["submitted", "submitted"]
    ids = [waiting["crm"].id, waiting["net"].id]
    client.post("/review/bulk", data={"ids": ids, "reason": "", "reject": "1"})
    session.expire_all()
    assert waiting["crm"].status == "submitted"
    client.post("/review/bulk", data={"ids": ids, "reason": "Wrong month", "reject": "1"})
    session.expire_all()
    assert [waiting["crm"].status, waiting["net"].status] == ["rejected", "rejected"]
    assert waiting["net"].reject_reason == "Wrong month"


def test_bulk_accept(client, session, waiting, manager):
    ids = [waiting["crm"].id, waiting["ot"].id]
    client.post("/review/bulk", data={"ids": ids, "accept": "1"})
    session.expire_all()
    assert [waiting["crm"].status, waiting["ot"].status, waiting["net"].status] == [
        "accepted",
        "accepted",
        "submitted",
    ]
    assert "2 figures accepted" in client.get("/review").get_data(as_text=True)
    client.post("/review/bulk", data={"accept": "1"})
    assert "Choose at least one figure" in client.get("/review").get_data(as_text=True)


@pytest.fixture
def csrf_app(database_url) -> Flask:
    return make_app(database_url, WTF_CSRF_ENABLED=True)


def test_every_form_carries_a_csrf_token_and_needs_it(csrf_app, session, make, world, waiting):
    user = make.user("vendor_manager")
    client = csrf_app.test_client()
    with client:
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/login", data={"email": user.email, "password": make.PASSWORD, "csrf_token": token}
        )
        page = client.get("/review").get_data(as_text=True)
        forms = page.count('method="post"')
        assert forms >= 7 and page.count('name="csrf_token"') >= forms
        client.post(f"/review/{waiting['crm'].id}/accept")
        client.post("/review/bulk", data={"ids": [waiting["net"].id], "accept": "1"})
    session.expire_all()
    assert [waiting["crm"].status, waiting["net"].status] == ["submitted", "submitted"]
