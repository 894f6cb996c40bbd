from sqlalchemy.exc import OperationalError


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok", "database": "up"})


def test_healthz_fails_when_the_database_does_not(client, monkeypatch):
    from portal.extensions import db

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"
