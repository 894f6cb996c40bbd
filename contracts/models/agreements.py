from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.db import Base, money_type, pct_type, value_type, weight_type
from contracts.models._checks import one_of
from contracts.models.reference import Customer, Metric, Service
from contracts.models.suppliers import Supplier

if TYPE_CHECKING:
    from contracts.models.governance import ChangeRecord, Dispute, ImprovementAction, Review
    from contracts.models.users import User

AGREEMENT_KINDS = ("sla", "underpinning", "ola", "subcontract")
SUPPLIER_AGREEMENT_KINDS = ("underpinning", "ola", "subcontract")
AGREEMENT_STATUSES = ("draft", "active", "under_review", "expired", "terminated")
# In force: signed and not ended. Reviewed, under change control, on the dashboard's deadlines.
IN_FORCE_STATUSES = ("active", "under_review")

# What ISO/IEC 20000-1 (8.2.3.4 / 8.3.4) expects a supplier contract to state, in page order.
CONTRACT_CONTENTS = (
    "scope",
    "requirements",
    "responsibilities",
    "interfaces",
    "dependencies",
    "workload",
    "exceptions",
    "reporting",
    "charging",
    "termination",
)

agreement_services = Table(
    "agreement_services",
    Base.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True, index=True),
)


class Agreement(Base):
    __tablename__ = "agreements"
    __table_args__ = (
        one_of("kind", AGREEMENT_KINDS, "kind"),
        one_of("status", AGREEMENT_STATUSES, "status"),
        CheckConstraint('"end" >= start', name="term"),
        CheckConstraint(
            "(kind = 'sla' AND customer_id IS NOT NULL AND supplier_id IS NULL)"
            " OR (kind <> 'sla' AND supplier_id IS NOT NULL AND customer_id IS NULL)",
            name="party",
        ),
        CheckConstraint(
            "(kind = 'subcontract' AND parent_id IS NOT NULL)"
            " OR (kind <> 'subcontract' AND parent_id IS NULL)",
            name="parent",
        ),
        CheckConstraint("notice_days >= 0", name="notice_days"),
        CheckConstraint("renewal_months IS NULL OR renewal_months > 0", name="renewal_months"),
        CheckConstraint("review_months IS NULL OR review_months > 0", name="review_months"),
        CheckConstraint("monthly_charge >= 0", name="monthly_charge"),
        CheckConstraint(
            "credit_cap_pct IS NULL OR (credit_cap_pct >= 0 AND credit_cap_pct <= 100)",
            name="credit_cap_pct",
        ),
        CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(300))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    start: Mapped[date]
    end: Mapped[date]
    notice_days: Mapped[int] = mapped_column(default=0)
    auto_renew: Mapped[bool] = mapped_column(default=False)
    renewal_months: Mapped[int | None]
    review_months: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    monthly_charge: Mapped[Decimal] = mapped_column(money_type(), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    credit_cap_pct: Mapped[Decimal | None] = mapped_column(pct_type())

    # ISO/IEC 20000-1 contract contents (CONTRACT_CONTENTS), free text.
    scope: Mapped[str] = mapped_column(default="")
    requirements: Mapped[str] = mapped_column(default="")
    responsibilities: Mapped[str] = mapped_column(default="")
    interfaces: Mapped[str] = mapped_column(default="")
    dependencies: Mapped[str] = mapped_column(default="")
    workload: Mapped[str] = mapped_column(default="")
    exceptions: Mapped[str] = mapped_column(default="")
    reporting: Mapped[str] = mapped_column(default="")
    charging: Mapped[str] = mapped_column(default="")
    termination: Mapped[str] = mapped_column(default="")

    customer: Mapped[Customer | None] = relationship()
    supplier: Mapped[Supplier | None] = relationship(back_populates="agreements")
    parent: Mapped[Agreement | None] = relationship(remote_side=[id], back_populates="subcontracts")
    subcontracts: Mapped[list[Agreement]] = relationship(
        back_populates="parent", order_by="Agreement.ref"
    )
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    services: Mapped[list[Service]] = relationship(
        secondary=agreement_services, order_by=Service.code
    )
    targets: Mapped[list[Target]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Target.id"
    )
    changes: Mapped[list[ChangeRecord]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="ChangeRecord.id"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Review.held_on"
    )
    disputes: Mapped[list[Dispute]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Dispute.id"
    )
    actions: Mapped[list[ImprovementAction]] = relationship(
        back_populates="agreement", order_by="ImprovementAction.id"
    )

    @property
    def party(self) -> Customer | Supplier | None:
        return self.customer if self.kind == "sla" else self.supplier

    @hybrid_property
    def in_force(self) -> bool:
        return self.status in IN_FORCE_STATUSES

    @in_force.inplace.expression
    @classmethod
    def _in_force_expression(cls) -> ColumnElement[bool]:
        return cls.status.in_(IN_FORCE_STATUSES)

    @property
    def is_supplier_agreement(self) -> bool:
        return self.kind in SUPPLIER_AGREEMENT_KINDS

    def __repr__(self) -> str:
        return f"<Agreement {self.ref}>"


class Target(Base):
    """A measurable obligation; identified by (agreement ref, metric code, service code)."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("agreement_id", "metric_id", "service_id"),
        CheckConstraint("weight > 0", name="weight"),
        CheckConstraint("credit_pct >= 0 AND credit_pct <= 100", name="credit_pct"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), index=True
    )
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    target: Mapped[Decimal] = mapped_column(value_type())
    weight: Mapped[Decimal] = mapped_column(weight_type(), default=Decimal("1"))
    credit_pct: Mapped[Decimal] = mapped_column(pct_type(), default=Decimal("0"))

    agreement: Mapped[Agreement] = relationship(back_populates="targets")
    metric: Mapped[Metric] = relationship()
    service: Mapped[Service] = relationship()
    # Links where this target is the one underpinned (S) / the one underpinning (U).
    underpinned_by: Mapped[list[Link]] = relationship(
        foreign_keys="Link.upper_id", back_populates="upper", cascade="all, delete-orphan"
    )
    underpins: Mapped[list[Link]] = relationship(
        foreign_keys="Link.lower_id", back_populates="lower", cascade="all, delete-orphan"
    )

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.agreement.ref, self.metric.code, self.service.code)

    @property
    def label(self) -> str:
        return f"{self.agreement.ref} {self.metric.code}/{self.service.code}"

    def __repr__(self) -> str:
        return f"<Target {self.id}>"


class Link(Base):
    """Target ``lower`` (U, on a supplier agreement) underpins target ``upper`` (S)."""

    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("upper_id", "lower_id"),
        CheckConstraint("upper_id <> lower_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upper_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    lower_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    group: Mapped[str | None] = mapped_column(String(40))

    upper: Mapped[Target] = relationship(foreign_keys=[upper_id], back_populates="underpinned_by")
    lower: Mapped[Target] = relationship(foreign_keys=[lower_id], back_populates="underpins")

    def __repr__(self) -> str:
        return f"<Link {self.lower_id}->{self.upper_id}>"
