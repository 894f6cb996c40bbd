"""A change record's entries in words: the forms' labels for the fields, the status words for
statuses, money with its currency and decimals as the agreement page writes them.

A change record stores stable keys and plain values (``monthly_charge: 52000.00``); the labels
live with the portal's forms, which this package may not import, so the portal passes them in
as ``ChangeLabels``. A field without a label is shown by its key rather than not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from contracts.values import format_decimal
from scorecards.pdf.layout import money

MONEY_FIELDS = frozenset({"monthly_charge"})
PERCENT_FIELDS = frozenset({"credit_cap_pct", "credit_pct"})
DECIMAL_FIELDS = frozenset({"target", "weight"})
LONG_TEXT = 240  # characters of a contract clause shown; the change page has the whole text


@dataclass(frozen=True)
class ChangeLabels:
    fields: Mapping[str, object] = field(default_factory=dict)  # key → label (lazy strings too)
    statuses: Mapping[str, object] = field(default_factory=dict)  # agreement status → word


def entity_word(entity: str) -> str:
    words = {"agreement": _("Agreement"), "target": _("Target"), "link": _("Link")}
    return words.get(entity, entity)


def describe(entry: Mapping[str, Any], labels: ChangeLabels, currencies: tuple[str, str]) -> str:
    """One entry as a line: ``Target AVAIL/NET · Target value: 99.8 → 99.9``; money in the
    currencies before and after the change."""
    name = entry.get("field") or ""
    label = str(labels.fields.get(name, name))
    entity = entry.get("entity") or "agreement"
    if entity != "agreement":
        label = f"{entity_word(entity)} {entry.get('key') or ''} · {label}"
    before = value_text(name, entry.get("before"), labels, currencies[0])
    after = value_text(name, entry.get("after"), labels, currencies[1])
    return _("%(field)s: %(before)s → %(after)s", field=label, before=before, after=after)


def value_text(name: str, value: str | None, labels: ChangeLabels, currency: str) -> str:
    if value is None or value == "":
        return "—"
    if name == "status":
        return str(labels.statuses.get(value, value))
    if value in ("yes", "no") and name == "auto_renew":
        return _("yes") if value == "yes" else _("no")
    amount = _decimal(value) if name in MONEY_FIELDS | PERCENT_FIELDS | DECIMAL_FIELDS else None
    if amount is None:
        return value if len(value) <= LONG_TEXT else value[: LONG_TEXT - 1].rstrip() + "…"
    if name in MONEY_FIELDS:
        return money(amount, currency)
    if name in PERCENT_FIELDS:
        return f"{format_decimal(amount)} %"
    return format_decimal(amount)


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def currencies_by_record(
    records: Sequence[Sequence[Mapping[str, Any]]], current: str
) -> list[tuple[str, str]]:
    """(currency before, currency after) for each record, newest first: walking back from the
    agreement's currency today through every recorded change of currency."""
    pairs = []
    for entries in records:
        change = next((e for e in entries if e.get("field") == "currency"), None)
        before = (change.get("before") or current) if change else current
        pairs.append((before, current))
        current = before
    return pairs
