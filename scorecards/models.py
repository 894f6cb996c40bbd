"""Monthly figures. A figure is never overwritten: each submission is a new revision."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.db import Base, utcnow, value_type
from contracts.models import Target, User
from contracts.models._checks import one_of

MEASUREMENT_STATUSES = ("submitted", "accepted", "rejected")


class Evidence(Base):
    """An uploaded evidence file, kept in the database so app servers stay stateless."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<Evidence {self.filename}>"


class Measurement(Base):
    """One revision of a supplier's figure for a target and a month (``period``, YYYY-MM).

    The current value of a (target, period) is its latest revision that is not rejected.
    """

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("target_id", "period", "revision"),
        one_of("status", MEASUREMENT_STATUSES, "status"),
        Index("ix_measurements_period_target", "period", "target_id"),
        Index("ix_measurements_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(default=1)
    value: Mapped[Decimal] = mapped_column(value_type())
    comment: Mapped[str] = mapped_column(default="")
    status: Mapped[str] = mapped_column(String(10), default="submitted")
    reject_reason: Mapped[str] = mapped_column(default="")
    late: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True)

    target: Mapped[Target] = relationship()
    evidence: Mapped[Evidence | None] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    def __repr__(self) -> str:
        return f"<Measurement {self.target_id} {self.period} r{self.revision}>"
