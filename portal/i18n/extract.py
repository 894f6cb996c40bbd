"""A Babel extractor for the API modules: their gettext calls as usual, plus the texts that the
OpenAPI document carries in English and the API page (``/api``) shows translated — each
endpoint's docstring (summary and description, split as flask-smorest splits them) and every
``"description"`` given in a schema's ``metadata`` or a blueprint.

Registered in babel.cfg, so ``make extract-messages`` keeps these msgids in the catalogue.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any

from babel.messages.extract import extract_python
from flask_smorest.utils import load_info_from_docstring

Message = tuple[int, str | None, str, list[str]]


def extract_api_texts(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[Message]:
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    for lineno, text in api_texts(source.decode(options.get("encoding", "utf-8"))):
        yield lineno, None, text, []


def api_texts(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every endpoint docstring part and every ``description`` constant."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and _is_route(node):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                for text in load_info_from_docstring(docstring).values():
                    yield node.lineno, text
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _constant(key) == "description" and isinstance(_constant(value), str):
                    yield node.lineno, _constant(value)
        elif isinstance(node, ast.Call) and _name(node.func) == "Blueprint":
            for keyword in node.keywords:
                if keyword.arg == "description" and isinstance(_constant(keyword.value), str):
                    yield node.lineno, _constant(keyword.value)


def _is_route(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(decorator, ast.Call) and _name(decorator.func) == "route"
        for decorator in function.decorator_list
    )


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _constant(node: ast.expr | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None
