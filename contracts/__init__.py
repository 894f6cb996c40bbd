"""Suppliers, agreements, targets, links and the rules of the supply chain.

Plain domain code: takes a SQLAlchemy session and the acting user, never the request.
"""
