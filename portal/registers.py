"""Registers: metrics, customers, services and suppliers."""

from flask import Blueprint

bp = Blueprint("registers", __name__)
