"""The audit trail: every write recorded in a hash chain (``trail``), verified on demand, shown
in the domain's words on the audit log pages (``views``), with figure samples for auditors."""

from __future__ import annotations

from flask import Blueprint

from portal.audit.trail import Actor, install, set_actor, verify

bp = Blueprint("auditlog", __name__)

from portal.audit import views  # noqa: E402, F401  (the audit log pages)

__all__ = ["Actor", "bp", "install", "set_actor", "verify"]
