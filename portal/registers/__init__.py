"""Registers: metrics, customers, services and suppliers (list, page, forms)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

from contracts.values import sane_range
from portal.permissions import can

bp = Blueprint("registers", __name__)


@bp.before_request
@login_required
def _readers_only() -> None:
    if not can(current_user, "view_contracts"):
        abort(403)


@bp.context_processor
def _register_helpers() -> dict[str, object]:
    return {"sane_range": sane_range}


from portal.registers import reference, suppliers  # noqa: E402, F401  (the register pages)
