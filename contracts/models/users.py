"""The portal's users and their API tokens: people the domain names as owners, authors,
reviewers and submitters, so their table belongs to the domain.

``User`` answers what Flask-Login asks of a user (``is_authenticated``, ``is_active``,
``is_anonymous``, ``get_id``) with plain properties, so nothing here imports the web layer.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.db import Base, utcnow
from contracts.models._checks import one_of

if TYPE_CHECKING:
    from contracts.models.suppliers import Supplier

ROLES = ("admin", "vendor_manager", "procurement", "auditor", "supplier")
STAFF_ROLES = ("admin", "vendor_manager", "procurement", "auditor")
LANGUAGES = ("en", "zh_Hans_CN")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        one_of("role", ROLES, "role"),
        CheckConstraint(
            "(role = 'supplier' AND supplier_id IS NOT NULL)"
            " OR (role <> 'supplier' AND supplier_id IS NULL)",
            name="supplier_binding",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(20))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(12))
    # Bumped on deactivation and password reset: every session cookie carries it, so old
    # sessions stop working at once (no server-side session store needed).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    supplier: Mapped[Supplier | None] = relationship(foreign_keys=[supplier_id])
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.id")

    # Two objects of the same user (from two sessions) are the same user, as Flask-Login's
    # UserMixin has it; hashing stays by identity.
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self.get_id() == other.get_id()
        return NotImplemented

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_authenticated(self) -> bool:  # Flask-Login: a deactivated user is signed out
        return self.active

    @property
    def is_anonymous(self) -> bool:  # Flask-Login
        return False

    def get_id(self) -> str:  # Flask-Login: the session remembers id and session version
        return f"{self.id}:{self.session_version}"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.user.active

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}…>"
