"""Checks of what people enter in the governance forms: titles, free text, a month, a choice.

Each returns the cleaned value or raises a ``DomainError`` on its field.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from contracts.errors import DomainError
from contracts.periods import parse_period
from contracts.values import InvalidValue

TITLE_MAX = 300
TEXT_MAX = 20_000


def title(entered: str | None) -> str:
    entered = (entered or "").strip()
    if not entered:
        raise DomainError(_l("Enter a title."), "title")
    if len(entered) > TITLE_MAX:
        raise DomainError(_l("At most %(max)d characters.", max=TITLE_MAX), "title")
    return entered


def text(entered: str | None, field: str) -> str:
    entered = (entered or "").strip()
    if len(entered) > TEXT_MAX:
        raise DomainError(_l("At most %(max)d characters.", max=TEXT_MAX), field)
    return entered


def month(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return parse_period(raw.strip())
    except InvalidValue as error:
        raise DomainError(_l("Enter the month as YYYY-MM, such as 2026-07."), "period") from error


def required(value: object, message: object, field: str) -> None:
    if value is None:
        raise DomainError(message, field)


def one_of(value: str, choices: tuple[str, ...], message: object, field: str) -> None:
    if value not in choices:
        raise DomainError(message, field)
