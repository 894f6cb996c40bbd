"""The renewal pack of one agreement (A4 portrait): the dates that matter, the recommendation and
why, scores per contract year, credits, disputes, reviews, change history and open actions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from contracts.values import format_decimal
from scorecards.pdf import layout, words
from scorecards.pdf.changes import ChangeLabels, currencies_by_record, describe
from scorecards.pdf.layout import PALE, STRONG, badge, money, number, text
from scorecards.pdf.words import Words, using
from scorecards.renewal import RenewalFacts

PAGE = A4
WIDTH = PAGE[0] - 30 * mm


def render_renewal_pack(
    renewal: RenewalFacts,
    *,
    font_path: str | Path,
    generated_at: datetime,
    labels: ChangeLabels | None = None,
    words: Words,
) -> bytes:
    """The PDF bytes; ``labels`` name the fields and statuses of the change history, ``words``
    the codes the pack shows."""
    with using(words):
        return _render(renewal, font_path, generated_at, labels)


def _render(
    renewal: RenewalFacts,
    font_path: str | Path,
    generated_at: datetime,
    labels: ChangeLabels | None,
) -> bytes:
    layout.register_font(font_path)
    styles = layout.styles()
    agreement = renewal.agreement
    party = agreement.supplier.name if agreement.supplier else ""
    story: list[Any] = [
        Paragraph(_("Renewal pack"), styles["kicker"]),
        text(f"{agreement.ref} · {agreement.title}", styles["title"]),
        text(f"{party} ({agreement.supplier.code})" if agreement.supplier else "", styles["muted"]),
        Spacer(0, 5 * mm),
        _recommendation(renewal, styles),
        Spacer(0, 5 * mm),
        _dates(renewal, styles),
        *_years(renewal, styles),
        *_disputes(renewal, styles),
        *_reviews(renewal, styles),
        *_changes(renewal, styles, labels or ChangeLabels()),
        *_actions(renewal, styles),
    ]
    frame = layout.Frame(_("Renewal pack · %(ref)s", ref=agreement.ref), generated_at)
    return layout.render(story, PAGE, frame, _("Renewal pack: %(ref)s", ref=agreement.ref))


def _recommendation(renewal: RenewalFacts, styles: dict) -> Table:
    colour = layout.RECOMMENDATION_COLOUR[renewal.recommendation]
    window = (
        _("Term to date: %(first)s – %(last)s", first=renewal.to_date[0], last=renewal.to_date[1])
        if renewal.to_date
        else _("The term has no complete month yet.")
    )
    because = "; ".join(str(reason) for reason in renewal.reasons)
    left = [
        Paragraph(_("Recommendation"), styles["head"]),
        Paragraph(layout.recommendation_word(renewal.recommendation), styles["h1"]),
        text(_("Because %(reasons)s.", reasons=because), styles["body"]),
        Paragraph(window, styles["muted"]),
    ]
    right = [
        Paragraph(_("Score over the term to date"), styles["head_right"]),
        Paragraph(number(renewal.score), styles["big"]),
        badge(layout.rating_word(renewal.rating), renewal.rating, 10, "RIGHT"),
    ]
    table = Table([[left, right]], colWidths=[WIDTH - 62 * mm, 62 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PALE[colour]),
                ("LINEBEFORE", (0, 0), (0, -1), 4, STRONG[colour]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _dates(renewal: RenewalFacts, styles: dict) -> Table:
    agreement = renewal.agreement
    if renewal.renews_on and renewal.renewed_end:
        renewal_text = _(
            "renews automatically on %(day)s for %(months)d months, to %(end)s",
            day=renewal.renews_on.isoformat(),
            months=agreement.renewal_months,
            end=renewal.renewed_end.isoformat(),
        )
    else:
        renewal_text = _("does not renew automatically")
    deadline = renewal.notice_deadline.isoformat()
    if renewal.notice_passed:
        deadline = _("%(day)s (passed)", day=deadline)
    cap = agreement.credit_cap_pct
    # In pairs, two to a row: the facts take half the height and the pack keeps to one page
    # more often.
    pairs = [
        (
            (_("Term"), f"{agreement.start.isoformat()} – {agreement.end.isoformat()}"),
            (_("Monthly charge"), money(agreement.monthly_charge, agreement.currency)),
        ),
        (
            (_("Notice period"), ngettext("%(num)d day", "%(num)d days", agreement.notice_days)),
            (
                _("Credit cap"),
                # As the agreement page writes it: the percentage as agreed (10, not 10.00).
                _("%(pct)s %% of the monthly charge", pct=format_decimal(cap))
                if cap is not None
                else _("no cap"),
            ),
        ),
        (
            (_("Notice deadline"), deadline),
            (
                _("Service credits over the term to date"),
                money(renewal.total_credits, agreement.currency),
            ),
        ),
        ((_("Renewal"), renewal_text), (_("Open disputes"), str(renewal.open_disputes))),
    ]
    head, body = styles["head"], styles["body"]
    table = Table(
        [
            [
                Paragraph(left[0], head),
                text(left[1], body),
                Paragraph(right[0], head),
                text(right[1], body),
            ]
            for left, right in pairs
        ],
        colWidths=[30 * mm, WIDTH / 2 - 30 * mm, 34 * mm, WIDTH / 2 - 34 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, layout.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (2, 0), (2, -1), 6),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _section(
    title: str,
    styles: dict,
    rows: list[list[Any]],
    widths: list[float],
    empty: str,
    extra: list[tuple[Any, ...]] | None = None,
) -> list[Any]:
    heading = Paragraph(title, styles["h2"])
    if len(rows) == 1:
        return [KeepTogether([heading, Paragraph(empty, styles["muted"])])]
    return layout.with_table([heading], rows, widths, extra=extra or [], lead_rows=1)


def _years(renewal: RenewalFacts, styles: dict) -> list[Any]:
    head, right = styles["head"], styles["head_right"]
    rows: list[list[Any]] = [
        [
            Paragraph(_("Contract year"), head),
            Paragraph(_("Months"), head),
            Paragraph(_("Score"), right),
            Paragraph(_("Rating"), head),
            Paragraph(_("Service credits"), right),
        ]
    ]
    currency = renewal.agreement.currency
    for year in renewal.years:
        rows.append(
            [
                Paragraph(_("Year %(number)d", number=year.number), styles["cell"]),
                Paragraph(f"{year.first} – {year.last}", styles["cell"]),
                Paragraph(number(year.score), styles["cell_right"]),
                badge(layout.rating_word(year.rating), year.rating),
                Paragraph(money(year.credits, currency), styles["cell_right"]),
            ]
        )
    widths = [30 * mm, 45 * mm, 25 * mm, 35 * mm]
    return _section(
        _("Score per contract year"),
        styles,
        rows,
        [*widths, WIDTH - sum(widths)],
        _("No contract year has begun."),
    )


def _disputes(renewal: RenewalFacts, styles: dict) -> list[Any]:
    cell = styles["cell"]
    rows: list[list[Any]] = [
        [
            Paragraph(label, styles["head"])
            for label in (_("Raised"), _("Dispute"), _("Status"), _("Resolution"), _("Closed"))
        ]
    ]
    for dispute in renewal.disputes:
        open_ = dispute.is_open
        rows.append(
            [
                text(dispute.raised_on.isoformat(), cell),
                text(dispute.title, cell),
                badge(_dispute_status(dispute.status), "red" if open_ else "none"),
                text(dispute.resolution or "—", cell),
                text(dispute.closed_on.isoformat() if dispute.closed_on else "—", cell),
            ]
        )
    widths = [22 * mm, 55 * mm, 25 * mm, 0, 22 * mm]
    widths[3] = WIDTH - sum(widths)
    return _section(_("Disputes"), styles, rows, widths, _("No disputes were raised."))


def _dispute_status(status: str) -> str:
    return str(words.current().dispute_status[status])


def _reviews(renewal: RenewalFacts, styles: dict) -> list[Any]:
    cell = styles["cell"]
    outcome_words = words.current().review_outcome
    outcomes = {
        outcome: (colour, str(outcome_words[outcome]))
        for outcome, colour in (
            ("satisfactory", "green"),
            ("improvement_needed", "amber"),
            ("unsatisfactory", "red"),
        )
    }
    rows: list[list[Any]] = [
        [
            Paragraph(label, styles["head"])
            for label in (_("Held on"), _("Outcome"), _("Reviewer"), _("Notes"))
        ]
    ]
    for review in renewal.reviews:
        colour, word = outcomes.get(review.outcome, ("none", review.outcome))
        reviewer = review.reviewer.display_name if review.reviewer else "—"
        rows.append(
            [
                text(review.held_on.isoformat(), cell),
                badge(word, colour),
                text(reviewer, cell),
                text(review.notes or "—", cell),
            ]
        )
    widths = [22 * mm, 38 * mm, 35 * mm]
    return _section(
        _("Contract reviews"),
        styles,
        rows,
        [*widths, WIDTH - sum(widths)],
        _("No contract review has been held."),
    )


def _changes(renewal: RenewalFacts, styles: dict, labels: ChangeLabels) -> list[Any]:
    cell, small = styles["cell"], styles["small"]
    rows: list[list[Any]] = [
        [
            Paragraph(label, styles["head"])
            for label in (
                _("Version"),
                _("Date"),
                _("Reason and approver"),
                _("What changed (before → after)"),
            )
        ]
    ]
    currencies = currencies_by_record(
        [change.changes for change in renewal.changes], renewal.agreement.currency
    )
    for change, pair in zip(renewal.changes, currencies, strict=True):
        fields = [text(describe(entry, labels, pair), small) for entry in change.changes] or [
            Paragraph("—", small)
        ]
        rows.append(
            [
                text(str(change.version), cell),
                text(change.at.date().isoformat(), cell),
                [
                    text(change.reason, cell),
                    text(_("approved by %(approver)s", approver=change.approver), styles["muted"]),
                ],
                fields,
            ]
        )
    widths = [16 * mm, 22 * mm, 55 * mm]
    return _section(
        _("Change history"),
        styles,
        rows,
        [*widths, WIDTH - sum(widths)],
        _("The agreement has not been changed since it came into force."),
    )


def _actions(renewal: RenewalFacts, styles: dict) -> list[Any]:
    cell = styles["cell"]
    rows: list[list[Any]] = [
        [
            Paragraph(label, styles["head"])
            for label in (_("Action"), _("Target"), _("Owner"), _("Due"), _("Status"))
        ]
    ]
    for action in renewal.open_actions:
        overdue = action.due_on is not None and action.due_on < renewal.today
        target = (
            f"{action.target.metric.code} · {action.target.service.code}" if action.target else "—"
        )
        if action.period:
            target = f"{target} ({action.period})"
        due = action.due_on.isoformat() if action.due_on else "—"
        rows.append(
            [
                text(action.title, cell),
                text(target, cell),
                text(action.owner.display_name if action.owner else "—", cell),
                badge(_("%(day)s overdue", day=due), "red") if overdue else text(due, cell),
                text(str(words.current().action_status[action.status]), cell),
            ]
        )
    widths = [0, 38 * mm, 30 * mm, 34 * mm, 20 * mm]
    widths[0] = WIDTH - sum(widths)
    return _section(
        _("Open improvement actions"), styles, rows, widths, _("No improvement action is open.")
    )
