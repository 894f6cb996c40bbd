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
    """Called back by the (C) encoder only for what JSON lacks: no Python walk over the rest."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            # float(str) of a value already rounded to 2 places is the nearest double to it,
            # so the JSON text is e.g. 66.67, never 66.66999999.
            return float(round_half_up(o))
        if isinstance(o, datetime | date):
            return o.isoformat()
        return super().default(o)


def dumps(value: Any, **kwargs: Any) -> str:
    kwargs.setdefault("ensure_ascii", False)
    kwargs.setdefault("cls", _Encoder)
    return json.dumps(value, **kwargs)


class UnderpinJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("sort_keys", self.sort_keys)
        return dumps(obj, **kwargs)


def init_app(app: Flask) -> None:
    app.json_provider_class = UnderpinJSONProvider
    app.json = UnderpinJSONProvider(app)
