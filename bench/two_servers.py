"""Two gunicorn servers on different ports over one PostgreSQL serve one logged-in user in turn.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/two_servers.py

Logs a supplier's user in on server A, reuses that session cookie on server B (the CSRF token
too: both servers share SECRET_KEY and keep nothing in the process), uploads a CSV of figures
on B and reads it back on A. Needs a portfolio made by bench/run.py or bench/generate.py.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import PASSWORD  # noqa: E402
from bench.run import Driver, Gunicorn, ensure  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """One cookie jar, whichever server it talks to: the same user in the same session."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, url: str, data: bytes | None = None, headers: dict | None = None):  # noqa: ANN201
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=60)
            return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    def csrf(self, url: str) -> str:
        _status, _url, page = self.open(url)
        found = CSRF.search(page)
        if not found:
            raise RuntimeError(f"no CSRF token on {url}")
        return found.group(1)


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("Set BENCH_DATABASE_URL to a PostgreSQL database (postgresql+psycopg://…).")
    info = ensure(url, 0.1, reuse=True)
    code, supplier = sorted(info["tokens"]["suppliers"].items())[0]
    ref, metric, service = supplier["agreements"][0]
    first, second = Gunicorn(url, workers=1), Gunicorn(url, workers=1)
    a, b = f"http://127.0.0.1:{first.port}", f"http://127.0.0.1:{second.port}"
    browser = Browser()
    marker = f"two-servers-{uuid.uuid4().hex[:8]}"
    try:
        token = browser.csrf(f"{a}/login")
        form = {"csrf_token": token, "email": supplier["email"], "password": PASSWORD}
        status, landed, _page = browser.open(f"{a}/login", urllib.parse.urlencode(form).encode())
        print(f"A {a}: login as {supplier['email']} -> {status}, landed on {landed}")
        status, landed, page = browser.open(f"{b}/submissions?period=2026-10")
        logged_in = status == 200 and "/login" not in landed and code in page
        print(f"B {b}: GET /submissions with A's cookie -> {status} (logged in: {logged_in})")
        csv_text = f"agreement,service,metric,period,value,comment\n{ref},{service},{metric},"
        csv_text += f"2026-10,{'99.93' if metric == 'AVAIL' else '4.4'},{marker}\n"
        body, content_type = multipart(
            {"csrf_token": browser.csrf(f"{b}/submissions?period=2026-10")},
            "figures.csv",
            csv_text.encode(),
        )
        status, _landed, _page = browser.open(
            f"{b}/submissions/upload?period=2026-10", body, {"Content-Type": content_type}
        )
        print(f"B {b}: upload {ref} {metric} 2026-10 -> {status}")
        status, _landed, page = browser.open(f"{a}/submissions?period=2026-10")
        shown = marker in page or "99.93" in page
        print(f"A {a}: the figure uploaded on B is on A's page: {shown}")
        driver = Driver(url)
        stored = driver.rows("SELECT COUNT(*) FROM measurements WHERE comment = ?", marker)[0][0]
        driver.close()
        print(f"database: {stored} row(s) with the upload's comment (want 1)")
        if not logged_in or stored != 1:
            sys.exit(1)
    finally:
        first.stop()
        second.stop()


if __name__ == "__main__":
    main()
