"""Forms of the governance pages: reviews, disputes and their replies, improvement actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

from contracts import periods
from contracts.fields import TEXT_MAX, TITLE_MAX
from portal.labels import ACTION_SOURCE, ACTION_STATUS, DISPUTE_STATUS, REVIEW_OUTCOME


def _choices(labels: dict[str, object], blank: object | None = None) -> list[SelectChoice]:
    first = [SelectChoice("", str(blank))] if blank is not None else []
    return first + [SelectChoice(value, str(label)) for value, label in labels.items()]


def _text(label: object, max_length: int = TEXT_MAX) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=max_length)])


class ReviewForm(FlaskForm):
    held_on = DateField(_l("Held on"), validators=[Optional()])
    outcome = SelectField(
        _l("Outcome"),
        choices=lambda: _choices(REVIEW_OUTCOME, _l("Choose the outcome")),
        validate_choice=False,
    )
    notes = _text(_l("Notes"))


class DisputeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=TITLE_MAX)])
    description = _text(_l("What is disputed"))


class ReplyForm(FlaskForm):
    body = _text(_l("Your reply"))


class DisputeStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[], validate_choice=False)
    resolution = _text(_l("Resolution"))

    def offer(self, statuses: tuple[str, ...]) -> None:
        self.status.choices = [
            SelectChoice(status, str(DISPUTE_STATUS[status])) for status in statuses
        ]


class ActionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=TITLE_MAX)])
    description = _text(_l("Description"))
    agreement = SelectField(_l("Agreement"), choices=[], validate_choice=False)
    target = SelectField(_l("Target"), choices=[], validate_choice=False)
    period = StringField(
        _l("Month"),
        validators=[
            Optional(),
            Regexp(
                f"^{periods.PATTERN}$", message=_l("Enter the month as YYYY-MM, such as 2026-07.")
            ),
        ],
    )
    owner = SelectField(_l("Owner"), choices=[], validate_choice=False)
    due_on = DateField(_l("Due on"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=lambda: _choices(ACTION_STATUS), validate_choice=False
    )
    source = SelectField(
        _l("Source"), choices=lambda: _choices(ACTION_SOURCE), validate_choice=False
    )
