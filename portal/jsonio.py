"""JSON as the spec wants it: Chinese as text, ISO 8601 dates, decimals as numbers."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

CENT = Decimal("0.01")


def round_half_up(value: Decimal) -> Decimal:
    """SPEC 3: JSON carries numbers rounded half-up to 2 decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return o.isoformat()
        if isinstance(o, date):
            return o.isoformat()
        return super().default(o)


def _decimal_to_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        # float(str) of a value already rounded to 2 places is the nearest double to it, so
        # the JSON text is e.g. 66.67, never 66.66999999.
        return float(round_half_up(value))
    if isinstance(value, dict):
        return {key: _decimal_to_number(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_decimal_to_number(item) for item in value]
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    kwargs.setdefault("ensure_ascii", False)
    kwargs.setdefault("cls", _Encoder)
    return json.dumps(_decimal_to_number(value), **kwargs)


class UnderpinJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("sort_keys", self.sort_keys)
        return dumps(obj, **kwargs)


def init_app(app: Flask) -> None:
    app.json_provider_class = UnderpinJSONProvider
    app.json = UnderpinJSONProvider(app)
