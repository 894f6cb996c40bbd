"""Scoped loaders: every object a page or an endpoint is about, fetched through what the
current user may see (404 when it is out of reach, never a hint that it exists), and the
permission check that answers 403."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from contracts.models import Agreement, Supplier, User
from portal.extensions import db
from portal.permissions import agreement_scope, can, supplier_scope


def acting_user() -> User:
    """The signed-in user itself (not Flask-Login's proxy), for a domain operation's ``actor``."""
    return current_user._get_current_object()


def require(permission: str, obj: Any = None) -> None:
    """403 unless the current user may ``permission`` (on ``obj``)."""
    if not can(current_user, permission, obj):
        abort(403)


def first_or_404(statement: Select[Any]) -> Any:
    found = db.session.scalar(statement)
    if found is None:
        abort(404)
    return found


def visible_supplier(user: Any, code: str) -> Supplier | None:
    """The supplier with this code, if ``user`` may see it (``None`` otherwise)."""
    return db.session.scalar(select(Supplier).where(Supplier.code == code, supplier_scope(user)))


def supplier_or_404(code: str) -> Supplier:
    """The supplier, if the current user may see it; 404 otherwise, whatever the code."""
    return first_or_404(select(Supplier).where(Supplier.code == code, supplier_scope(current_user)))


def find_agreement(ref: str) -> Agreement | None:
    """The agreement ``ref`` within the current user's scope, or ``None``."""
    if not ref:
        return None
    return db.session.scalar(
        select(Agreement).where(Agreement.ref == ref, agreement_scope(current_user))
    )


def agreement_or_404(ref: str) -> Agreement:
    """The agreement ``ref`` if the current user may see it, else 404."""
    agreement = find_agreement(ref)
    if agreement is None or not can(current_user, "view_contracts", agreement):
        abort(404)
    return agreement


def editable_agreement(ref: str) -> Agreement:
    """The agreement ``ref`` if the current user may change it: 404 out of sight, else 403."""
    agreement = agreement_or_404(ref)
    if not can(current_user, "edit_contracts", agreement):
        abort(403)
    return agreement
