"""A supplier's monthly figures: the form, spreadsheet upload and template, evidence files.

Every way in goes through ``scorecards.submissions.submit`` (the form in one call, a file
through ``scorecards.spreadsheets.import_file``): each figure becomes a new revision, and a
refused figure leaves nothing stored, evidence files included. A supplier's user works on its
own supplier; an administrator chooses one with ``?supplier=CODE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import undefer
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from contracts import periods
from contracts.db import utcnow
from contracts.models import Supplier, Target
from portal.extensions import db
from portal.measurements import submissions as bp
from portal.pages import EmptyForm, send_private_file
from portal.permissions import agreement_scope, can
from scorecards import spreadsheets
from scorecards.due import DueFigure, MonthDue, due_figures
from scorecards.evidence import (
    EvidenceRefused,
    check_evidence,
    human_size,
    served_type,
    store_evidence,
)
from scorecards.models import Evidence, Measurement
from scorecards.submissions import (
    MAX_COMMENT,
    Figure,
    FigureProblem,
    SubmissionRefused,
    Submitted,
    submit,
)

MAX_LISTED = 100  # problems listed for an upload; the rest are counted
ROW_FIELDS = ("value", "comment", "evidence")


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every page here needs a login; each view checks its own permission."""


# ── Loading what the request is about ───────────────────────────────────────────────────────
def _supplier() -> Supplier | None:
    """The supplier whose figures these are: a supplier user's own, or the admin's choice."""
    if not can(current_user, "submit_measurements"):
        abort(403)
    code = request.values.get("supplier", "").strip()
    if current_user.role == "supplier":
        own = current_user.supplier
        if own is None or (code and code != own.code):
            abort(404)
        return own
    if not code:
        return None
    supplier = db.session.scalar(select(Supplier).where(Supplier.code == code))
    if supplier is None:
        abort(404)
    return supplier


def _period() -> tuple[str, str | None]:
    """The chosen month (default: last month), and why a given one was not taken."""
    this_month = periods.of(utcnow().date())
    default = periods.shift(this_month, -1)
    raw = request.values.get("period", "").strip()
    if not raw:
        return default, None
    if not periods.is_period(raw):
        return default, _('Write the month as YYYY-MM, such as "2026-07".')
    if raw > this_month:
        return default, _("%(period)s has not begun yet.", period=raw)
    return raw, None


def _month_url(supplier: Supplier, period: str) -> str:
    admin_choice = supplier.code if current_user.role != "supplier" else None
    return url_for("submissions.month", period=period, supplier=admin_choice)


def _due(supplier: Supplier, period: str) -> MonthDue:
    return due_figures(db.session, supplier.id, period, due_day=current_app.config["DUE_DAY"])


@dataclass
class Page:
    """What the month page shows besides the due list: entries and problems to show again."""

    entered: dict[str, str]
    errors: dict[int, dict[str, list[str]]]
    upload_problems: list[str]
    upload_more: int = 0
    period_error: str | None = None


def _render(supplier: Supplier | None, period: str, page: Page, status: int = 200):  # noqa: ANN202
    suppliers = []
    if current_user.role != "supplier":
        suppliers = db.session.scalars(select(Supplier).order_by(Supplier.code)).all()
    due = _due(supplier, period) if supplier else None
    return render_template(
        "submissions/month.html",
        supplier=supplier,
        suppliers=suppliers,
        due=due,
        period=period,
        previous=periods.shift(period, -1),
        following=periods.shift(period, 1),
        this_month=periods.of(utcnow().date()),
        page=page,
        form=EmptyForm(),
        max_comment=MAX_COMMENT,
        evidence_limit=human_size(current_app.config["EVIDENCE_MAX_BYTES"]),
    ), status


# ── The monthly form ────────────────────────────────────────────────────────────────────────
@bp.route("/submissions", methods=["GET", "POST"])
def month():  # noqa: ANN201
    supplier = _supplier()
    period, period_error = _period()
    page = Page({}, {}, [], period_error=period_error)
    if request.method == "GET" or supplier is None:
        return _render(supplier, period, page)
    if not EmptyForm().validate_on_submit():
        abort(400)
    due = _due(supplier, period)
    page.entered = {key: value for key, value in request.form.items() if "-" in key}
    entries = _entries(due.figures, page.errors)
    if not entries and not page.errors:
        flash(_("Nothing was saved: enter at least one value."), "error")
        return _render(supplier, period, page, 400)
    result = _save(supplier, period, entries, page.errors) if entries else None
    if result is not None:
        db.session.commit()
        _flash_saved(result, period, due)
        return redirect(_month_url(supplier, period))
    flash(_("Nothing was saved: correct the figures marked below."), "error")
    return _render(supplier, period, page, 400)


Entry = tuple[DueFigure, str, str, FileStorage | None]


def _entries(due: list[DueFigure], errors: dict[int, dict[str, list[str]]]) -> list[Entry]:
    """The filled-in rows of the form; a comment or file without a value is an error."""
    entries = []
    for figure in due:
        value = request.form.get(f"value-{figure.target_id}", "").strip()
        comment = request.form.get(f"comment-{figure.target_id}", "").strip()
        upload = request.files.get(f"evidence-{figure.target_id}")
        if upload is not None and not upload.filename:
            upload = None
        if not value and (comment or upload):
            message = _("Enter the value this comment or file belongs to.")
            errors.setdefault(figure.target_id, {}).setdefault("value", []).append(message)
        elif value:
            entries.append((figure, value, comment, upload))
    return entries


