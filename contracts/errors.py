"""Domain errors: a refused operation, with a translatable message and the field it concerns."""

from __future__ import annotations


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
