"""The supply chain: alignment drawn as a picture, and the what-if panel."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("chain", __name__)

from portal.chain import views  # noqa: E402, F401  (the chain page)
