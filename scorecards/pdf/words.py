"""The words a PDF shows for the codes it draws (ratings, month statuses, recommendations,
dispute statuses, review outcomes). They are the portal's label tables (``portal.labels``),
handed to the renderer, which makes them the words of the PDF being drawn."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Words:
    rating: Mapping[str, Any]
    month_status: Mapping[str, Any]
    recommendation: Mapping[str, Any]
    no_recommendation: Any
    dispute_status: Mapping[str, Any]
    review_outcome: Mapping[str, Any]
    action_status: Mapping[str, Any]


_current: ContextVar[Words] = ContextVar("pdf_words")


@contextmanager
def using(words: Words) -> Iterator[None]:
    """``words`` are the PDF's while the block draws it."""
    token = _current.set(words)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Words:
    return _current.get()
