"""Moved to ``contracts.periods`` (months are the domain's, contracts need them too); this name
stays for code written against it before the move. New code imports ``contracts.periods``."""

from contracts.periods import first_day, last_day, make, of, parse, shift, span

__all__ = ["first_day", "last_day", "make", "of", "parse", "shift", "span"]
