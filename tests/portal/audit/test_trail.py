"""The audit log: one mechanism records every write, as a hash chain that detects tampering."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from contracts.models import Customer, Metric
from portal import audit
from portal.audit.models import AuditEntry, AuditHead
from portal.extensions import db
from tests.conftest import login


def entries(session):
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()


def test_insert_update_delete_are_recorded_with_before_and_after(session):
    audit.set_actor(session, audit.Actor("tester", None))
    metric = Metric(
        code="AVAIL",
        name="Availability",
        unit="%",
        direction="higher",
        composition="product",
        min_value=Decimal("0"),
    )
    session.add(metric)
    session.flush()
    metric.name = "可用性"
    session.flush()
    session.delete(metric)
    session.flush()

    log = [e for e in entries(session) if e.entity == "metrics"]
    assert [e.action for e in log] == ["insert", "update", "delete"]
    assert log[0].changes["code"] == [None, "AVAIL"]
    assert log[0].changes["min_value"] == [None, "0"]
    assert log[1].changes == {"name": ["Availability", "可用性"]}
    assert log[2].changes["name"] == ["可用性", None]
    assert {e.actor for e in log} == {"tester"}
    assert log[0].entity_id == str(metric.id)


def test_passwords_are_never_written_to_the_log(session, make):
    make.user("auditor")
    user_entry = next(e for e in entries(session) if e.entity == "users")
    assert user_entry.changes["password_hash"] == [None, "***"]


def test_a_change_made_through_a_view_names_the_user(client, make, session):
    admin = make.user("admin")
    target = make.user("procurement")
    login(client, admin.email)
    response = client.post(
        f"/admin/users/{target.id}", data={"name": "Li Na 李娜", "role": "auditor", "supplier": ""}
    )
    assert response.status_code == 302
    change = [
        e
        for e in entries(session)
        if e.entity == "users" and e.entity_id == str(target.id) and e.action == "update"
    ]
    assert change[-1].actor == f"{admin.email} (web)"
    assert change[-1].actor_user_id == admin.id
    assert change[-1].changes["role"] == ["procurement", "auditor"]
    assert change[-1].changes["name"] == ["", "Li Na 李娜"]


def test_a_change_made_through_the_cli_names_the_command(runner, session):
    result = runner.invoke(
        args=["create-user", "ops@example.com", "--role", "auditor", "--password-stdin"],
        input="long enough password\n",
    )
    assert result.exit_code == 0, result.output
    entry = next(e for e in entries(session) if e.entity == "users")
    assert entry.actor == "cli create-user"
    assert entry.changes["email"] == [None, "ops@example.com"]


def test_the_chain_verifies_and_names_the_first_altered_entry(session, runner):
    for code in ("A", "B", "C"):
        session.add(Customer(code=code, name=f"Customer {code}"))
        session.flush()
    assert audit.verify(session).ok
    assert audit.verify(session).checked == 3

    first = entries(session)[0].seq
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.seq == first + 1)
        .values(changes={"name": [None, "forged"]})
    )
    session.expire_all()
    result = audit.verify(session)
    assert (result.problem, result.seq) == ("altered", first + 1)

    cli = runner.invoke(args=["audit-verify"])
    assert cli.exit_code == 1
    assert f"audit log entry {first + 1} is altered" in cli.output


def test_a_removed_entry_is_reported(session):
    for code in ("A", "B", "C"):
        session.add(Customer(code=code, name=code))
        session.flush()
    first = entries(session)[0].seq
    session.execute(delete(AuditEntry).where(AuditEntry.seq == first + 1))
    session.expire_all()
    assert (audit.verify(session).problem, audit.verify(session).seq) == ("missing", first + 1)


def test_removing_the_last_entry_is_reported(session):
    for code in ("A", "B"):
        session.add(Customer(code=code, name=code))
        session.flush()
    last = entries(session)[-1].seq
    session.execute(delete(AuditEntry).where(AuditEntry.seq == last))
    session.expire_all()
    assert (audit.verify(session).problem, audit.verify(session).seq) == ("missing", last)


def test_an_intact_log_verifies_on_the_cli(runner, session):
    session.add(Customer(code="X", name="X"))
    session.flush()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0
    assert "intact: 1 entries verified" in result.output


def test_two_writers_at_once_form_one_chain(app):
    """Real commits from two connections at the same moment; cleaned up afterwards."""
    with app.app_context():
        engine = db.engine
        with Session(engine) as probe:
            head = probe.get(AuditHead, 1)
            start_seq, start_hash = head.seq, head.hash
        barrier = threading.Barrier(2)
        failures: list[BaseException] = []

        def write(code: str) -> None:
            try:
                with Session(engine) as session:
                    barrier.wait(timeout=10)
                    for n in range(5):
                        session.add(Customer(code=f"{code}{n}", name=code))
                        session.flush()
                    session.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                failures.append(error)

        threads = [threading.Thread(target=write, args=(code,)) for code in ("P", "Q")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        try:
            assert not failures, failures
            with Session(engine) as check:
                seqs = check.scalars(
                    select(AuditEntry.seq)
                    .where(AuditEntry.seq > start_seq)
                    .order_by(AuditEntry.seq)
                ).all()
                assert seqs == list(range(start_seq + 1, start_seq + 11))
                result = audit.verify(check)
                assert result.ok, result
        finally:
            with Session(engine) as cleanup:
                cleanup.execute(delete(AuditEntry).where(AuditEntry.seq > start_seq))
                cleanup.execute(text("DELETE FROM customers WHERE name IN ('P', 'Q')"))
                cleanup.execute(update(AuditHead).values(seq=start_seq, hash=start_hash))
                cleanup.commit()
