"""Forms of the registers. They only read input; the rules live in ``contracts.registers``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from contracts.models import COMPOSITIONS, DIRECTIONS, SUPPLIER_CATEGORIES, SUPPLIER_KINDS
from contracts.registers import ContactFields, MetricFields, SupplierFields
from contracts.values import InvalidValue, format_decimal, parse_decimal
from portal import labels


def _choices(words: dict[str, Any], values: tuple[str, ...]) -> list[SelectChoice]:
    return [SelectChoice(value, words[value]) for value in values]


def _decimal_text(form: FlaskForm, field: Field) -> None:
    if (field.data or "").strip():
        try:
            parse_decimal(field.data.strip())
        except InvalidValue as error:
            raise ValidationError(str(error.message)) from None


def _decimal(text: str | None) -> Decimal | None:
    return parse_decimal(text.strip()) if (text or "").strip() else None


def _shown(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else ""


class CodeNameForm(FlaskForm):
    code = StringField(_l("Code"))
    name = StringField(_l("Name"))


class MetricForm(CodeNameForm):
    unit = StringField(_l("Unit"))
    direction = SelectField(
        _l("Direction"),
        choices=lambda: _choices(labels.DIRECTION, DIRECTIONS),
        validate_choice=False,
    )
    composition = SelectField(
        _l("Composition along a chain"),
        choices=lambda: _choices(labels.COMPOSITION, COMPOSITIONS),
        validate_choice=False,
    )
    description = TextAreaField(_l("Description"))
    min_value = StringField(_l("Lowest sane value"), validators=[_decimal_text])
    max_value = StringField(_l("Highest sane value"), validators=[_decimal_text])

    @staticmethod
    def data_of(metric: Any) -> dict[str, Any]:
        return {
            "name": metric.name,
            "unit": metric.unit,
            "direction": metric.direction,
            "composition": metric.composition,
            "description": metric.description,
            "min_value": _shown(metric.min_value),
            "max_value": _shown(metric.max_value),
        }

    def fields(self) -> MetricFields:
        return MetricFields(
            name=self.name.data,
            unit=self.unit.data,
            direction=self.direction.data,
            composition=self.composition.data,
            description=self.description.data,
            min_value=_decimal(self.min_value.data),
            max_value=_decimal(self.max_value.data),
        )


class SupplierForm(CodeNameForm):
    kind = SelectField(
        _l("Kind"),
        choices=lambda: _choices(labels.SUPPLIER_KIND, SUPPLIER_KINDS),
        validate_choice=False,
    )
    category = SelectField(
        _l("Category"),
        choices=lambda: _choices(labels.SUPPLIER_CATEGORY, SUPPLIER_CATEGORIES),
        validate_choice=False,
    )
    owner = SelectField(_l("Owner"), choices=[], validate_choice=False)
    notes = TextAreaField(_l("Notes"))

    @staticmethod
    def data_of(supplier: Any) -> dict[str, Any]:
        return {
            "name": supplier.name,
            "kind": supplier.kind,
            "category": supplier.category,
            "owner": supplier.owner.email if supplier.owner else "",
            "notes": supplier.notes,
        }

    def set_owners(self, owners: list[Any]) -> None:
        self.owner.choices = [SelectChoice("", "—")] + [
            SelectChoice(user.email, f"{user.display_name} · {user.email}") for user in owners
        ]

    def fields(self) -> SupplierFields:
        return SupplierFields(
            name=self.name.data,
            kind=self.kind.data,
            category=self.category.data,
            owner=self.owner.data,
            notes=self.notes.data,
        )


class ContactForm(FlaskForm):
    name = StringField(_l("Name"))
    role = StringField(_l("Role"))
    email = StringField(_l("E-mail"))
    phone = StringField(_l("Phone"))

    @staticmethod
    def data_of(contact: Any) -> dict[str, Any]:
        return {key: getattr(contact, key) for key in ("name", "role", "email", "phone")}

    def fields(self) -> ContactFields:
        return ContactFields(
            name=self.name.data, role=self.role.data, email=self.email.data, phone=self.phone.data
        )
