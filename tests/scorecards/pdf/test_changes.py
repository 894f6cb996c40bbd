"""The renewal pack's change history in words: the forms' labels for the fields, status words
for statuses, money with its currency as the agreement page writes it, in both languages."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.models import ChangeRecord
from portal.agreements.renewal import change_labels, renewal_pack_pdf
from scorecards.pdf.changes import ChangeLabels, currencies_by_record, describe

LABELS = ChangeLabels(
    fields={"monthly_charge": "Monthly charge", "target": "Target value",
            "credit_cap_pct": "Credit cap", "auto_renew": "Renews automatically"},
    statuses={"active": "Active", "under_review": "Under review"},
)  # fmt: skip
CNY = ("CNY", "CNY")


def entry(field: str, before: str | None, after: str | None, **more: str) -> dict:
    return {"field": field, "before": before, "after": after, **more}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (entry("monthly_charge", "52000.00", "54600.00"),
         "Monthly charge: 52,000.00 CNY → 54,600.00 CNY"),
        (entry("status", "under_review", "active"), "status: Under review → Active"),
        (entry("credit_cap_pct", "10.0000", None), "Credit cap: 10 % → —"),
        (entry("auto_renew", "no", "yes"), "Renews automatically: no → yes"),
        (entry("target", "99.800000", "99.95", entity="target", key="AVAIL/NET"),
         "Target AVAIL/NET · Target value: 99.8 → 99.95"),
        (entry("notice_period", "60", "90"), "notice_period: 60 → 90"),  # no label: the key
    ],
)  # fmt: skip
def test_an_entry_in_words(app, change, expected):
    with app.app_context():
        assert describe(change, LABELS, CNY) == expected


def test_a_long_clause_is_shortened(app):
    with app.app_context():
        line = describe(entry("termination", "x" * 1000, "y"), LABELS, CNY)
    assert len(line) < 300 and "x…" in line


def test_money_is_in_the_currency_of_its_time():
    records = [
        [entry("monthly_charge", "100", "120")],
        [entry("currency", "USD", "EUR"), entry("monthly_charge", "90", "100")],
        [entry("monthly_charge", "80", "90")],
    ]  # newest first; the agreement is in EUR today
    assert currencies_by_record(records, "EUR") == [
        ("EUR", "EUR"), ("USD", "EUR"), ("USD", "USD")
    ]  # fmt: skip


def test_the_labels_are_the_forms(app):
    with app.app_context():
        labels = change_labels()
        assert str(labels.fields["notice_days"]) == "Notice period (days)"
        assert str(labels.fields["termination"]) == "Termination and transfer (exit)"
        assert str(labels.fields["target"]) == "Target value"
        assert str(labels.fields["underpins"]) == "Underpins"
        assert str(labels.statuses["under_review"]) == "Under review"


@pytest.fixture
def changed(make, session):
    contract = make.agreement(
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
        currency="CNY",
        monthly_charge=Decimal("54600.00"),
    )
    changes = [
        entry("monthly_charge", "52000.00", "54600.00", entity="agreement", key=contract.ref),
        entry("notice_days", "60", "90", entity="agreement", key=contract.ref),
        entry("status", "under_review", "active", entity="agreement", key=contract.ref),
        entry("termination", "Thirty days.", "Ninety days.", entity="agreement", key=contract.ref),
    ]
    session.add(
        ChangeRecord(
            agreement=contract,
            version=2,
            reason="Indexation",
            impact="+5 %",
            approver="CAB",
            changes=changes,
        )  # fmt: skip
    )
    session.flush()
    return contract


def pack_text(app, session, agreement, language: str, tmp_path: Path) -> str:
    path = tmp_path / f"pack-{language}.pdf"
    with app.app_context():
        path.write_bytes(renewal_pack_pdf(session, agreement, language))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())  # a line may wrap anywhere


RAW = ("monthly_charge", "notice_days", "under_review", "status:", "termination")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Monthly charge: 52,000.00 CNY → 54,600.00 CNY", "Notice period (days): 60 → 90",
                "Status: Under review → Active", "Termination and transfer (exit)"]),
        ("zh_Hans_CN", ["52,000.00 CNY → 54,600.00 CNY", "通知期（天）", "评审中 → 已启用",
                        "终止和移交（退出）"]),
    ],
)  # fmt: skip
def test_the_renewal_pack_shows_the_history_in_words(
    app, session, changed, tmp_path, language, expected
):
    text = pack_text(app, session, changed, language, tmp_path)
    for words in expected:
        assert words in text, words
    for key in RAW:
        assert key not in text, key
