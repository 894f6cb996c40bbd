"""Commands of ``flask --app wsgi …`` (SPEC section 4), one module per family."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.cli import accounts, audit, chain, demo, measurements, portfolio, render, scorecards

    for command in (
        accounts.create_user_command,
        accounts.create_token_command,
        audit.audit_verify_command,
        portfolio.import_portfolio_command,
        portfolio.export_portfolio_command,
        demo.seed_demo_command,
        demo.demo_logins_command,
        chain.alignment_command,
        scorecards.scorecard_command,
        render.render_scorecards_command,
        measurements.import_measurements_command,
    ):
        app.cli.add_command(command)
