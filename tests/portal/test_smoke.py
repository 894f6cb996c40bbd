from tests.conftest import login


def test_login_and_dashboard(client, make):
    user = make.user("vendor_manager")
    response = login(client, user.email)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused(client, make):
    user = make.user("auditor")
    response = login(client, user.email, "wrong password!")
    assert response.status_code == 401
    assert client.get("/").status_code == 302
