"""Change control, reviews, disputes and improvement actions on agreements."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ColumnElement, ForeignKey, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.db import Base, utcnow
from contracts.models._checks import one_of
from contracts.models.agreements import Agreement, Target

if TYPE_CHECKING:
    from contracts.models.users import User

REVIEW_OUTCOMES = ("satisfactory", "improvement_needed", "unsatisfactory")
DISPUTE_STATUSES = ("open", "in_progress", "resolved", "closed")
ACTION_STATUSES = ("open", "in_progress", "done", "cancelled")
ACTION_SOURCES = ("manual", "scorecard", "review", "dispute", "audit")
# Open: a dispute or an action still being worked on.
OPEN_STATUSES = ("open", "in_progress")


class ChangeRecord(Base):
    """One approved change to an agreement; ``changes`` lists each field before and after."""

    __tablename__ = "change_records"
    __table_args__ = (CheckConstraint("version >= 1", name="version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str]
    impact: Mapped[str]
    approver: Mapped[str] = mapped_column(String(200))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    agreement: Mapped[Agreement] = relationship(back_populates="changes")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    def __repr__(self) -> str:
        return f"<ChangeRecord {self.agreement_id} v{self.version}>"


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (one_of("outcome", REVIEW_OUTCOMES, "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agreement: Mapped[Agreement] = relationship(back_populates="reviews")
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])

    def __repr__(self) -> str:
        return f"<Review {self.agreement_id} {self.held_on}>"


class Dispute(Base):
    __tablename__ = "disputes"
    __table_args__ = (one_of("status", DISPUTE_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_on: Mapped[date]
    resolution: Mapped[str] = mapped_column(default="")
    closed_on: Mapped[date | None]

    agreement: Mapped[Agreement] = relationship(back_populates="disputes")
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    messages: Mapped[list[DisputeMessage]] = relationship(
        back_populates="dispute", cascade="all, delete-orphan", order_by="DisputeMessage.id"
    )

    @hybrid_property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @is_open.inplace.expression
    @classmethod
    def _is_open_expression(cls) -> ColumnElement[bool]:
        return cls.status.in_(OPEN_STATUSES)

    def __repr__(self) -> str:
        return f"<Dispute {self.id}>"


class DisputeMessage(Base):
    """A reply in a dispute's thread, by the vendor manager or the supplier's staff."""

    __tablename__ = "dispute_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        ForeignKey("disputes.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str]

    dispute: Mapped[Dispute] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ImprovementAction(Base):
    """An entry of the service improvement plan, optionally tied to a missed target-month."""

    __tablename__ = "improvement_actions"
    __table_args__ = (
        one_of("status", ACTION_STATUSES, "status"),
        one_of("source", ACTION_SOURCES, "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("targets.id", ondelete="SET NULL"), index=True
    )
    period: Mapped[str | None] = mapped_column(String(7))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default="open")
    source: Mapped[str] = mapped_column(String(12), default="manual")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement | None] = relationship(back_populates="actions")
    target: Mapped[Target | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @hybrid_property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @is_open.inplace.expression
    @classmethod
    def _is_open_expression(cls) -> ColumnElement[bool]:
        return cls.status.in_(OPEN_STATUSES)

    def __repr__(self) -> str:
        return f"<ImprovementAction {self.id}>"
