"""Operations on users and API tokens. They validate, write and flush; the caller commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from contracts.db import utcnow
from contracts.errors import DomainError
from contracts.models import LANGUAGES, ROLES, ApiToken, Supplier, User

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "upn_"
PASSWORD_METHOD = "scrypt"  # werkzeug's default; the test suite swaps in a cheap one


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(_l("Not a valid e-mail address."), "email") from exc


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            "password",
        )


def _resolve_supplier(session: Session, role: str, supplier_code: str | None) -> Supplier | None:
    if role not in ROLES:
        raise DomainError(
            _l("Unknown role %(role)s; use one of: %(roles)s.", role=role, roles=", ".join(ROLES)),
            "role",
        )
    if role != "supplier":
        if supplier_code:
            raise DomainError(_l("Only a supplier user is bound to a supplier."), "supplier")
        return None
    if not supplier_code:
        raise DomainError(_l("A supplier user must be bound to a supplier."), "supplier")
    supplier = session.scalar(select(Supplier).where(Supplier.code == supplier_code))
    if supplier is None:
        raise DomainError(_l("Unknown supplier %(code)s.", code=supplier_code), "supplier")
    return supplier


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    session: Session,
    email: str,
    role: str,
    password: str,
    *,
    supplier_code: str | None = None,
    name: str = "",
    language: str | None = None,
) -> User:
    email = normalise_email(email)
    supplier = _resolve_supplier(session, role, supplier_code)
    check_password_rules(password)
    if find_user(session, email) is not None:
        raise DomainError(_l("A user with e-mail %(email)s exists already.", email=email), "email")
    if language is not None and language not in LANGUAGES:
        raise DomainError(_l("Unknown language %(language)s.", language=language), "language")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        supplier=supplier,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        language=language,
    )
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    user: User,
    *,
    role: str,
    supplier_code: str | None,
    name: str,
    actor: User | None = None,
) -> None:
    """Change a user's role, supplier and name; ``actor`` is who does it (``None``: the CLI)."""
    supplier = _resolve_supplier(session, role, supplier_code)
    if user.role == "admin" and role != "admin":
        if actor is not None and actor.id == user.id:
            raise DomainError(
                _l(
                    "You cannot take the administrator role from yourself: "
                    "another administrator must."
                ),
                "role",
            )
        _keep_an_active_admin(session, user, "role")
    user.role, user.supplier, user.name = role, supplier, name.strip()
    session.flush()


def _keep_an_active_admin(session: Session, user: User, field: str) -> None:
    """Refuse a change that would take the last active administrator away from the portal."""
    if not user.active:
        return
    # Locked (on PostgreSQL), so two administrators retiring each other at once cannot both
    # succeed: the second waits and then no longer counts the first.
    others = session.scalars(
        select(User.id)
        .where(User.role == "admin", User.active.is_(True), User.id != user.id)
        .with_for_update()
    ).all()
    if not others:
        raise DomainError(
            _l(
                "%(email)s is the last active administrator: the portal needs one. "
                "Make another user an administrator first.",
                email=user.email,
            ),
            field,
        )


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Set a new password; every other session of the user ends."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    user.session_version += 1
    session.flush()


def set_active(session: Session, user: User, active: bool, *, actor: User | None = None) -> None:
    """Deactivating ends the user's sessions and stops its tokens at once."""
    if not active and user.active:
        if actor is not None and actor.id == user.id:
            raise DomainError(_l("You cannot deactivate yourself."), "active")
        if user.role == "admin":
            _keep_an_active_admin(session, user, "active")
    user.active = active
    user.session_version += 1
    session.flush()


def set_language(session: Session, user: User, language: str) -> None:
    if language not in LANGUAGES:
        raise DomainError(_l("Unknown language %(language)s.", language=language), "language")
    user.language = language
    session.flush()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(session: Session, user: User, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise DomainError(_l("A token needs a name."), "name")
    if len(name) > 100:
        raise DomainError(_l("A token name has at most 100 characters."), "name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_hash_token(secret), prefix=secret[:10])
    session.add(token)
    session.flush()
    return IssuedToken(token, secret)


def revoke_token(session: Session, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()


def user_for_token(session: Session, secret: str) -> tuple[User, ApiToken] | None:
    """The live token's user, or ``None`` for an unknown, revoked or deactivated one."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(secret)))
    if token is None or not token.is_live:
        return None
    return token.user, token
