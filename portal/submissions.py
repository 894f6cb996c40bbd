"""A supplier's monthly figures: the form, spreadsheet upload and template, evidence files."""

from flask import Blueprint

bp = Blueprint("submissions", __name__)
