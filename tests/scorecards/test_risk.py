"""Customer commitments at risk across the portfolio, on the example portfolio."""

from __future__ import annotations

import json
from decimal import Decimal as D

from scorecards.portfolio import import_portfolio
from scorecards.risk import commitments_at_risk
from tests import EXAMPLES


def test_march_resolution_breach_is_at_risk(session):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()
    risks = commitments_at_risk(session, "2026-03")
    assert [(r.customer.sla, r.customer.metric, r.chain_value, r.failing) for r in risks] == [
        ("SLA-ACME-CRM", "RESOLVE_P1", D("9.5"), ["UC-CLOUDCO-2026"])
    ]
    # June: AVAIL missing → incomplete; RESOLVE_P1 4.5 ≤ 8 → met; nothing at risk
    assert commitments_at_risk(session, "2026-06") == []
