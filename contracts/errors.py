"""The one way the domain refuses: a ``DomainError`` carrying one or more ``Problem``s.

Each problem has a translatable message and the field or input path it concerns (a form field
such as ``held_on``, a path in an imported file such as ``agreements[3].targets[1].metric``, or
``None`` for the whole input). Nothing of a refused operation has been written. The edge turns
a refusal into form errors (``portal.pages.show_refusal``), the API's error shape
(``portal.api.errors.refuse``) or CLI output (``portal.cli.common.fail_with``); every problem
reaches the user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """What is wrong (``message``, lazy and translatable) and where (``field``)."""

    message: Any
    field: str | None = None

    @property
    def path(self) -> str:
        """Where in an imported file: the field as a path ("" for the whole file)."""
        return self.field or ""

    @property
    def key(self) -> str:
        """The name the API's ``details`` lists the problem under."""
        return self.field or "_body"


class DomainError(Exception):
    """An operation refused by a domain rule; nothing has been written.

    ``DomainError(message, field)`` for one problem, ``DomainError(problems=[...])`` for several;
    ``message`` and ``field`` are the first problem's.
    """

    def __init__(
        self,
        message: object = None,
        field: str | None = None,
        *,
        problems: Sequence[Problem] | None = None,
    ) -> None:
        found = list(problems) if problems else [Problem(message, field)]
        super().__init__(found[0].message)
        self._problems = found

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    @property
    def message(self) -> Any:
        return self._problems[0].message

    @property
    def field(self) -> str | None:
        return self._problems[0].field

    def __str__(self) -> str:
        return str(self.message)


def check_all(*checks: Callable[[], object]) -> None:
    """Run every check, even after one has refused; refuse with all their problems."""
    refusals: list[DomainError] = []
    for check in checks:
        try:
            check()
        except DomainError as error:
            refusals.append(error)
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        raise DomainError(problems=[problem for error in refusals for problem in error.problems])
