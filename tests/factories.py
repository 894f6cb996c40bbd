"""Small factories for tests: each makes a valid object with sensible defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from contracts import accounts
from contracts.models import Agreement, Customer, Link, Metric, Service, Supplier, Target, User
from scorecards.models import Measurement

_serial = count(1)


class Factory:
    PASSWORD = "correct horse battery"

    def __init__(self, session: Session) -> None:
        self.session = session

    def _add(self, obj):  # noqa: ANN001, ANN202
        self.session.add(obj)
        self.session.flush()
        return obj

    def user(
        self,
        role: str = "vendor_manager",
        supplier: Supplier | None = None,
        email: str | None = None,
    ) -> User:
        email = email or f"{role}{next(_serial)}@example.com"
        return accounts.create_user(
            self.session,
            email,
            role,
            self.PASSWORD,
            supplier_code=supplier.code if supplier else None,
        )

    def metric(
        self,
        code: str | None = None,
        direction: str = "higher",
        composition: str = "product",
        unit: str = "%",
    ) -> Metric:
        code = code or f"M{next(_serial)}"
        return self._add(
            Metric(
                code=code,
                name=code.title(),
                unit=unit,
                direction=direction,
                composition=composition,
            )
        )

    def customer(self, code: str | None = None, name: str = "Acme") -> Customer:
        return self._add(Customer(code=code or f"C{next(_serial)}", name=name))

    def service(self, code: str | None = None, name: str = "CRM") -> Service:
        return self._add(Service(code=code or f"S{next(_serial)}", name=name))

    def supplier(
        self,
        code: str | None = None,
        name: str = "CloudCo",
        kind: str = "external",
        category: str = "strategic",
    ) -> Supplier:
        return self._add(
            Supplier(code=code or f"SUP{next(_serial)}", name=name, kind=kind, category=category)
        )

    def agreement(
        self,
        kind: str = "underpinning",
        *,
        supplier: Supplier | None = None,
        customer: Customer | None = None,
        parent: Agreement | None = None,
        services: list[Service] | None = None,
        status: str = "active",
        ref: str | None = None,
        start: date = date(2026, 1, 1),
        end: date = date(2026, 12, 31),
        **fields: object,
    ) -> Agreement:
        if kind == "sla":
            customer = customer or self.customer()
        else:
            supplier = supplier or self.supplier()
        agreement = Agreement(
            ref=ref or f"{kind.upper()}-{next(_serial)}",
            kind=kind,
            title=f"{kind} agreement",
            customer=customer,
            supplier=supplier if kind != "sla" else None,
            parent=parent,
            status=status,
            start=start,
            end=end,
            services=services if services is not None else [self.service()],
            **fields,
        )
        return self._add(agreement)

    def target(
        self,
        agreement: Agreement,
        metric: Metric,
        value: str = "99.9",
        *,
        service: Service | None = None,
        weight: str = "1",
        credit_pct: str = "0",
    ) -> Target:
        return self._add(
            Target(
                agreement=agreement,
                metric=metric,
                service=service or agreement.services[0],
                target=Decimal(value),
                weight=Decimal(weight),
                credit_pct=Decimal(credit_pct),
            )
        )

    def link(self, lower: Target, upper: Target, group: str | None = None) -> Link:
        return self._add(Link(lower=lower, upper=upper, group=group))

    def measurement(
        self,
        target: Target,
        period: str,
        value: str,
        *,
        status: str = "accepted",
        revision: int = 1,
    ) -> Measurement:
        return self._add(
            Measurement(
                target=target, period=period, value=Decimal(value), status=status, revision=revision
            )
        )
