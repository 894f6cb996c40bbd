"""List pages: search, filter, sort and paginate a scoped query from the request's arguments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, or_

from portal.extensions import db


@dataclass
class Listing:
    """One list page's state: ``q`` (search), filters, ``sort`` (a key of ``sorts``), ``page``.

    ``sorts`` maps the sort keys the page offers to columns; ``-key`` sorts descending.
    """

    sorts: Mapping[str, Any]
    default_sort: str
    search_columns: tuple[Any, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)
    q: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_request(
        cls,
        sorts: Mapping[str, Any],
        default_sort: str,
        search_columns: tuple[Any, ...] = (),
        filter_names: tuple[str, ...] = (),
    ) -> Listing:
        args = request.args
        sort = args.get("sort", default_sort)
        if sort.lstrip("-") not in sorts:
            sort = default_sort
        page = args.get("page", "1")
        return cls(
            sorts=sorts,
            default_sort=default_sort,
            search_columns=search_columns,
            filters={
                name: args.get(name, "").strip()
                for name in filter_names
                if args.get(name, "").strip()
            },
            q=args.get("q", "").strip()[:200],
            sort=sort,
            page=int(page) if page.isdigit() and int(page) > 0 else 1,
        )

    def search(self, statement: Select[Any]) -> Select[Any]:
        if not self.q or not self.search_columns:
            return statement
        pattern = f"%{self.q}%"
        conditions: list[ColumnElement[bool]] = [
            column.ilike(pattern) for column in self.search_columns
        ]
        return statement.where(or_(*conditions))

    def ordered(self, statement: Select[Any]) -> Select[Any]:
        column = self.sorts[self.sort.lstrip("-")]
        return statement.order_by(column.desc() if self.sort.startswith("-") else column.asc())

    def paginate(self, statement: Select[Any], per_page: int | None = None) -> Pagination:
        per_page = per_page or current_app.config["PAGE_SIZE"]
        return db.paginate(
            self.ordered(self.search(statement)),
            page=self.page,
            per_page=per_page,
            error_out=False,
        )

    def url(self, **changes: Any) -> str:
        """This list's URL with some arguments changed (for sort headers and page links)."""
        args = {"q": self.q, "sort": self.sort, "page": self.page, **self.filters, **changes}
        args = {key: value for key, value in args.items() if value not in ("", None)}
        if args.get("page") == 1:
            args.pop("page")
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    def sort_url(self, key: str) -> str:
        """Sorting by ``key``; a second click reverses the order."""
        return self.url(sort=f"-{key}" if self.sort == key else key, page=1)

    def sorted_by(self, key: str) -> str:
        if self.sort == key:
            return "ascending"
        return "descending" if self.sort == f"-{key}" else ""
