"""Registers: metrics, customers, services and suppliers (list, page, forms)."""

from portal.registers import reference, suppliers
from portal.registers.common import bp

__all__ = ["bp", "reference", "suppliers"]
