"""Users and tokens: the CLI, hashed secrets, deactivation and password resets end access."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from contracts import accounts
from contracts.errors import DomainError
from contracts.models import ApiToken, User
from tests.conftest import login


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_create_user_on_the_cli_reads_the_password_from_stdin(runner, session):
    result = runner.invoke(
        args=["create-user", "Li.Na@Example.com", "--role", "vendor_manager", "--password-stdin"],
        input="a long password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "li.na@example.com"))
    assert user.role == "vendor_manager"
    assert user.password_hash != "a long password"
    assert accounts.authenticate(session, "li.na@example.com", "a long password") is user


def test_create_user_refuses_an_unknown_role(runner, session):
    result = runner.invoke(
        args=["create-user", "x@example.com", "--role", "boss", "--password-stdin"],
        input="a long password\n",
    )
    assert result.exit_code != 0
    assert "boss" in result.output
    assert session.scalar(select(User)) is None


def test_create_user_refuses_an_unknown_supplier(runner, session):
    result = runner.invoke(
        args=[
            "create-user",
            "x@example.com",
            "--role",
            "supplier",
            "--supplier",
            "NOPE",
            "--password-stdin",
        ],
        input="a long password\n",
    )
    assert result.exit_code == 1
    assert "supplier: Unknown supplier NOPE." in result.output
    assert session.scalar(select(User)) is None


def test_a_supplier_user_must_name_its_supplier(session, make):
    for role, code, message in [
        ("supplier", None, "A supplier user must be bound to a supplier."),
        ("auditor", "ANY", "Only a supplier user is bound to a supplier."),
    ]:
        try:
            accounts.create_user(
                session, "x@example.com", role, "long password", supplier_code=code
            )
        except DomainError as error:
            assert (error.field, str(error.message)) == ("supplier", message)
        else:
            raise AssertionError("accepted")


def test_short_password_and_duplicate_email_are_refused(session, make):
    user = make.user("auditor", email="dup@example.com")
    for email, password, field in [
        ("new@example.com", "short", "password"),
        ("DUP@example.com", "long enough password", "email"),
        ("not-an-email", "long enough password", "email"),
    ]:
        try:
            accounts.create_user(session, email, "auditor", password)
        except DomainError as error:
            assert error.field == field
        else:
            raise AssertionError(f"accepted {email}")
    assert session.scalars(select(User)).all() == [user]


def test_create_token_prints_it_once_and_stores_only_its_hash(runner, session, make):
    user = make.user("supplier", supplier=make.supplier(code="HW", name="华为技术有限公司"))
    result = runner.invoke(args=["create-token", user.email, "--name", "ERP feed"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[0]
    assert secret.startswith("upn_")
    token = session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.token_hash, token.prefix)


def test_create_token_for_an_unknown_user_fails(runner, session):
    result = runner.invoke(args=["create-token", "ghost@example.com", "--name", "x"])
    assert result.exit_code == 1
    assert "no user ghost@example.com" in result.output


def test_a_token_reaches_the_api_and_not_the_pages(client, session, make):
    user = make.user("procurement")
    issued = accounts.create_token(session, user, "reports")
    response = client.get("/api/v1/me", headers=bearer(issued.secret))
    assert response.status_code == 200
    assert response.json["email"] == user.email
    assert client.get("/", headers=bearer(issued.secret)).status_code == 302
    assert client.get("/api/v1/me", headers=bearer("upn_wrong")).status_code == 401


def test_a_logged_in_browser_cannot_use_the_api_with_its_cookie(client, make):
    user = make.user("admin")
    login(client, user.email)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_deactivation_ends_sessions_and_tokens_at_once(client, session, make, app):
    user = make.user("vendor_manager")
    issued = accounts.create_token(session, user, "sync")
    login(client, user.email)
    assert client.get("/").status_code == 200

    accounts.set_active(session, user, False)
    session.commit()
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me", headers=bearer(issued.secret)).status_code == 401
    assert login(client, user.email).status_code == 401


def test_a_revoked_token_stops_working(client, session, make):
    user = make.user("auditor")
    issued = accounts.create_token(session, user, "temp")
    accounts.revoke_token(session, issued.token)
    session.commit()
    assert client.get("/api/v1/me", headers=bearer(issued.secret)).status_code == 401


def test_a_password_reset_ends_other_sessions(client, session, make, app):
    user = make.user("auditor")
    login(client, user.email)
    accounts.set_password(session, user, "a brand new password")
    session.commit()
    assert client.get("/").status_code == 302
    assert login(client, user.email, "a brand new password").status_code == 302


def test_a_user_changes_their_own_password_and_stays_logged_in(client, session, make):
    user = make.user("procurement")
    login(client, user.email)
    response = client.post(
        "/account/password",
        data={
            "current": make.PASSWORD,
            "password": "another long one",
            "confirm": "another long one",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    session.expire_all()  # the request changed the row through its own session
    assert accounts.authenticate(session, user.email, "another long one") is user


def test_a_wrong_current_password_changes_nothing(client, session, make):
    user = make.user("procurement")
    login(client, user.email)
    response = client.post(
        "/account/password",
        data={
            "current": "not it at all",
            "password": "another long one",
            "confirm": "another long one",
        },
    )
    assert response.status_code == 400
    assert accounts.authenticate(session, user.email, make.PASSWORD) is user


def test_a_user_creates_and_revokes_their_own_token(client, session, make):
    user = make.user("supplier", supplier=make.supplier())
    login(client, user.email)
    response = client.post("/account/tokens", data={"name": "my ERP"})
    assert response.status_code == 200
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.prefix in response.get_data(as_text=True)
    other = make.user("auditor")
    foreign = accounts.create_token(session, other, "not yours").token
    assert client.post(f"/account/tokens/{foreign.id}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    session.refresh(token)
    assert token.revoked_at is not None
    assert foreign.revoked_at is None


def test_api_errors_have_the_spec_shape(client, session, make):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.json
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"] == "A valid bearer token is required."
    issued = accounts.create_token(session, make.user("auditor"), "t")
    missing = client.get("/api/v1/nothing-here", headers=bearer(issued.secret))
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "not_found")


def test_the_openapi_document_is_public_and_lists_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert "/api/v1/me" in document["paths"]
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_login_attempts_are_throttled(database_url):
    from portal.extensions import db, limiter
    from tests.conftest import make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    try:
        statuses = [
            client.post("/login", data={"email": "x@example.com", "password": "wrong!"}).status_code
            for _ in range(3)
        ]
        assert statuses == [401, 401, 429]
    finally:
        limiter.enabled = False  # the extension object is shared with the suite's app
        with app.app_context():
            db.engine.dispose()


# ── The portal always keeps an active administrator ─────────────────────────────────────────
def _refused(call, *args, **kwargs) -> DomainError:
    try:
        call(*args, **kwargs)
    except DomainError as error:
        return error
    raise AssertionError("accepted")


def test_an_admin_cannot_take_the_admin_role_from_themselves(session, make):
    admin, other = make.user("admin"), make.user("admin")
    error = _refused(
        accounts.update_user,
        session,
        admin,
        role="auditor",
        supplier_code=None,
        name="",
        actor=admin,
    )
    assert error.field == "role"
    assert str(error.message) == (
        "You cannot take the administrator role from yourself: another administrator must."
    )
    assert admin.role == "admin"
    accounts.update_user(session, admin, role="auditor", supplier_code=None, name="", actor=other)
    assert admin.role == "auditor"


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_the_last_active_admin_cannot_be_demoted_or_deactivated(session, make, change):
    last = make.user("admin", email="last@example.com")
    make.user("admin").active = False  # a deactivated admin does not count
    make.user("vendor_manager")
    session.flush()
    if change == "demote":
        error = _refused(
            accounts.update_user, session, last, role="procurement", supplier_code=None, name=""
        )
    else:
        error = _refused(accounts.set_active, session, last, False)
    assert error.field == ("role" if change == "demote" else "active")
    assert str(error.message) == (
        "last@example.com is the last active administrator: the portal needs one. "
        "Make another user an administrator first."
    )
    assert (last.role, last.active) == ("admin", True)


def test_with_a_second_admin_either_may_go(session, make):
    first, second = make.user("admin"), make.user("admin")
    accounts.set_active(session, first, False, actor=second)
    assert not first.active
    # now ``second`` is the last one
    assert _refused(accounts.set_active, session, second, False).field == "active"
    accounts.update_user(session, first, role="auditor", supplier_code=None, name="")
    assert first.role == "auditor"  # an inactive admin may change role freely


def test_self_deactivation_is_refused_by_the_operation(session, make):
    admin, _other = make.user("admin"), make.user("admin")
    error = _refused(accounts.set_active, session, admin, False, actor=admin)
    assert (error.field, str(error.message)) == ("active", "You cannot deactivate yourself.")
    assert admin.active


def test_the_admin_page_refuses_self_demotion_beside_the_role_field(client, session, make):
    admin = make.user("admin")
    make.user("admin")
    login(client, admin.email)
    response = client.post(
        f"/admin/users/{admin.id}", data={"name": "Me", "role": "auditor", "supplier": ""}
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="role-errors"' in text
    assert "You cannot take the administrator role from yourself" in text
    session.refresh(admin)
    assert admin.role == "admin"


def test_the_admin_page_refuses_self_deactivation_beside_the_button(client, session, make):
    admin = make.user("admin")
    login(client, admin.email)
    own_page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert f"/admin/users/{admin.id}/active" not in own_page  # no button to press
    assert "another administrator can deactivate it" in own_page
    response = client.post(f"/admin/users/{admin.id}/active", data={})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="active-errors"' in text and "You cannot deactivate yourself." in text
    session.refresh(admin)
    assert admin.active


def test_the_admin_page_lets_an_admin_retire_another(client, session, make):
    me = make.user("admin")
    other = make.user("admin")
    login(client, me.email)
    assert client.post(f"/admin/users/{other.id}/active", data={}).status_code == 302
    session.refresh(other)
    assert not other.active
    response = client.post(
        f"/admin/users/{other.id}", data={"name": "", "role": "auditor", "supplier": ""}
    )
    assert response.status_code == 302
