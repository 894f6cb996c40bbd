"""Forms of the agreement pages. Choices are filled by the views from scoped queries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from contracts.change_control import ChangeRequest
from contracts.models import CONTRACT_CONTENTS
from portal.labels import AGREEMENT_KIND, CONTRACT_CONTENT


class ChangeFields:
    """Reason, impact and approver: asked for on every change to an agreement in force."""

    reason = TextAreaField(_l("Reason for the change"), validators=[Optional()])
    impact = TextAreaField(_l("Impact assessment"), validators=[Optional()])
    approver = StringField(_l("Approved by"), validators=[Optional(), Length(max=200)])

    def change_request(self) -> ChangeRequest:
        return ChangeRequest(
            reason=self.reason.data or "",  # type: ignore[attr-defined]
            impact=self.impact.data or "",  # type: ignore[attr-defined]
            approver=self.approver.data or "",  # type: ignore[attr-defined]
        )


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AgreementForm(ChangeFields, FlaskForm):
    ref = StringField(_l("Reference"), validators=[DataRequired(), Length(max=60)])
    kind = SelectField(
        _l("Kind"),
        choices=lambda: [SelectChoice(kind, label) for kind, label in AGREEMENT_KIND.items()],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    customer = SelectField(_l("Customer"), choices=[], validate_choice=False)
    supplier = SelectField(_l("Supplier"), choices=[], validate_choice=False)
    parent = SelectField(_l("Parent agreement"), choices=[], validate_choice=False)
    owner = SelectField(_l("Owner"), choices=[], validate_choice=False)
    start = DateField(_l("Start"), validators=[InputRequired()])
    end = DateField(_l("End"), validators=[InputRequired()])
    notice_days = IntegerField(
        _l("Notice period (days)"), default=0, validators=[InputRequired(), NumberRange(min=0)]
    )
    auto_renew = BooleanField(_l("Renews automatically"))
    renewal_months = IntegerField(
        _l("Renewal term (months)"), validators=[Optional(), NumberRange(min=1)]
    )
    review_months = IntegerField(
        _l("Review interval (months)"), validators=[Optional(), NumberRange(min=1)]
    )
    services = CheckboxesField(_l("Services in scope"), choices=[], coerce=str)
    monthly_charge = DecimalField(
        _l("Monthly charge"), default=0, places=None, validators=[InputRequired()]
    )
    currency = StringField(_l("Currency"), default="USD", validators=[DataRequired(), Length(3, 3)])
    credit_cap_pct = DecimalField(
        _l("Credit cap (percentage of the monthly charge)"), places=None, validators=[Optional()]
    )
    scope = TextAreaField(CONTRACT_CONTENT["scope"])
    requirements = TextAreaField(CONTRACT_CONTENT["requirements"])
    responsibilities = TextAreaField(CONTRACT_CONTENT["responsibilities"])
    interfaces = TextAreaField(CONTRACT_CONTENT["interfaces"])
    dependencies = TextAreaField(CONTRACT_CONTENT["dependencies"])
    workload = TextAreaField(CONTRACT_CONTENT["workload"])
    exceptions = TextAreaField(CONTRACT_CONTENT["exceptions"])
    reporting = TextAreaField(CONTRACT_CONTENT["reporting"])
    charging = TextAreaField(CONTRACT_CONTENT["charging"])
    termination = TextAreaField(CONTRACT_CONTENT["termination"])

    def contents(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in CONTRACT_CONTENTS}


class AgreementEditForm(AgreementForm):
    """The same fields without ref and kind, which are fixed once the agreement exists."""

    ref = None
    kind = None


class TargetForm(ChangeFields, FlaskForm):
    metric = SelectField(_l("Metric"), choices=[], validate_choice=False)
    service = SelectField(_l("Service"), choices=[], validate_choice=False)
    target = DecimalField(_l("Target value"), places=None, validators=[InputRequired()])
    weight = DecimalField(_l("Weight"), default=1, places=None, validators=[InputRequired()])
    credit_pct = DecimalField(
        _l("Service credit (percentage of the monthly charge)"),
        default=0,
        places=None,
        validators=[InputRequired()],
    )


class TargetEditForm(TargetForm):
    metric = None
    service = None


class LinkForm(ChangeFields, FlaskForm):
    upper = SelectField(_l("Underpins"), choices=[], validate_choice=False)
    group = StringField(_l("Redundancy group"), validators=[Optional(), Length(max=40)])


class StatusForm(ChangeFields, FlaskForm):
    status = SelectField(_l("New status"), choices=[], validate_choice=False)


class ConfirmChangeForm(ChangeFields, FlaskForm):
    """Only the change fields: confirms a removal."""
