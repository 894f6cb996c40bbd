"""What the demo portfolio holds beyond the portfolio format: figure reviews, contract reviews,
change records, disputes with their threads, and the service improvement plan.

Dates are month offsets from the first month of the demo window (see :mod:`portal.demo_data`).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import periods
from contracts.accounts import find_user
from contracts.agreements import AgreementTerms, change_status, update_agreement
from contracts.alignment import meets
from contracts.change_control import ChangeRequest
from contracts.models import (
    Agreement,
    Dispute,
    DisputeMessage,
    ImprovementAction,
    Review,
    Target,
    User,
)
from contracts.targets import update_target
from portal.demo import data as demo_data
from scorecards import measurements
from scorecards.evidence import check_evidence, store_evidence
from scorecards.models import Measurement

# The person at each supplier who submits its figures and answers its disputes.
SUPPLIER_STAFF_BY_CODE = {code: email for email, _name, code in demo_data.SUPPLIER_STAFF}
SUPPLIER_STAFF_BY_CODE.update(
    (code, email) for role, email, _pw, _name, code in demo_data.LOGINS if role == "supplier"
)

# (agreement, month offset, outcome, notes)
REVIEWS = [
    ("SLA-ACME-CRM", 0, "satisfactory", "Annual customer review; CRM release cadence agreed."),
    ("SLA-ACME-CRM", 12, "improvement_needed", "Service desk first-time fix below 70 % in "
     "several months; supplier improvement plan requested."),
    ("SLA-JNMG-DCH", 6, "satisfactory", "年度服务评审：可用性达标，备份恢复演练通过。"),
    ("SLA-HVU-NET", 9, "satisfactory", "Term review with the university's IT board."),
    ("UC-HUAWEI-NET", 2, "satisfactory", "Core refresh completed on plan."),
    ("UC-HUAWEI-NET", 8, "satisfactory", "All targets met; price indexation discussed."),
    ("UC-HUAWEI-NET", 15, "improvement_needed", "Core switch outage in the previous month: "
     "root cause analysis and firmware plan agreed (see actions)."),
    ("SUB-SHWL-FIELD", 6, "improvement_needed",
     "首次修复率多月低于 85%，统计口径已统一为工单系统。"),
    # Planned every 12 months: the next review of this OLA is overdue.
    ("OLA-NETOPS", 1, "satisfactory", "OLA baseline confirmed with the NOC."),
    ("UC-CLOUDCO-CRM", 4, "satisfactory", "Stable service; capacity plan for CRM growth."),
    ("UC-CLOUDCO-CRM", 10, "satisfactory", "Credit cap raised to 15 % (change v2)."),
    ("UC-CLOUDCO-CRM", 16, "improvement_needed", "P1 clock-stop dispute closed; runbook update "
     "verified."),
    ("SUB-SZDC-COLO", 14, "satisfactory", "Power and cooling audit passed."),
    ("UC-SZDC-DC", 3, "satisfactory", "首次季度评审。"),
    ("UC-SZDC-DC", 9, "satisfactory", "Backup restore test passed."),
    ("UC-SZDC-DC", 15, "improvement_needed", "Storage array fault caused backup failures; "
     "controller replaced. Renewal decision due before the notice deadline."),
    ("UC-CLOUDCO-DR", 7, "satisfactory", "Fail-over test to the secondary site passed."),
    ("UC-NORTHWIND-SD-1", 1, "improvement_needed", "Late reports and low first-time fix."),
    ("UC-NORTHWIND-SD-1", 4, "unsatisfactory", "Renewed for a second term with a corrective "
     "plan and a 10 % credit cap."),
    ("UC-NORTHWIND-SD-2", 12, "improvement_needed", "Corrective plan behind schedule."),
    ("UC-NORTHWIND-SD-2", 17, "unsatisfactory", "Targets missed repeatedly; agreement put "
     "under review, exit options to be assessed."),
]  # fmt: skip

# agreement → [(month offset, reason, impact, approver, [(field, before, after)])]
CHANGES = {
    "UC-HUAWEI-NET": [
        (2, "Core network refresh completed; availability commitment raised.",
         "SLA-HVU-NET availability chain goes from a gap to aligned. No charge change.",
         "Change Advisory Board (CAB-118)", [("target AVAIL/NET", "99.8", "99.9")]),
        (11, "Annual price indexation; longer notice to allow an orderly exit.",
         "Monthly charge +5 % (budgeted). Exit planning gains 30 days.",
         "Head of IT Procurement; 陈静 (Huawei)",
         [("monthly_charge", "52000.00", "54600.00"), ("notice_days", "60", "90")]),
    ],
    "UC-CLOUDCO-CRM": [
        (9, "Service credit cap raised in the mid-term negotiation.",
         "Maximum monthly credit rises from 4,000 to 6,000 USD; no service change.",
         "Head of IT Procurement", [("credit_cap_pct", "10", "15")]),
    ],
    "OLA-NETOPS": [
        (5, "P1 response tightened after the NOC moved to 24x7 staffing.",
         "SLA-HVU-NET response chain gains 5 minutes of margin.",
         "Head of Service Management", [("target RESPONSE/NET", "15", "10")]),
    ],
    "UC-NORTHWIND-SD-2": [
        (17, "Review outcome unsatisfactory: agreement put under review.",
         "Renewal or exit to be decided before the notice deadline; no service change yet.",
         "Head of Service Management", [("status", "active", "under_review")]),
    ],
}  # fmt: skip


MONTHS_WITH_EVIDENCE = 15  # figures from this month offset on carry their monthly report
EVIDENCE_LIMIT = 1024 * 1024


def before_changes(agreements: list[dict[str, Any]]) -> None:
    """Put each field that CHANGES changes back to its value before the first change, in the
    portfolio document; the seed then makes the changes through the app's own operations."""
    by_ref = {agreement["ref"]: agreement for agreement in agreements}
    for ref, records in CHANGES.items():
        for *_, fields in reversed(records):  # the earliest change's "before" wins
            for name, before, _after in fields:
                agreement = by_ref[ref]
                if name.startswith("target "):
                    metric, service = name.removeprefix("target ").split("/")
                    target = next(
                        t
                        for t in agreement["targets"]
                        if (t["metric"], t["service"]) == (metric, service)
                    )
                    target["target"] = before
                elif name == "notice_days":
                    agreement[name] = int(before)
                else:
                    agreement[name] = before


