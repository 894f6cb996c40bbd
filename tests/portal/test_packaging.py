"""The package carries what it needs: a wheel built from pyproject.toml holds the templates,
the migrations, the translations and the font, and ``flask db upgrade`` runs from the
installed wheel alone (not from this checkout)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("pyproject.toml", "README.md", "portal", "contracts", "scorecards")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the sources, so the checkout gets no build/ directory."""
    source = tmp_path_factory.mktemp("source")
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (built,) = out.glob("underpin-*.whl")
    return built


def test_the_wheel_holds_templates_migrations_translations_and_the_font(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "portal/templates/base.html",
        "portal/templates/agreements/detail.html",
        "portal/migrations/env.py",
        "portal/migrations/alembic.ini",
        "portal/migrations/script.py.mako",
        "portal/migrations/versions/0001_initial_schema.py",
        "portal/translations/zh_Hans_CN/LC_MESSAGES/messages.po",
        "portal/fonts/wqy-microhei.ttc",
        "portal/static/css/portal.css",
    ):
        assert expected in names, expected
    templates = {name for name in names if name.startswith("portal/templates/")}
    in_checkout = {
        str(path.relative_to(ROOT)) for path in (ROOT / "portal" / "templates").rglob("*.html")
    }
    assert templates == in_checkout


def test_flask_db_upgrade_runs_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    database = tmp_path / "fresh.sqlite"
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(site),  # ahead of the checkout's editable install
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "packaging-test",
    }
    run = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal:create_app", "db", "upgrade"],
        cwd=tmp_path, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    where = subprocess.run(
        [sys.executable, "-c", "import portal; print(portal.__file__)"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(site))
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"alembic_version", "agreements", "users", "audit_log"} <= tables
