"""The shape of the code: no private helper imported from another package, modules of a
readable size. (Import cycles and the layers are import-linter's contracts in pyproject.toml,
run by ``make lint``.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("portal", "contracts", "scorecards")
MAX_LINES = 410  # "about 400"; the generated migration is data, not code
SOURCES = sorted(
    path
    for package in PACKAGES
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def private_imports(path: Path) -> list[str]:
    """``from X import _name`` where X is not in the importing module's own package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = package_of(path)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        if not node.module.startswith(PACKAGES):
            continue
        in_package = node.module == own or node.module.startswith(own + ".")
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__") and not in_package:
                found.append(f"{node.module}.{alias.name}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: module_name(path))
def test_no_private_helper_of_another_package_is_imported(path: Path) -> None:
    assert private_imports(path) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: module_name(path))
def test_modules_stay_readable(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_the_private_import_check_catches_one(tmp_path: Path, monkeypatch) -> None:
    module = ROOT / "portal" / "agreements" / "views.py"
    source = "from portal.cli.common import _located\nfrom portal.agreements import _x\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert private_imports(module) == ["portal.cli.common._located"]


@pytest.mark.parametrize(
    "path",
    [path for path in SOURCES if path.parts[len(ROOT.parts)] in ("contracts", "scorecards")],
    ids=lambda path: module_name(path),
)
def test_the_domain_never_reaches_into_the_portal(path: Path) -> None:
    """Not by import (import-linter's layers say so too), not by a relationship named by a
    string, not by looking a class up through a mapper."""
    source = path.read_text(encoding="utf-8")
    assert "portal" not in {
        name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
        )
    }
    assert 'relationship("' not in source and ".mapper.class_" not in source
