"""The supply-chain view: alignment drawn as a picture, and the what-if panel."""

from flask import Blueprint

bp = Blueprint("chain", __name__)
