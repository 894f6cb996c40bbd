"""What every page shares: list paging (``Listing``), saving a form through one operation
(``saved``: commit, or each refused problem beside its field), the small shared forms, and
sending a private file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, TypeVar

from flask import current_app, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, Select, or_
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField

from contracts.errors import DomainError
from portal.extensions import db

T = TypeVar("T")
F = TypeVar("F", bound=FlaskForm)


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


def page_of(listing: Listing, statement: Select[Any], tiebreak: Any) -> Pagination:
    """The listing's page; ``tiebreak`` (a unique column) keeps pages stable under equal keys."""
    ordered = listing.ordered(listing.search(statement)).order_by(tiebreak)
    return db.paginate(
        ordered, page=listing.page, per_page=current_app.config["PAGE_SIZE"], error_out=False
    )


# Forms ----------------------------------------------------------------------------------------


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that post."""


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("en", "English"), SelectChoice("zh_Hans_CN", "简体中文")],
    )


def show_refusal(form: Any, error: DomainError, default: str | None = None) -> None:
    """Undo the refused operation and put each of its problems beside its field (or, for a
    field the form does not have, at ``default`` or above the form)."""
    db.session.rollback()
    for problem in error.problems:
        field = getattr(form, problem.field or "", None)
        if not hasattr(field, "errors") and default is not None:
            field = getattr(form, default)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, str(problem.message)]
        else:
            form.form_errors.append(str(problem.message))


def saved(form: FlaskForm, operation: Callable[[], T]) -> T | None:
    """Run ``operation`` for a valid posted form and commit; a refusal goes beside its field."""
    if not form.validate_on_submit():
        return None
    try:
        result = operation()
    except DomainError as error:
        show_refusal(form, error)
        return None
    db.session.commit()
    return result


def prefilled(form_class: type[F], data: dict[str, Any]) -> F:
    """An edit form: the record's values to start with, what was posted once it is sent."""
    return form_class() if request.method == "POST" else form_class(data=data)


def status_of(form: FlaskForm) -> int:
    return 400 if form.is_submitted() else 200


def send_private_file(data: bytes, content_type: str, filename: str, attachment: bool) -> Response:
    """A file for the current user only: never cached, never sniffed (evidence, templates; the
    API serves evidence through it too)."""
    response = send_file(
        BytesIO(data),
        mimetype=content_type,
        as_attachment=attachment,
        download_name=filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_pdf(content: bytes, name: str) -> Response:
    """A PDF download."""
    return send_file(
        BytesIO(content), mimetype="application/pdf", as_attachment=True, download_name=name
    )
