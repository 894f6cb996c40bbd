"""Measurements and their revisions, the scoring rules, scorecards and their PDFs."""
