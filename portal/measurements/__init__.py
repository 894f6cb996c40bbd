"""Measurements: a supplier's monthly form, spreadsheet uploads and their templates, evidence
downloads, and the vendor manager's review queue."""

from __future__ import annotations

from flask import Blueprint

submissions = Blueprint("submissions", __name__)
review = Blueprint("review", __name__)

from portal.measurements import queue, supplied  # noqa: E402, F401  (the two blueprints' pages)
