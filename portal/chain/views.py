"""The supply-chain view: alignment drawn as a picture, and the what-if panel."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import Field, StringField, ValidationError

from contracts.chain import Chain, ChainTarget, load_chain, what_if
from contracts.chain_trees import ChainFilter, SlaView, build_trees, sla_views, status_counts
from contracts.values import InvalidValue, check_in_range, format_decimal, parse_decimal
from portal.chain import bp
from portal.display import precise
from portal.extensions import db
from portal.permissions import can


class TargetValue:
    """A tried target value: a decimal inside the metric's sane range; empty keeps today's."""

    def __init__(self, target: ChainTarget) -> None:
        self.target = target

    def __call__(self, form: FlaskForm, field: Field) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        try:
            check_in_range(self.target, parse_decimal(text))
        except InvalidValue as error:
            raise ValidationError(str(error.message)) from None


def field_name(target: ChainTarget) -> str:
    return f"target_{target.id}"


def what_if_form(targets: list[ChainTarget]) -> type[FlaskForm]:
    """One field per supplier target in view (the list depends on the filter)."""
    fields = {
        field_name(target): StringField(
            _l(
                "%(ref)s %(metric)s/%(service)s",
                ref=target.info.agreement,
                metric=target.info.metric,
                service=target.info.service,
            ),
            validators=[TargetValue(target)],
        )
        for target in targets
    }
    return type("WhatIfForm", (FlaskForm,), fields)


def overrides_from(form: FlaskForm, targets: list[ChainTarget]) -> dict[int, Decimal]:
    overrides = {}
    for target in targets:
        text = (form[field_name(target)].data or "").strip()
        if text and (value := parse_decimal(text)) != target.info.target:
            overrides[target.id] = value
    return overrides


def _filter_from_args() -> ChainFilter:
    return ChainFilter(
        customer=request.args.get("customer") or None,
        service=request.args.get("service") or None,
        supplier=request.args.get("supplier") or None,
    )


def _targets_in_view(views: list[SlaView]) -> list[ChainTarget]:
    seen: dict[int, ChainTarget] = {}
    for view in views:
        for tree in view.trees:
            for node in tree.walk():
                if not node.target.is_customer_target:
                    seen.setdefault(node.target.id, node.target)
    return sorted(seen.values(), key=lambda target: (target.party_name, target.key))


def _filter_options(chain: Chain) -> dict[str, list[tuple[str, str]]]:
    customers, services, suppliers = {}, {}, {}
    for target in chain.targets.values():
        if target.is_customer_target:
            customers[target.party_code] = target.party_name
            services[target.info.service] = target.service_name
        else:
            suppliers[target.party_code] = target.party_name
    return {
        name: sorted(options.items(), key=lambda option: (option[1], option[0]))
        for name, options in (
            ("customer", customers),
            ("service", services),
            ("supplier", suppliers),
        )
    }


@bp.route("/chain", methods=["GET", "POST"])
@login_required
def index() -> tuple[str, int]:
    editor = can(current_user, "edit_contracts")
    if not can(current_user, "view_chain") or (request.method == "POST" and not editor):
        abort(403)
    chain = load_chain(db.session)
    chain_filter = _filter_from_args()
    views = sla_views(build_trees(chain, chain.alignment()), chain_filter)
    editable = _targets_in_view(views)
    form = _what_if_form(editable) if editor else None
    result, after_views = None, views
    if form is not None and request.method == "POST" and form.validate_on_submit():
        result = what_if(chain, overrides_from(form, editable))
        trees = build_trees(chain, result.after, result.overrides, result.before)
        after_views = sla_views(trees, chain_filter)
    page = render_template(
        "chain/index.html",
        views=after_views,
        counts=status_counts(views),
        after_counts=status_counts(after_views) if result else None,
        chain_filter=chain_filter,
        options=_filter_options(chain),
        editable=editable,
        form=form,
        result=result,
    )
    return page, 400 if form is not None and form.errors else 200


def _what_if_form(editable: list[ChainTarget]) -> FlaskForm:
    """On GET, filled with today's values; on POST, with what was tried."""
    form_class = what_if_form(editable)
    if request.method == "POST":
        return form_class()
    today = {field_name(target): format_decimal(target.info.target) for target in editable}
    return form_class(formdata=None, data=today)


@bp.context_processor
def _chain_helpers() -> dict[str, object]:
    return {"change": change, "field_name": field_name}


def change(before: Decimal | None, after: Decimal | None) -> str:
    """The signed difference of the two shown values ("" when there is none to show)."""
    if before is None or after is None:
        return ""
    difference = Decimal(precise(after)) - Decimal(precise(before))
    if not difference:
        return ""
    text = format_decimal(difference)
    return text if difference < 0 else "+" + text
