"""What every template can use: the permission check, the language switch, the label tables,
and the filters that show numbers, values and money, each with one meaning on every page.

| filter | shows | e.g. |
|---|---|---|
| ``value`` | a value as it was entered, trailing zeros dropped | ``99.950`` → ``99.95`` |
| ``precise`` | a computed value half-up to 4 places, then as entered | ``99.89951`` → ``99.8995`` |
| ``rounded`` | half-up to 2 places, as the JSON has it | ``66.666…`` → ``66.67`` |
| ``number(places=2)`` | half-up to ``places``, grouped by thousands | ``1234.5`` → ``1,234.50`` |
| ``money`` | an amount with its two decimals, as people write it | ``40000`` → ``40000.00`` |
| ``credits(currencies)`` | ``number`` with the currency when there is only one | ``1,234.50 USD`` |
| ``sign`` | a metric's direction as the comparison it asks for | ``higher`` → ``≥`` |

Each shows ``—`` for no value.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale
from flask_login import current_user

from contracts.values import format_decimal, format_money
from portal.jsonio import round_half_up
from portal.labels import TEMPLATE_LABELS
from portal.pages import LanguageForm
from portal.permissions import can

NONE = "—"


def value(amount: Decimal | None) -> str:
    return NONE if amount is None else format_decimal(amount)


def precise(amount: Decimal | None) -> str:
    """To 4 places: a composed chain value of 99.8995 must not read as the 99.9 it misses."""
    if amount is None:
        return NONE
    return format_decimal(amount.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def rounded(amount: Decimal | None) -> str:
    return NONE if amount is None else format(round_half_up(amount), "f")


def number(amount: Decimal | None, places: int = 2) -> str:
    if amount is None:
        return NONE
    return format(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), ",f")


def money(amount: Decimal | None) -> str:
    return NONE if amount is None else format_money(amount)


def credits(amount: Decimal | None, currencies: set[str] | None) -> str:
    if amount is not None and currencies and len(currencies) == 1:
        return f"{number(amount)} {next(iter(currencies))}"
    return number(amount)


def sign(direction: str) -> str:
    return "≥" if direction == "higher" else "≤"


FILTERS: dict[str, Callable[..., str]] = {
    "value": value,
    "precise": precise,
    "rounded": rounded,
    "number": number,
    "money": money,
    "credits": credits,
    "sign": sign,
}


def _template_globals() -> dict[str, Any]:
    return {
        "can": lambda permission, obj=None: can(current_user, permission, obj),
        "languages": current_app.config["LANGUAGES"],
        "language_form": LanguageForm(),
        "get_locale": get_locale,
    }


def init_app(app: Flask) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    # A global, not a context variable: macros imported without context read it too.
    app.add_template_global(TEMPLATE_LABELS, "labels")
    app.context_processor(_template_globals)
