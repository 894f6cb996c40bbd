"""The vendor manager's review queue: accept or reject submitted figures."""

from flask import Blueprint

bp = Blueprint("review", __name__)
