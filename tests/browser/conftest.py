"""Browser tests: a real Underpin server in a subprocess, driven by Debian's headless Chromium.

The server runs ``flask --app wsgi db upgrade``, ``seed-demo`` and ``run`` against a fresh
SQLite file, so these tests see exactly what ``make run`` serves. Chromium gets a fontconfig
file that adds the shipped CJK font, so Chinese pages render as text, not boxes.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression  # how -m is parsed; no public API
from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
FONTS_CONF = REPO / "portal" / "fonts" / "fonts.conf"
SCREENSHOTS = REPO / "test-results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
STARTUP_SECONDS = 60


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``-m "not browser"`` (``make test``) these modules are not even imported."""
    expression = config.getoption("markexpr")
    if not expression or collection_path.name == "conftest.py":
        return None
    wants_browser = Expression.compile(expression).evaluate(lambda name, **_: name == "browser")
    return None if wants_browser else True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _flask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def _run_flask(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        _flask_command(*args),
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(
            f"flask {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}",
            pytrace=False,
        )


def _wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(port):
        if server.poll() is not None:
            pytest.fail(f"the server exited:\n{log.read_text()}", pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(f"no answer on port {port}:\n{log.read_text()}", pytrace=False)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=0.1)  # pauses the poll, and notices an early exit


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate and seed a fresh SQLite database, serve it, and yield the base URL."""
    directory = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "DATABASE_URL": "sqlite:///" + str(directory / "underpin.sqlite"),
        "FLASK_DEBUG": "1",
        # Every test logs in again; the login throttle (10 a minute per address) would refuse.
        "FLASK_LOGIN_RATE_LIMIT": "1000 per minute",
        "PYTHONUNBUFFERED": "1",
    }
    _run_flask(env, "db", "upgrade")
    _run_flask(env, "seed-demo")
    port = _free_port()
    log = directory / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            _flask_command("run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(server, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright's base URL: ``page.goto("/login")`` reaches the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    return {
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "env": {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)},
    }


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


def log_in(page: Page, email: str, password: str) -> None:
    """Log in through the /login form and wait for the dashboard."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/$"))


def log_out(page: Page) -> None:
    logout = page.locator("form[action$='/logout']").first
    with page.expect_navigation():
        logout.locator("[type=submit], button").first.click()
    expect(page).to_have_url(re.compile(r"/login$"))
