"""The API texts extractor: what the OpenAPI document says in English reaches the catalogue."""

from __future__ import annotations

import io

from portal.i18n.extract import api_texts, extract_api_texts

SOURCE = '''
from flask_babel import lazy_gettext as _l
blp = Blueprint("things", __name__, description="Things you may see")


class ThingSchema(Schema):
    code = fields.String(metadata={"description": "Thing code"})


@blp.route("")
def list_things():
    """Every thing, by code.

    A supplier's token sees its own things only.
    """
    return _l("a message")


def helper():
    """Not an endpoint."""
'''


def test_endpoint_docstrings_and_descriptions_are_found():
    assert sorted(text for _line, text in api_texts(SOURCE)) == [
        "A supplier's token sees its own things only.",
        "Every thing, by code.",
        "Thing code",
        "Things you may see",
    ]


def test_gettext_calls_are_still_extracted():
    found = list(extract_api_texts(io.BytesIO(SOURCE.encode()), ["_l"], [], {"encoding": "utf-8"}))
    assert "a message" in [message for _line, _function, message, _comments in found]
