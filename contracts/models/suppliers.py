from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.db import Base
from contracts.models._checks import one_of

if TYPE_CHECKING:
    from contracts.models.agreements import Agreement
    from contracts.models.users import User

SUPPLIER_KINDS = ("external", "internal")
SUPPLIER_CATEGORIES = ("strategic", "tactical", "operational", "commodity")


class Supplier(Base):
    __tablename__ = "suppliers"
    __table_args__ = (
        one_of("kind", SUPPLIER_KINDS, "kind"),
        one_of("category", SUPPLIER_CATEGORIES, "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(12))
    # The vendor manager who owns the relationship (ISO/IEC 20000-1 wants a named person).
    # use_alter: users and suppliers refer to each other, so this key is added after both.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True), index=True)
    notes: Mapped[str] = mapped_column(default="")

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    contacts: Mapped[list[SupplierContact]] = relationship(
        back_populates="supplier",
        cascade="all, delete-orphan",
        order_by="SupplierContact.position",
    )
    agreements: Mapped[list[Agreement]] = relationship(back_populates="supplier")

    def __repr__(self) -> str:
        return f"<Supplier {self.code}>"


class SupplierContact(Base):
    __tablename__ = "supplier_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")

    supplier: Mapped[Supplier] = relationship(back_populates="contacts")

    def __repr__(self) -> str:
        return f"<SupplierContact {self.name}>"
