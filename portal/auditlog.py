"""The audit log page for administrators and auditors."""

from flask import Blueprint

bp = Blueprint("auditlog", __name__)
