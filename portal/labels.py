"""Every label table of the portal: the words people read for the codes the data stores.

One table per vocabulary, used by pages, forms, the audit log and the PDFs' change history
alike. Where a compact table needs a shorter word, the short table is named ``…_SHORT``.
Templates read them through the ``labels`` global (``labels.agreement_kind[...]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from flask_babel import lazy_gettext as _l

from scorecards.pdf.words import Words

AGREEMENT_KIND = {
    "sla": _l("Customer SLA"),
    "underpinning": _l("Underpinning contract"),
    "ola": _l("Operational level agreement"),
    "subcontract": _l("Sub-contract"),
}
# The agreement kind in a badge or a narrow column (the full word is its title).
AGREEMENT_KIND_SHORT = {
    "sla": _l("SLA"),
    "underpinning": _l("UC"),
    "ola": _l("OLA"),
    "subcontract": _l("Sub-contract"),
}
AGREEMENT_STATUS = {
    "draft": _l("Draft"),
    "active": _l("Active"),
    "under_review": _l("Under review"),
    "expired": _l("Expired"),
    "terminated": _l("Terminated"),
}
# What ISO/IEC 20000-1 expects a supplier contract to state (contracts.models.CONTRACT_CONTENTS).
CONTRACT_CONTENT = {
    "scope": _l("Scope"),
    "requirements": _l("Requirements"),
    "responsibilities": _l("Authorities and responsibilities"),
    "interfaces": _l("Interfaces between the parties' processes"),
    "dependencies": _l("Dependencies"),
    "workload": _l("Workload characteristics"),
    "exceptions": _l("Exceptions and how they are handled"),
    "reporting": _l("Reporting and communication"),
    "charging": _l("Charging basis"),
    "termination": _l("Termination and transfer (exit)"),
}
SUPPLIER_KIND = {"external": _l("External"), "internal": _l("Internal")}
SUPPLIER_CATEGORY = {
    "strategic": _l("Strategic"),
    "tactical": _l("Tactical"),
    "operational": _l("Operational"),
    "commodity": _l("Commodity"),
}
DIRECTION = {"higher": _l("Higher is better"), "lower": _l("Lower is better")}
COMPOSITION = {
    "product": _l("Product (availability-like percentages)"),
    "sum": _l("Sum (durations of serial hand-offs)"),
    "weakest": _l("Weakest link"),
}
# The source in the plan's narrow column.
ACTION_SOURCE_SHORT = {
    "manual": _l("By hand"),
    "scorecard": _l("Scorecard"),
    "review": _l("Review"),
    "dispute": _l("Dispute"),
    "audit": _l("Audit"),
}
# How a chain composes its values, inside a sentence.
COMPOSITION_SHORT = {"product": _l("product"), "sum": _l("sum"), "weakest": _l("weakest link")}
RECOMMENDATION = {
    "renew": _l("Renew"),
    "renew_with_conditions": _l("Renew with conditions"),
    "renegotiate_or_exit": _l("Renegotiate or exit"),
}
ROLE = {
    "admin": _l("Administrator"),
    "vendor_manager": _l("Vendor manager"),
    "procurement": _l("Procurement"),
    "auditor": _l("Auditor"),
    "supplier": _l("Supplier"),
}
# Language names are written in their own language, as in the header's switch.
LANGUAGE = {"en": "English", "zh_Hans_CN": "简体中文"}
REVIEW_OUTCOME = {
    "satisfactory": _l("Satisfactory"),
    "improvement_needed": _l("Improvement needed"),
    "unsatisfactory": _l("Unsatisfactory"),
}
DISPUTE_STATUS = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
}
ACTION_STATUS = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
ACTION_SOURCE = {
    "manual": _l("Raised by hand"),
    "scorecard": _l("Scorecard (missed target)"),
    "review": _l("Contract review"),
    "dispute": _l("Dispute"),
    "audit": _l("Audit"),
}
# A revision's status; "superseded" is how the review queue shows a replaced submission.
MEASUREMENT_STATUS = {
    "submitted": _l("Submitted"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "superseded": _l("Superseded"),
}
# A figure owed to the supplier's dashboard: its latest revision's status, or none yet.
FIGURE_STATUS = {"missing": _l("Missing"), **MEASUREMENT_STATUS}
# The spec's words for ratings, chain alignment and target-months, coloured alike everywhere.
SPEC_STATUS = {
    "green": _l("Green"),
    "amber": _l("Amber"),
    "red": _l("Red"),
    "none": _l("No rating"),
    "aligned": _l("Aligned"),
    "gap": _l("Gap"),
    "not_underpinned": _l("Not underpinned"),
    "met": _l("Met"),
    "missed": _l("Missed"),
    "missing": _l("Missing"),
}
# A target-month on a scorecard ("": the target is not due that month).
MONTH_STATUS = {
    "met": _l("Met"),
    "missed": _l("Missed"),
    "missing": _l("Missing"),
    "": _l("Not due"),
}
AUDIT_ACTION = {"insert": _l("created"), "update": _l("changed"), "delete": _l("deleted")}
# A change record's entries name what they change.
CHANGE_ENTITY = {"agreement": _l("Agreement"), "target": _l("Target"), "link": _l("Link")}

# ── The audit log: tables and columns in the domain's words ─────────────────────────────────
AUDIT_ENTITY = {
    "agreements": _l("Agreement"),
    "targets": _l("Target"),
    "links": _l("Link"),
    "measurements": _l("Monthly figure"),
    "evidence": _l("Evidence"),
    "suppliers": _l("Supplier"),
    "supplier_contacts": _l("Contact"),
    "customers": _l("Customer"),
    "services": _l("Service"),
    "metrics": _l("Metric"),
    "users": _l("User"),
    "api_tokens": _l("API token"),
    "change_records": _l("Change record"),
    "reviews": _l("Review"),
    "disputes": _l("Dispute"),
    "dispute_messages": _l("Dispute reply"),
    "improvement_actions": _l("Improvement action"),
}

AUDIT_FIELD = {
    "ref": _l("Reference"),
    "code": _l("Code"),
    "name": _l("Name"),
    "title": _l("Title"),
    "kind": _l("Kind"),
    "category": _l("Category"),
    "owner_id": _l("Owner"),
    "notes": _l("Notes"),
    "unit": _l("Unit"),
    "direction": _l("Direction"),
    "composition": _l("Composition"),
    "description": _l("Description"),
    "min_value": _l("Lowest sane value"),
    "max_value": _l("Highest sane value"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "position": _l("Position in the list"),
    "role": _l("Role"),
    "active": _l("Active"),
    "language": _l("Language"),
    "session_version": _l("Sign-in version"),
    "password_hash": _l("Password"),
    "created_at": _l("Created at"),
    "last_login_at": _l("Last login"),
    "user_id": _l("User"),
    "token_hash": _l("Token"),
    "prefix": _l("Token prefix"),
    "last_used_at": _l("Last used"),
    "revoked_at": _l("Revoked"),
    "customer_id": _l("Customer"),
    "supplier_id": _l("Supplier"),
    "parent_id": _l("Parent agreement"),
    "status": _l("Status"),
    "start": _l("Start"),
    "end": _l("End"),
    "notice_days": _l("Notice period (days)"),
    "auto_renew": _l("Renews automatically"),
    "renewal_months": _l("Renewal term (months)"),
    "review_months": _l("Review interval (months)"),
    "version": _l("Version"),
    "monthly_charge": _l("Monthly charge"),
    "currency": _l("Currency"),
    "credit_cap_pct": _l("Credit cap (percentage of the monthly charge)"),
    **CONTRACT_CONTENT,
    "services": _l("Services in scope"),
    "agreement_id": _l("Agreement"),
    "metric_id": _l("Metric"),
    "service_id": _l("Service"),
    "target": _l("Target value"),
    "weight": _l("Weight"),
    "credit_pct": _l("Service credit (percentage of the monthly charge)"),
    "upper_id": _l("Underpins"),
    "lower_id": _l("Underpinned by"),
    "group": _l("Redundancy group"),
    "at": _l("When"),
    "author_id": _l("Author"),
    "reason": _l("Reason for the change"),
    "impact": _l("Impact assessment"),
    "approver": _l("Approved by"),
    "changes": _l("Changes"),
    "held_on": _l("Held on"),
    "outcome": _l("Outcome"),
    "reviewer_id": _l("Reviewer"),
    "raised_by_id": _l("Raised by"),
    "raised_on": _l("Raised on"),
    "resolution": _l("Resolution"),
    "closed_on": _l("Closed on"),
    "dispute_id": _l("Dispute"),
    "body": _l("Message"),
    "target_id": _l("Target"),
    "period": _l("Month"),
    "due_on": _l("Due on"),
    "source": _l("Source"),
    "revision": _l("Revision"),
    "value": _l("Value"),
    "comment": _l("Comment"),
    "reject_reason": _l("Reason for rejection"),
    "late": _l("Late"),
    "submitted_at": _l("Submitted at"),
    "submitted_by_id": _l("Submitted by"),
    "reviewed_at": _l("Reviewed at"),
    "reviewed_by_id": _l("Reviewed by"),
    "evidence_id": _l("Evidence"),
    "filename": _l("File name"),
    "content_type": _l("Content type"),
    "size": _l("Size (bytes)"),
    "sha256": _l("SHA-256"),
    "data": _l("File content"),
    "uploaded_at": _l("Uploaded at"),
    "uploaded_by_id": _l("Uploaded by"),
}
# Where one column name means something else in one table.
AUDIT_TABLE_FIELD = {
    ("supplier_contacts", "role"): _l("Role at the supplier"),
    ("dispute_messages", "author_id"): _l("Written by"),
    ("change_records", "version"): _l("Agreement version"),
    ("change_records", "at"): _l("Recorded at"),
    ("dispute_messages", "at"): _l("Written at"),
}

AUDIT_VALUE: dict[tuple[str, str], Mapping[str, Any]] = {
    ("agreements", "kind"): AGREEMENT_KIND,
    ("agreements", "status"): AGREEMENT_STATUS,
    ("suppliers", "kind"): SUPPLIER_KIND,
    ("suppliers", "category"): SUPPLIER_CATEGORY,
    ("metrics", "direction"): DIRECTION,
    ("metrics", "composition"): COMPOSITION,
    ("users", "role"): ROLE,
    ("users", "language"): LANGUAGE,
    ("measurements", "status"): MEASUREMENT_STATUS,
    ("disputes", "status"): DISPUTE_STATUS,
    ("reviews", "outcome"): REVIEW_OUTCOME,
    ("improvement_actions", "status"): ACTION_STATUS,
    ("improvement_actions", "source"): ACTION_SOURCE,
}

RATING = {name: SPEC_STATUS[name] for name in ("green", "amber", "red", "none")}
NO_RECOMMENDATION = _l("No recommendation yet")


def pdf_words() -> Words:
    """The words of the PDFs, from the tables above."""
    return Words(
        rating=RATING,
        month_status={name: MONTH_STATUS[name] for name in ("met", "missed", "missing")},
        recommendation=RECOMMENDATION,
        no_recommendation=NO_RECOMMENDATION,
        dispute_status=DISPUTE_STATUS,
        review_outcome=REVIEW_OUTCOME,
        action_status=ACTION_STATUS,
    )


# What templates see as ``labels``.
TEMPLATE_LABELS = SimpleNamespace(
    agreement_kind=AGREEMENT_KIND,
    agreement_kind_short=AGREEMENT_KIND_SHORT,
    agreement_status=AGREEMENT_STATUS,
    contract_content=CONTRACT_CONTENT,
    kind=SUPPLIER_KIND,
    category=SUPPLIER_CATEGORY,
    direction=DIRECTION,
    composition=COMPOSITION,
    composition_short=COMPOSITION_SHORT,
    recommendation=RECOMMENDATION,
    role=ROLE,
    review_outcome=REVIEW_OUTCOME,
    dispute_status=DISPUTE_STATUS,
    action_status=ACTION_STATUS,
    action_source=ACTION_SOURCE,
    action_source_short=ACTION_SOURCE_SHORT,
    measurement_status=MEASUREMENT_STATUS,
    figure_status=FIGURE_STATUS,
    spec_status=SPEC_STATUS,
    month_status=MONTH_STATUS,
    change_entity=CHANGE_ENTITY,
)
