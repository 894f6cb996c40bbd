"""The audit log's tables: the hash-chained entries and the chain's head."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from contracts.db import Base
from contracts.models._checks import one_of


class AuditEntry(Base):
    """One recorded write. ``hash`` covers the entry's content and the previous entry's hash."""

    __tablename__ = "audit_log"
    __table_args__ = (
        one_of("action", ("insert", "update", "delete"), "action"),
        Index("ix_audit_log_entity", "entity", "entity_id"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_user_id: Mapped[int | None] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(300))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(6))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEntry {self.seq} {self.action} {self.entity}:{self.entity_id}>"


class AuditHead(Base):
    """A single row: the chain's last sequence number and hash; locked by each writer."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))
