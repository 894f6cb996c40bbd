"""What procurement reads before a renewal: an agreement's renewal facts.

Term, notice deadline and automatic renewal, the score over the term to date and per contract
year, SPEC section 3's recommendation with the reason for it in words, service credits over the
term, disputes, reviews, change history and the open improvement actions. Loaded in a fixed
number of queries (the agreement with its records, then one windowed query for the figures),
however long the term and however many targets, reviews or changes it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from contracts import periods
from contracts.models import (
    Agreement,
    ChangeRecord,
    Dispute,
    ImprovementAction,
    Review,
    Target,
)
from contracts.periods import add_months
from scorecards import loading, measurements
from scorecards.scorecard import term_to_date
from scorecards.scoring import (
    ZERO,
    AgreementFacts,
    Thresholds,
    credits_by_month,
    rating,
    recommendation,
    score,
    score_targets,
)


@dataclass(frozen=True)
class ContractYear:
    number: int
    first: str  # YYYY-MM
    last: str  # YYYY-MM, cut at the last complete month of the term to date
    score: Decimal | None
    rating: str
    credits: Decimal


@dataclass(frozen=True)
class RenewalFacts:
    agreement: Agreement
    facts: AgreementFacts
    today: date
    notice_deadline: date
    renews_on: date | None  # the day after the end, when the agreement renews itself
    renewed_end: date | None  # the end of the term after that renewal
    to_date: tuple[str, str] | None  # months of the term to date (None: nothing complete yet)
    score: Decimal | None
    rating: str
    years: list[ContractYear]
    recommendation: str | None
    reasons: list[object]  # lazy, translatable sentences
    credits: dict[str, Decimal]
    open_disputes: int
    disputes: list[Dispute]
    reviews: list[Review]
    changes: list[ChangeRecord]
    open_actions: list[ImprovementAction]

    @property
    def total_credits(self) -> Decimal:
        return sum(self.credits.values(), ZERO)

    @property
    def notice_passed(self) -> bool:
        return self.today > self.notice_deadline


def load_agreement(session: Session, agreement_id: int) -> Agreement:
    """The agreement with every record a renewal pack shows (one statement per collection)."""
    return session.scalars(
        select(Agreement)
        .where(Agreement.id == agreement_id)
        .options(
            selectinload(Agreement.supplier),
            selectinload(Agreement.targets).selectinload(Target.metric),
            selectinload(Agreement.targets).selectinload(Target.service),
            selectinload(Agreement.disputes),
            selectinload(Agreement.reviews).selectinload(Review.reviewer),
            selectinload(Agreement.changes),
            selectinload(Agreement.actions).options(
                selectinload(ImprovementAction.owner),
                selectinload(ImprovementAction.target).selectinload(Target.metric),
                selectinload(ImprovementAction.target).selectinload(Target.service),
            ),
        )
        .execution_options(populate_existing=True)
    ).one()


def renewal_dates(agreement: Agreement) -> tuple[date, date | None, date | None]:
    """Notice deadline (end − notice days); and, when it renews itself, the renewal day (the
    day after the end) and the end of the renewed term (``renewal_months`` later)."""
    deadline = agreement.end - timedelta(days=agreement.notice_days)
    if not agreement.auto_renew or not agreement.renewal_months:
        return deadline, None, None
    renews_on = agreement.end + timedelta(days=1)
    return deadline, renews_on, add_months(renews_on, agreement.renewal_months) - timedelta(days=1)


def contract_years(first: str, last: str, term_start: str) -> list[tuple[int, str, str]]:
    """(number, first month, last month) of each contract year begun by ``last``."""
    years = []
    number = 1
    year_first = term_start
    while year_first <= last:
        year_last = min(periods.shift(year_first, 11), last)
        if year_last >= first:
            years.append((number, year_first, year_last))
        number += 1
        year_first = periods.shift(year_first, 12)
    return years


def build(
    session: Session,
    agreement: Agreement,
    *,
    today: date,
    thresholds: Thresholds = Thresholds(),
) -> RenewalFacts:
    agreement = load_agreement(session, agreement.id)
    open_disputes = [d for d in agreement.disputes if d.is_open]
    facts = loading.agreement_facts(agreement, len(open_disputes))
    first, last = term_to_date(facts, today)
    to_date = (first, last) if first <= last else None
    values = (
        measurements.current_values(
            session, select(Target.id).where(Target.agreement_id == agreement.id), first, last
        )
        if to_date
        else {}
    )
    results = score_targets(facts, first, last, values) if to_date else []
    term_score = score(results)
    years = []
    for number, year_first, year_last in contract_years(first, last, periods.of(facts.start)):
        year_results = score_targets(facts, year_first, year_last, values)
        year_score = score(year_results)
        year_credits = sum(credits_by_month(facts, year_results).values(), ZERO)
        years.append(
            ContractYear(
                number,
                year_first,
                year_last,
                year_score,
                rating(year_score, thresholds),
                year_credits,
            )
        )
    advice = recommendation(term_score, len(open_disputes), thresholds)
    deadline, renews_on, renewed_end = renewal_dates(agreement)
    return RenewalFacts(
        agreement=agreement,
        facts=facts,
        today=today,
        notice_deadline=deadline,
        renews_on=renews_on,
        renewed_end=renewed_end,
        to_date=to_date,
        score=term_score,
        rating=rating(term_score, thresholds),
        years=years,
        recommendation=advice,
        reasons=reasons(term_score, len(open_disputes), thresholds),
        credits=credits_by_month(facts, results),
        open_disputes=len(open_disputes),
        disputes=list(agreement.disputes),
        reviews=sorted(agreement.reviews, key=lambda r: (r.held_on, r.id), reverse=True),
        changes=sorted(agreement.changes, key=lambda c: c.version, reverse=True),
        open_actions=[a for a in agreement.actions if a.is_open],
    )


def shown(value: Decimal) -> str:
    """A score as people read it: half-up to 2 places (never through a binary float)."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def threshold_shown(value: Decimal) -> str:
    return format(value.to_integral(), "f") if value == value.to_integral() else shown(value)


def reasons(
    term_score: Decimal | None, open_disputes: int, thresholds: Thresholds = Thresholds()
) -> list[object]:
    """Why the recommendation is what it is, one sentence per deciding fact."""
    if term_score is None:
        return [_l("No target has been due in the term so far, so there is no score to judge.")]
    numbers = {
        "score": shown(term_score),
        "green": threshold_shown(thresholds.green),
        "amber": threshold_shown(thresholds.amber),
    }
    sentences: list[object] = []
    if term_score >= thresholds.green:
        sentences.append(_l("score %(score)s is at or above %(green)s", **numbers))
    elif term_score >= thresholds.amber:
        sentences.append(
            _l("score %(score)s is below %(green)s but at or above %(amber)s", **numbers)
        )
    else:
        sentences.append(_l("score %(score)s is below %(amber)s", **numbers))
    if open_disputes:
        sentences.append(
            lazy_ngettext("%(num)d open dispute", "%(num)d open disputes", open_disputes)
        )
    elif term_score >= thresholds.green:
        sentences.append(_l("no open dispute"))
    return sentences
