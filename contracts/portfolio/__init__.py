"""The contracts part of the portfolio JSON (SPEC section 5): read and check, write, export.

``read_contracts`` checks the file against itself and against what the database holds,
recording every problem with its path in the file; ``ContractsImport.write`` adds it all to the
session once no problem was found. The measurements part lives in ``scorecards.portfolio``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from contracts.errors import Problem
from contracts.portfolio import agreements, reference
from contracts.portfolio.catalogue import FORMAT, SECTIONS, ContractsImport, TargetKey
from contracts.portfolio.export import export_contracts
from contracts.values import Entry

__all__ = [
    "FORMAT",
    "SECTIONS",
    "ContractsImport",
    "TargetKey",
    "export_contracts",
    "read_contracts",
]


def read_contracts(session: Session, document: Entry, problems: list[Problem]) -> ContractsImport:
    """Check every contracts section of ``document``; problems go to ``problems``."""
    portfolio = ContractsImport.load(session, problems)
    readers = (
        ("metrics", reference.read_metric),
        ("customers", reference.read_customer),
        ("services", reference.read_service),
        ("suppliers", reference.read_supplier),
        ("agreements", agreements.read_agreement),
    )
    for section, reader in readers:
        portfolio.created.setdefault(section, [])
        for index, raw in enumerate(document.items(section)):
            reader(portfolio, raw, f"{section}[{index}]")
    # Parents and link targets may come later in the file than what names them.
    agreements.check_parents(portfolio)
    for pending in portfolio.pending:
        agreements.read_links(portfolio, pending)
    return portfolio
