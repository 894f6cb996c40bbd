"""Audit sampling: reproducible, accepted figures only, with their revision history."""

from __future__ import annotations

from sqlalchemy import select

from scorecards.models import Measurement
from scorecards.sampling import draw


def setup_figures(make):
    agreement = make.agreement("underpinning")
    target = make.target(agreement, make.metric())
    for month in range(1, 13):
        make.measurement(target, f"2026-{month:02d}", "99.5", status="accepted")
    make.measurement(target, "2026-03", "99.9", status="rejected", revision=2)
    make.measurement(target, "2026-04", "99.7", status="submitted", revision=2)
    return target


def test_the_same_seed_gives_the_same_sample(session, make):
    setup_figures(make)
    size, first = draw(session, seed=42, size=5)
    _, again = draw(session, seed=42, size=5)
    _, other = draw(session, seed=7, size=5)
    assert size == 12  # accepted revisions only
    assert [f.measurement.id for f in first] == [f.measurement.id for f in again]
    assert [f.measurement.id for f in first] != [f.measurement.id for f in other]
    assert [f.number for f in first] == [1, 2, 3, 4, 5]
    assert all(f.measurement.status == "accepted" for f in first)


def test_each_sampled_figure_carries_its_revision_history(session, make):
    setup_figures(make)
    _, sample = draw(session, seed=1, size=12, first="2026-03", last="2026-03")
    assert len(sample) == 1
    assert [(h.revision, h.status) for h in sample[0].history] == [(1, "accepted"), (2, "rejected")]


def test_a_sample_larger_than_the_population_takes_it_all(session, make):
    setup_figures(make)
    size, sample = draw(session, seed=3, size=50)
    assert (size, len(sample)) == (12, 12)
    assert draw(session, seed=3, size=5, first="2030-01")[1] == []


def test_a_rejected_revision_keeps_its_reason_in_the_history(session, make):
    target = setup_figures(make)
    rejected = session.scalar(
        select(Measurement).where(
            Measurement.target_id == target.id, Measurement.status == "rejected"
        )
    )
    rejected.reject_reason = "Outage on the 14th not counted"
    session.flush()
    _, [figure] = draw(session, seed=5, size=1, first="2026-03", last="2026-03")
    assert [(h.revision, h.status, h.reject_reason) for h in figure.history] == [
        (1, "accepted", ""),
        (2, "rejected", "Outage on the 14th not counted"),
    ]
