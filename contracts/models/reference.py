from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from contracts.db import Base, value_type
from contracts.models._checks import one_of

DIRECTIONS = ("higher", "lower")
COMPOSITIONS = ("product", "sum", "weakest")


class Metric(Base):
    """A KPI definition; ``min_value``/``max_value`` override the sane range its unit implies."""

    __tablename__ = "metrics"
    __table_args__ = (
        one_of("direction", DIRECTIONS, "direction"),
        one_of("composition", COMPOSITIONS, "composition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20), default="")
    direction: Mapped[str] = mapped_column(String(10))
    composition: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(default="")
    min_value: Mapped[Decimal | None] = mapped_column(value_type())
    max_value: Mapped[Decimal | None] = mapped_column(value_type())

    def __repr__(self) -> str:
        return f"<Metric {self.code}>"


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Customer {self.code}>"


class Service(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Service {self.code}>"
