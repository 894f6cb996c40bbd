"""Contract reviews, disputes and improvement actions (the service improvement plan)."""

from flask import Blueprint

bp = Blueprint("governance", __name__)
