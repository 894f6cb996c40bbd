"""The checks of an agreement's terms: every problem at once, each beside its field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from contracts.db import MONEY_DIGITS, PCT_DIGITS
from contracts.errors import DomainError, check_all
from contracts.models import Agreement
from contracts.values import InvalidValue, parse_currency, parse_decimal

if TYPE_CHECKING:
    from contracts.agreements import AgreementTerms

TITLE_LENGTH = 300


def check_terms(kind: str, terms: AgreementTerms, agreement: Agreement | None) -> None:
    """Every problem of the terms at once, each beside its field."""
    check_all(
        lambda: _check_title(terms),
        lambda: _check_party(kind, terms),
        lambda: _check_parent(kind, terms, agreement),
        lambda: _check_dates(terms),
        lambda: _check_renewal(terms),
        lambda: _check_commercial(terms),
        lambda: _check_services(terms, agreement),
    )


def _check_title(terms: AgreementTerms) -> None:
    if not (terms.title or "").strip():
        raise DomainError(_l("Give the agreement a title."), "title")
    if len(terms.title.strip()) > TITLE_LENGTH:
        raise DomainError(_l("must be at most %(count)d characters", count=TITLE_LENGTH), "title")


def _check_dates(terms: AgreementTerms) -> None:
    def start() -> None:
        if terms.start is None:
            raise DomainError(_l("Give the start date."), "start")

    def end() -> None:
        if terms.end is None:
            raise DomainError(_l("Give the end date."), "end")
        if terms.start is not None and terms.end < terms.start:
            raise DomainError(
                _l("The agreement ends before it starts (%(start)s).", start=terms.start), "end"
            )

    check_all(start, end)


def _check_party(kind: str, terms: AgreementTerms) -> None:
    if kind == "sla":
        if terms.customer is None:
            raise DomainError(_l("A customer SLA's party is a customer: choose one."), "customer")
        if terms.supplier is not None:
            raise DomainError(
                _l("A customer SLA's party is a customer, not a supplier."), "supplier"
            )
        return
    if terms.supplier is None:
        raise DomainError(_l("The party of this agreement is a supplier: choose one."), "supplier")
    if terms.customer is not None:
        raise DomainError(
            _l("The party of this agreement is a supplier, not a customer."), "customer"
        )
    if kind == "ola" and terms.supplier.kind != "internal":
        raise DomainError(
            _l(
                "%(name)s is an external supplier; an OLA is made with an internal supplier.",
                name=terms.supplier.name,
            ),
            "supplier",
        )
    if kind != "ola" and terms.supplier.kind != "external":
        raise DomainError(
            _l(
                "%(name)s is an internal supplier; use an OLA, or choose an external supplier.",
                name=terms.supplier.name,
            ),
            "supplier",
        )


def _check_parent(kind: str, terms: AgreementTerms, agreement: Agreement | None) -> None:
    parent = terms.parent
    if kind != "subcontract":
        if parent is not None:
            raise DomainError(_l("Only a sub-contract has a parent agreement."), "parent")
        return
    if parent is None:
        raise DomainError(
            _l(
                "A sub-contract is placed under the lead supplier's underpinning contract: "
                "choose it."
            ),
            "parent",
        )
    if parent.kind != "underpinning" or (agreement is not None and parent.id == agreement.id):
        raise DomainError(
            _l(
                "%(ref)s is not an underpinning contract; a sub-contract's parent must be one.",
                ref=parent.ref,
            ),
            "parent",
        )


def _check_renewal(terms: AgreementTerms) -> None:
    def notice() -> None:
        if terms.notice_days is None or terms.notice_days < 0:
            raise DomainError(_l("must be 0 or more days"), "notice_days")

    def renewal() -> None:
        if terms.renewal_months is not None and terms.renewal_months < 1:
            raise DomainError(_l("must be at least 1 month"), "renewal_months")
        if terms.auto_renew and terms.renewal_months is None:
            raise DomainError(
                _l("An agreement that renews itself needs the length of each renewal."),
                "renewal_months",
            )

    def review() -> None:
        if terms.review_months is not None and terms.review_months < 1:
            raise DomainError(_l("must be at least 1 month"), "review_months")

    check_all(notice, renewal, review)


def _check_commercial(terms: AgreementTerms) -> None:
    def charge() -> None:
        try:
            amount = parse_decimal(terms.monthly_charge, MONEY_DIGITS)
        except InvalidValue as error:
            raise DomainError(error.message, "monthly_charge") from None
        if amount < 0:
            raise DomainError(_l("must not be negative"), "monthly_charge")

    def currency() -> None:
        try:
            parse_currency(terms.currency)
        except InvalidValue as error:
            raise DomainError(error.message, "currency") from None

    def cap() -> None:
        if terms.credit_cap_pct is None:
            return
        try:
            value = parse_decimal(terms.credit_cap_pct, PCT_DIGITS)
        except InvalidValue as error:
            raise DomainError(error.message, "credit_cap_pct") from None
        if not 0 <= value <= 100:
            raise DomainError(_l("must be between 0 and 100"), "credit_cap_pct")

    check_all(charge, currency, cap)


def _check_services(terms: AgreementTerms, agreement: Agreement | None) -> None:
    if not terms.services:
        raise DomainError(_l("Choose at least one service in scope."), "services")
    if agreement is None:
        return
    kept = {service.id for service in terms.services}
    for target in agreement.targets:
        if target.service_id not in kept:
            raise DomainError(
                _l(
                    "Target %(target)s is for service %(service)s; remove the target first.",
                    target=target.label,
                    service=target.service.code,
                ),
                "services",
            )
