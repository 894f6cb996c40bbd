"""The demo's disputes and improvement actions, on the agreements and figures of the demo."""

from __future__ import annotations

from datetime import timedelta

from portal.demo.records import SUPPLIER_STAFF_BY_CODE, Records, on_day


def disputes(records: Records) -> None:
    huawei = SUPPLIER_STAFF_BY_CODE["HUAWEI"]
    cloudco = SUPPLIER_STAFF_BY_CODE["CLOUDCO"]
    northwind = SUPPLIER_STAFF_BY_CODE["NORTHWIND"]
    records.dispute(
        "UC-HUAWEI-NET", (15, 3),
        f"Availability {records.period(14)}: core switch outage claimed as planned maintenance",
        "in_progress",
        [(None, "We rejected the 99.93 % figure: the outage on the 14th had no approved change "
          "record, so it counts against availability and the 5 % service credit applies."),
         (huawei, "固件升级已在周例会上通知，我们认为属于计划内维护。请参阅会议纪要。"),
         (None, "An announcement in a weekly call is not an approved maintenance window under "
          "the exceptions clause. Please provide the change record or accept the credit."),
         (huawei, "已提交修正数据 99.71%。关于服务抵扣，我们希望在下次服务评审会上讨论。")],
    )  # fmt: skip
    records.dispute(
        "UC-CLOUDCO-CRM", (13, 12),
        f"P1 resolution {records.period(12)}: clock-stop for customer approval",
        "closed",
        [(None, "The corrected 3.8 h figure stops the clock while waiting for Acme's approval; "
          "the contract has no such clock-stop. We keep 6.5 h and apply the 3 % credit."),
         (cloudco, "Understood. We accept 6.5 h; the failover runbook is being updated so "
          "approval is obtained up front."),
         (None, "Thank you. Credit confirmed on the next invoice; closing.")],
        resolution="CloudCo accepted the 6.5 h figure; 3 % service credit (1,200 USD) applied "
        "to the next invoice; failover runbook updated.",
        closed=(14, 20),
    )  # fmt: skip
    records.dispute(
        "UC-SZDC-DC", (11, 6),
        f"Backup success {records.period(10)}: failed jobs re-run",
        "resolved",
        [(None, "SZDC reports 97.80 % and asks to count the 12 jobs re-run within the backup "
          "window as successful. Evidence requested."),
         (None, "Job logs received by e-mail (刘洋): all 12 jobs completed inside the window. "
          "Corrected figure 99.62 % accepted.")],
        resolution="Corrected figure accepted on evidence; no service credit due.",
    )  # fmt: skip
    records.dispute(
        "UC-NORTHWIND-SD-2", (17, 24),
        "Late and missing monthly reports",
        "open",
        [(None, "Figures were late in most months and missing for "
          f"{records.period(13)}. Reporting is a contractual obligation (reporting clause)."),
         (northwind, "We are hiring a reporting analyst; figures will be on time from next "
          "month.")],
    )  # fmt: skip


def actions(records: Records) -> None:
    today = records.today
    huawei_avail = records.target("UC-HUAWEI-NET", "AVAIL", "NET")
    records.action(
        "UC-HUAWEI-NET", "Root cause analysis and firmware plan for the core switch outage",
        "done", on_day(records.first, 16, 15), source="scorecard", target=huawei_avail,
        period=records.period(14),
    )  # fmt: skip
    records.action(
        "UC-CLOUDCO-CRM", "Update the database failover runbook", "done",
        on_day(records.first, 14, 30), source="scorecard",
        target=records.target("UC-CLOUDCO-CRM", "P1_RESOLVE", "CRM"), period=records.period(12),
    )  # fmt: skip
    records.action(
        "UC-SZDC-DC", "更换故障存储阵列控制器", "done", on_day(records.first, 11, 28),
        source="scorecard", target=records.target("UC-SZDC-DC", "BACKUP_OK", "BACKUP"),
        period=records.period(10),
    )  # fmt: skip
    for ref, metric, service, title, status, due_in in (
        ("UC-NORTHWIND-SD-2", "FTF", "SD", "Knowledge articles for the top 20 CRM call types",
         "in_progress", 20),
        ("UC-NORTHWIND-SD-2", "RESPONSE", "SD", "Staff the 08:00-10:00 call peak", "open", -12),
        ("SUB-SHWL-FIELD", "FTF", "NET", "首次修复率改进：备件前置到三个校区", "open", -30),
    ):  # fmt: skip
        target = records.target(ref, metric, service)
        period = records.latest_miss(target)
        if period is not None:
            records.action(
                ref, title, status, today + timedelta(days=due_in), source="scorecard",
                target=target, period=period,
            )  # fmt: skip
    records.action(
        "OLA-NETOPS", "Raise the first-time fix target to 80 % to close the alignment gap",
        "in_progress", today + timedelta(days=45), source="audit",
        target=records.target("OLA-NETOPS", "FTF", "NET"),
        description="OLA 78 % is below the 80 % committed in SLA-HVU-NET.",
    )  # fmt: skip
    records.action(
        "SLA-JNMG-DCH", "Underpin the P1 resolution commitment with a supplier target", "open",
        today + timedelta(days=60), source="audit",
        target=records.target("SLA-JNMG-DCH", "P1_RESOLVE", "DCH"),
    )  # fmt: skip
    records.action(
        "UC-HUAWEI-NET", "Agree the service credit for the core switch outage", "in_progress",
        today - timedelta(days=3), source="dispute",
    )  # fmt: skip
    records.action(
        "UC-NORTHWIND-SD-2", "Prepare exit options for the service desk", "open",
        today + timedelta(days=30), source="review",
    )  # fmt: skip
    szdc = records.agreements["UC-SZDC-DC"]
    records.action(
        "UC-SZDC-DC", "Decide renewal before the notice deadline", "open",
        szdc.end - timedelta(days=szdc.notice_days), description="Renewal pack for procurement.",
    )  # fmt: skip