def _save(
    supplier: Supplier, period: str, entries: list[Entry], errors: dict[int, dict[str, list[str]]]
) -> Submitted | None:
    """Check every evidence file, then store files and figures in one submission.

    Returns ``None`` (and rolls back) when anything is wrong, with every problem in ``errors``.
    """
    max_bytes = current_app.config["EVIDENCE_MAX_BYTES"]
    checked = {}
    for figure, _value, _comment, upload in entries:
        if upload is None:
            continue
        try:
            checked[figure.target_id] = check_evidence(
                upload.stream, upload.filename, max_bytes=max_bytes
            )
        except EvidenceRefused as error:
            message = _("Evidence file: %(problem)s", problem=error.message)
            errors.setdefault(figure.target_id, {})["evidence"] = [message]
    now = utcnow()
    evidence_ids = {}
    if not errors:  # files are stored only when every row so far is fine
        evidence_ids = {
            target_id: store_evidence(db.session, upload, user_id=current_user.id, now=now).id
            for target_id, upload in checked.items()
        }
    figures = [
        Figure(
            str(figure.target_id),
            figure.agreement,
            figure.metric,
            figure.service,
            period,
            value,
            comment,
            evidence_ids.get(figure.target_id),
        )
        for figure, value, comment, _upload in entries
    ]
    try:  # also when a row is wrong already: every problem is shown at once
        result = submit(
            db.session,
            figures,
            supplier_id=supplier.id,
            user_id=current_user.id,
            now=now,
            due_day=current_app.config["DUE_DAY"],
        )
    except SubmissionRefused as error:
        for problem in error.problems:
            _row_error(errors, problem)
    if errors:
        db.session.rollback()
        return None
    return result


def _row_error(errors: dict[int, dict[str, list[str]]], problem: FigureProblem) -> None:
    field = problem.field if problem.field in ROW_FIELDS else "row"
    target_id = int(problem.location) if problem.location.isdigit() else 0
    errors.setdefault(target_id, {}).setdefault(field, []).append(problem.message)


def _flash_saved(result: Submitted, period: str, due: MonthDue) -> None:
    message = ngettext(
        "%(num)d figure for %(period)s was saved as a new revision.",
        "%(num)d figures for %(period)s were saved as new revisions.",
        result.count,
        period=period,
    )
    if result.late:
        message += " " + ngettext(
            "%(num)d arrived after the due date (%(due)s) and is flagged late.",
            "%(num)d arrived after the due date (%(due)s) and are flagged late.",
            result.late,
            due=due.due_on.isoformat(),
        )
    flash(message, "info" if result.late else "success")


# ── Spreadsheets ────────────────────────────────────────────────────────────────────────────
@bp.route("/submissions/upload", methods=["POST"])
def upload():  # noqa: ANN201
    supplier = _supplier()
    period, _error = _period()
    if supplier is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    page = Page({}, {}, [])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        page.upload_problems = [_("Choose a CSV or XLSX file to upload.")]
        return _render(supplier, period, page, 400)
    try:
        result = spreadsheets.import_file(
            db.session,
            upload.stream,
            supplier_id=supplier.id,
            user_id=current_user.id,
            now=utcnow(),
            due_day=current_app.config["DUE_DAY"],
        )
    except SubmissionRefused as error:
        db.session.rollback()
        problems = error.problems
        page.upload_problems = [spreadsheets.describe(p) for p in problems[:MAX_LISTED]]
        page.upload_more = max(0, len(problems) - MAX_LISTED)
        flash(_("Nothing was imported from %(name)s.", name=upload.filename), "error")
        return _render(supplier, period, page, 400)
    db.session.commit()
    message = ngettext(
        "Imported %(num)d figure from %(name)s.",
        "Imported %(num)d figures from %(name)s.",
        result.count,
        name=upload.filename,
    )
    if result.late:
        message += " " + ngettext(
            "%(num)d is flagged late.", "%(num)d are flagged late.", result.late
        )
    flash(message, "info" if result.late else "success")
    return redirect(_month_url(supplier, period))


@bp.route("/submissions/template")
def template() -> Response:
    supplier = _supplier()
    period, _error = _period()
    file_format = request.args.get("format", "xlsx")
    if supplier is None or file_format not in ("xlsx", "csv"):
        abort(404)
    rows = [(f.agreement, f.service, f.metric, period) for f in _due(supplier, period).figures]
    if file_format == "csv":
        data, mimetype = spreadsheets.template_csv(rows), spreadsheets.CSV_TYPE
    else:
        data, mimetype = spreadsheets.template_xlsx(rows, title=period), spreadsheets.XLSX_TYPE
    return send_private_file(
        data, mimetype, f"figures-{supplier.code}-{period}.{file_format}", True
    )


# ── Evidence ────────────────────────────────────────────────────────────────────────────────
@bp.route("/evidence/<int:evidence_id>")
def evidence(evidence_id: int) -> Response:
    """A file, to a user who may see a figure that uses it (everyone else: 404)."""
    measurement = db.session.scalar(
        select(Measurement)
        .join(Measurement.target)
        .join(Target.agreement)
        .where(Measurement.evidence_id == evidence_id, agreement_scope(current_user))
        .limit(1)
    )
    if measurement is None or not can(current_user, "view_contracts", measurement):
        abort(404)
    stored = db.session.scalar(
        select(Evidence).options(undefer(Evidence.data)).where(Evidence.id == evidence_id)
    )
    content_type, inline = served_type(stored)
    return send_private_file(stored.data, content_type, stored.filename, not inline)
