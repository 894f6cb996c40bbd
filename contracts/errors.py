"""Domain errors: a refused operation, with a translatable message and the field it concerns."""

from __future__ import annotations

from collections.abc import Callable


class DomainError(Exception):
    """An operation refused by a domain rule; nothing has been written.

    ``message`` is a (lazy) translatable string; ``field`` names the form field or input path
    the message belongs beside, or is ``None`` for the whole form.
    """

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)

    @property
    def problems(self) -> list[DomainError]:
        """Every problem this refusal reports (one, unless it is a ``Refusals``)."""
        return [self]


class Refusals(DomainError):
    """Several problems found at once, so a form shows each beside its field in one go; the
    first is the message."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(problems[0].message, problems[0].field)
        self._problems = problems

    @property
    def problems(self) -> list[DomainError]:
        return list(self._problems)


def check_all(*checks: Callable[[], object]) -> None:
    """Run every check, even after one has refused; refuse with all their problems."""
    found: list[DomainError] = []
    for check in checks:
        try:
            check()
        except DomainError as error:
            found.extend(error.problems)
    if len(found) == 1:
        raise found[0]
    if found:
        raise Refusals(found)