def _apply(
    session: Session,
    agreement: Agreement,
    fields: list[tuple[str, str, str]],
    request: ChangeRequest,
    actor: User,
) -> None:
    """One approved change: a target's value, a status move, or the agreement's terms."""
    terms: dict[str, Any] = {}
    for name, _before, after in fields:
        if name.startswith("target "):
            metric, service = name.removeprefix("target ").split("/")
            target = next(
                t for t in agreement.targets if (t.metric.code, t.service.code) == (metric, service)
            )
            update_target(
                session,
                target,
                Decimal(after),
                target.weight,
                target.credit_pct,
                actor=actor,
                change=request,
            )
        elif name == "status":
            change_status(session, agreement, after, actor=actor, change=request)
        else:
            terms[name] = int(after) if name == "notice_days" else Decimal(after)
    if terms:
        changed = replace(AgreementTerms.of(agreement), **terms)
        update_agreement(session, agreement, changed, actor=actor, change=request)


def on_day(first: date, offset: int, day: int = 1) -> date:
    return demo_data.month_start(first, offset) + timedelta(days=day - 1)


def _at(first: date, offset: int, day: int, hour: int = 10) -> datetime:
    return datetime.combine(on_day(first, offset, day), time(hour))


class Records:
    """Adds the demo's records; looks up users, agreements and targets by their keys."""

    def __init__(self, session: Session, first: date, today: date) -> None:
        self.session, self.first, self.today = session, first, today
        self.now = datetime.combine(today, time(0))
        self.manager = self.user(demo_data.VENDOR_MANAGER)
        self.agreements = {a.ref: a for a in session.scalars(select(Agreement))}

    def user(self, email: str) -> User:
        user = find_user(self.session, email)
        assert user is not None, email
        return user

    def target(self, ref: str, metric: str, service: str) -> Target:
        return next(
            target
            for target in self.agreements[ref].targets
            if (target.metric.code, target.service.code) == (metric, service)
        )

    def period(self, offset: int) -> str:
        return periods.shift(periods.of(self.first), offset)

    def review_figures(self) -> None:
        """Who submitted each figure and who reviewed it (the portfolio format has neither)."""
        staff = {code: self.user(email) for code, email in SUPPLIER_STAFF_BY_CODE.items()}
        for measurement in self.session.scalars(select(Measurement)):
            agreement = measurement.target.agreement
            supplier_code = agreement.supplier.code if agreement.supplier else None
            if measurement.submitted_by is None and supplier_code in staff:
                measurement.submitted_by = staff[supplier_code]
            if measurement.status == "submitted":
                continue
            if measurement.reviewed_by is None:
                measurement.reviewed_by = self.manager
                measurement.reviewed_at = max(
                    measurement.submitted_at,
                    min(measurement.submitted_at + timedelta(days=2), self.now),
                )

    def reviews(self) -> None:
        for ref, offset, outcome, notes in REVIEWS:
            self.session.add(
                Review(
                    agreement=self.agreements[ref],
                    held_on=on_day(self.first, offset, 20),
                    outcome=outcome,
                    notes=notes,
                    reviewer=self.manager,
                )
            )

    def changes(self) -> None:
        """The changes of CHANGES, made through the app's own operations (as a vendor manager
        would on the agreement pages), each dated when it was approved."""
        for ref, records in CHANGES.items():
            agreement = self.agreements[ref]
            for offset, reason, impact, approver, fields in records:
                request = ChangeRequest(reason, impact, approver)
                _apply(self.session, agreement, fields, request, self.manager)
                self.session.flush()
                agreement.changes[-1].at = _at(self.first, offset, 25)  # after that review

    def evidence(self) -> None:
        """Monthly reports attached to the figures of the last months, and an incident report
        to each missed figure of those months: what an auditor samples."""
        for measurement in self.session.scalars(
            select(Measurement)
            .where(Measurement.period >= self.period(MONTHS_WITH_EVIDENCE))
            .order_by(Measurement.id)
        ):
            target = measurement.target
            ref = target.agreement.ref
            name = f"{ref} {measurement.period} {target.metric.code} 月报.csv"
            report = (
                "agreement,metric,service,period,value,source\n"
                f"{ref},{target.metric.code},{target.service.code},{measurement.period},"
                f"{measurement.value},monitoring export\n"
            )
            upload = check_evidence(
                io.BytesIO(report.encode("utf-8")), name, max_bytes=EVIDENCE_LIMIT
            )
            evidence = store_evidence(
                self.session,
                upload,
                user_id=measurement.submitted_by_id,
                now=measurement.submitted_at,
            )
            measurement.evidence_id = evidence.id

    def dispute(
        self,
        ref: str,
        raised: tuple[int, int],
        title: str,
        status: str,
        thread: list[tuple[str | None, str]],
        *,
        description: str = "",
        resolution: str = "",
        closed: tuple[int, int] | None = None,
    ) -> None:
        """A dispute and its thread; ``thread`` holds (author e-mail or None, body)."""
        dispute = Dispute(
            agreement=self.agreements[ref],
            title=title,
            description=description or thread[0][1],
            status=status,
            raised_by=self.manager,
            raised_on=on_day(self.first, *raised),
            resolution=resolution,
            closed_on=on_day(self.first, *closed) if closed else None,
        )
        self.session.add(dispute)
        start = _at(self.first, *raised, hour=9)
        for number, (email, body) in enumerate(thread):
            dispute.messages.append(
                DisputeMessage(
                    author=self.user(email or demo_data.VENDOR_MANAGER),
                    at=start + timedelta(days=2 * number, hours=number),
                    body=body,
                )
            )

    def action(
        self,
        ref: str,
        title: str,
        status: str,
        due_on: date,
        *,
        source: str = "manual",
        target: Target | None = None,
        period: str | None = None,
        description: str = "",
    ) -> None:
        self.session.add(
            ImprovementAction(
                agreement=self.agreements[ref],
                target=target,
                period=period,
                title=title,
                description=description,
                owner=self.manager,
                due_on=due_on,
                status=status,
                source=source,
                created_at=datetime.combine(min(due_on, self.today) - timedelta(days=30), time(9)),
            )
        )

    def latest_miss(self, target: Target) -> str | None:
        """The last month whose current figure missed ``target`` (scorecard's Met rule)."""
        ids = select(Target.id).where(Target.id == target.id)
        current = measurements.current_values(self.session, ids, "0000-01", "9999-12")
        missed = [
            period
            for (_target, period), value in current.items()
            if not meets(value, target.target, target.metric.direction)
        ]
        return max(missed) if missed else None
