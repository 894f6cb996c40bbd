"""Submitting figures: revisions, the late flag, every kind of bad figure, all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.audit.models import AuditEntry
from scorecards.models import Measurement
from scorecards.submissions import Figure, SubmissionRefused, submit

NOW = datetime(2026, 7, 10, 12, 0)


@pytest.fixture
def world(make):
    hw = make.supplier(code="HW", name="华为技术有限公司")
    other = make.supplier(code="OT", name="Other Ltd")
    crm, net = make.service("CRM"), make.service("NET")
    avail = make.metric("AVAIL", "higher", "product", "%")
    p1 = make.metric("P1", "lower", "sum", "h")
    uc = make.agreement(
        "underpinning",
        supplier=hw,
        ref="UC-HW",
        services=[crm],
        start=date(2026, 3, 15),
        end=date(2026, 12, 31),
    )
    multi = make.agreement("underpinning", supplier=hw, ref="UC-HW-2", services=[crm, net])
    draft = make.agreement(
        "underpinning", supplier=hw, ref="UC-DRAFT", services=[crm], status="draft"
    )
    foreign = make.agreement("underpinning", supplier=other, ref="UC-OT", services=[crm])
    sub = make.agreement("subcontract", supplier=other, parent=uc, ref="SUB-OT", services=[crm])
    targets = {
        "avail": make.target(uc, avail, "99.9"),
        "p1": make.target(uc, p1, "4"),
        "multi_crm": make.target(multi, avail, "99", service=crm),
        "multi_net": make.target(multi, avail, "99", service=net),
        "draft": make.target(draft, avail, "99"),
        "foreign": make.target(foreign, avail, "99"),
        "sub": make.target(sub, avail, "99"),
    }
    return {"hw": hw, "other": other, **targets}


def fig(
    location="row 2",
    agreement="UC-HW",
    metric="AVAIL",
    service="",
    period="2026-06",
    value="99.95",
    comment="",
):
    return Figure(location, agreement, metric, service, period, value, comment)


def refused(session, world, figures, supplier="hw"):
    with pytest.raises(SubmissionRefused) as caught:
        submit(session, figures, supplier_id=world[supplier].id, user_id=None, now=NOW)
    return [(p.location, p.field, p.message) for p in caught.value.problems]


def stored(session):
    return session.scalar(select(func.count()).select_from(Measurement))


def test_figures_are_stored_as_new_revisions_never_overwritten(session, world):
    submit(session, [fig(value="99.5")], supplier_id=world["hw"].id, user_id=None, now=NOW)
    submit(
        session,
        [fig(value="99.95", comment="corrected")],
        supplier_id=world["hw"].id,
        user_id=None,
        now=NOW,
    )
    rows = session.execute(
        select(Measurement.revision, Measurement.value, Measurement.status).order_by(
            Measurement.revision
        )
    ).all()
    assert rows == [(1, D("99.5"), "submitted"), (2, D("99.95"), "submitted")]


@pytest.mark.parametrize(
    ("now", "late"),
    [
        (datetime(2026, 7, 10, 23, 59), False),  # the 10th of the following month is on time
        (datetime(2026, 7, 11, 0, 0), True),
    ],
)
def test_late_flag_at_the_boundary_day(session, world, now, late):
    result = submit(
        session, [fig(period="2026-06")], supplier_id=world["hw"].id, user_id=None, now=now
    )
    assert result.late == int(late)
    assert session.scalar(select(Measurement.late)) is late


def test_the_due_day_is_configurable(session, world):
    result = submit(
        session,
        [fig(period="2026-06")],
        supplier_id=world["hw"].id,
        user_id=None,
        now=datetime(2026, 7, 12),
        due_day=15,
    )
    assert result.late == 0


@pytest.mark.parametrize(
    ("figure", "field", "message"),
    [
        (fig(value="abc"), "value", "must be a decimal number"),
        (fig(value="NaN"), "value", "must be a finite number"),
        (fig(value="Infinity"), "value", "must be a finite number"),
        (fig(value="-0.1"), "value", "-0.1 is outside the sane range 0 to 100 (unit %)"),
        (fig(value="100.01"), "value", "100.01 is outside the sane range 0 to 100 (unit %)"),
        (fig(metric="P1", value="-1"), "value", "-1 is below the lowest sane value 0 (unit h)"),
        (fig(value=""), "value", "is required"),
        (fig(period="2026-13"), "period", 'must be a month written YYYY-MM, such as "2026-07"'),
        (fig(period="July"), "period", 'must be a month written YYYY-MM, such as "2026-07"'),
        (
            fig(period="2026-02"),
            "period",
            "2026-02 is outside the term of UC-HW (2026-03-15 to 2026-12-31)",
        ),
        (fig(period="2026-08"), "period", "2026-08 has not begun yet"),
        (fig(agreement="NOPE"), "agreement", "unknown agreement NOPE"),
        (fig(agreement="UC-OT"), "agreement", "unknown agreement UC-OT"),
        (fig(agreement="SUB-OT"), "agreement", "unknown agreement SUB-OT"),
        (fig(agreement="UC-DRAFT"), "agreement", "UC-DRAFT is a draft: no figures are due"),
        (fig(metric="FTF"), "metric", "UC-HW has no target for metric FTF"),
        (fig(service="NET"), "service", "UC-HW has no AVAIL target for service NET"),
        (
            fig(agreement="UC-HW-2"),
            "service",
            "is required: UC-HW-2 covers several services (CRM, NET)",
        ),
        (fig(comment="x" * 200_000), "comment", "must be at most 4000 characters"),
    ],
)
def test_each_bad_figure_is_refused_with_its_field(session, world, figure, field, message):
    problems = refused(session, world, [figure])
    assert len(problems) == 1
    location, got_field, got_message = problems[0]
    assert (location, got_field) == ("row 2", field)
    assert got_message.startswith(message), got_message
    assert stored(session) == 0


def test_one_bad_row_stores_nothing_and_every_problem_is_listed(session, world):
    figures = [
        fig("row 2"),
        fig("row 3", metric="P1", value="3.5"),
        fig("row 4", period="2026-13"),
        fig("row 5", value="NaN"),
    ]
    problems = refused(session, world, figures)
    assert [(p[0], p[1]) for p in problems] == [("row 4", "period"), ("row 5", "value")]
    session.rollback()
    assert stored(session) == 0


def test_duplicate_rows_for_the_same_target_and_month(session, world):
    problems = refused(session, world, [fig("row 2"), fig("row 3", service="CRM")])
    assert problems == [
        ("row 3", "period", "repeats the figure of row 2 for this target and month")
    ]


def test_an_empty_submission_is_refused(session, world):
    assert refused(session, world, []) == [("", "figures", "there are no figures")]


def test_staff_without_a_supplier_may_submit_for_any_supplier_agreement(session, world):
    result = submit(
        session, [fig(agreement="UC-OT", service="CRM")], supplier_id=None, user_id=None, now=NOW
    )
    assert result.count == 1


def test_the_sub_contractor_submits_for_its_own_sub_contract(session, world):
    submit(session, [fig(agreement="SUB-OT")], supplier_id=world["other"].id, user_id=None, now=NOW)
    assert stored(session) == 1


def test_many_figures_cost_no_query_per_figure(session, world):
    from sqlalchemy import event

    def selects_for(figures):
        statements = []
        connection = session.connection()

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(connection, "before_cursor_execute", count)
        try:
            submit(session, figures, supplier_id=world["hw"].id, user_id=None, now=NOW)
        finally:
            event.remove(connection, "before_cursor_execute", count)
        return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))

    one = selects_for([fig()])
    months = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    many = [
        fig(f"row {n}", metric=metric, period=month, value="3")
        for n, (metric, month) in enumerate((m, p) for m in ("AVAIL", "P1") for p in months)
    ]
    assert selects_for(many) == one


def test_two_submissions_of_the_same_figure_at_once_get_successive_revisions(app):
    """Real commits from two connections at the same moment; cleaned up afterwards."""
    import threading

    from sqlalchemy import delete, text, update
    from sqlalchemy.orm import Session

    from contracts.models import Agreement, Metric, Service, Supplier, Target
    from portal.audit.models import AuditEntry, AuditHead
    from portal.extensions import db

    with app.app_context():
        engine = db.engine
        with Session(engine) as probe:
            head = probe.get(AuditHead, 1)
            start_seq, start_hash = head.seq, head.hash
        with Session(engine) as setup:
            supplier = Supplier(code="RACE", name="Race Ltd", kind="external", category="commodity")
            service = Service(code="RACE-S", name="Race service")
            metric = Metric(
                code="RACE-M", name="Race", unit="%", direction="higher", composition="product"
            )
            agreement = Agreement(
                ref="UC-RACE",
                kind="underpinning",
                title="Race",
                supplier=supplier,
                status="active",
                start=date(2026, 1, 1),
                end=date(2026, 12, 31),
                services=[service],
            )
            setup.add(Target(agreement=agreement, metric=metric, service=service, target=D("99")))
            setup.commit()
            supplier_id = supplier.id
        barrier = threading.Barrier(2)
        failures: list[BaseException] = []

        def send(value: str) -> None:
            try:
                with Session(engine) as session:
                    barrier.wait(timeout=10)
                    submit(
                        session,
                        [Figure("[0]", "UC-RACE", "RACE-M", "", "2026-06", value)],
                        supplier_id=supplier_id,
                        user_id=None,
                        now=NOW,
                    )
                    session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

        threads = [threading.Thread(target=send, args=(v,)) for v in ("99.1", "99.2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        try:
            assert not failures, failures
            with Session(engine) as check:
                revisions = check.scalars(
                    select(Measurement.revision)
                    .join(Measurement.target)
                    .join(Target.agreement)
                    .where(Agreement.ref == "UC-RACE")
                    .order_by(Measurement.revision)
                ).all()
            assert revisions == [1, 2]
        finally:
            with Session(engine) as cleanup:
                ids = select(Target.id).join(Agreement).where(Agreement.ref == "UC-RACE")
                cleanup.execute(delete(Measurement).where(Measurement.target_id.in_(ids)))
                cleanup.execute(delete(Target).where(Target.id.in_(ids)))
                cleanup.execute(
                    text(
                        "DELETE FROM agreement_services WHERE agreement_id IN "
                        "(SELECT id FROM agreements WHERE ref = 'UC-RACE')"
                    )
                )
                cleanup.execute(delete(Agreement).where(Agreement.ref == "UC-RACE"))
                cleanup.execute(delete(Supplier).where(Supplier.code == "RACE"))
                cleanup.execute(delete(Service).where(Service.code == "RACE-S"))
                cleanup.execute(delete(Metric).where(Metric.code == "RACE-M"))
                # Leave the audit log as it was, for the tests that follow.
                cleanup.execute(delete(AuditEntry).where(AuditEntry.seq > start_seq))
                cleanup.execute(update(AuditHead).values(seq=start_seq, hash=start_hash))
                cleanup.commit()


def test_a_submitted_figure_is_audited_as_an_orm_insert_would_be(session, world):
    def entry(measurement_id):
        return session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity == "measurements", AuditEntry.entity_id == str(measurement_id)
            )
        )

    result = submit(
        session,
        [fig(value="99.95", comment="ok")],
        supplier_id=world["hw"].id,
        user_id=None,
        now=NOW,
    )
    bulk = entry(result.measurement_ids[0])
    assert bulk.action == "insert"
    assert bulk.changes["value"] == [None, "99.95"]
    assert bulk.changes["period"] == [None, "2026-06"]
    assert bulk.changes["revision"] == [None, 1]
    assert bulk.changes["status"] == [None, "submitted"]
    assert bulk.changes["submitted_at"] == [None, "2026-07-10T12:00:00"]
    assert "reviewed_at" not in bulk.changes  # no value: not listed, as for an ORM insert

    orm = Measurement(
        target_id=world["p1"].id,
        period="2026-06",
        value=D("3"),
        comment="ok",
        late=False,
        submitted_at=NOW,
    )
    session.add(orm)
    session.flush()
    assert set(entry(orm.id).changes) == set(bulk.changes)
    assert audit.verify(session).ok
