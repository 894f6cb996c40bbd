"""Agreements: register, page, forms, targets, links and change control."""

from flask import Blueprint

bp = Blueprint("agreements", __name__)
