"""Bytes and requests per patient page, as Debian's chromium loads them; prints, asserts nothing.

Run from the repository root::

    uv run python bench/page_weight.py

It seeds the demo clinic into a throw-away data folder (``backcare serve --demo --no-serve`` with
``BACKCARE_DATA_DIR``), serves it with waitress (``backcare serve``) on a free loopback port, logs
in as ``demo-dana`` and opens each patient page in a fresh browser context, so every figure is a
first visit with an empty cache. Debug is off, as in production.

Columns:

- requests: every request the page made, the document included;
- transferred: what crossed the wire, from Playwright's ``request.sizes()`` (Chromium's own
  count): response headers plus the response body as sent (compressed if the server compressed);
- HTML: the document's body alone, decoded;
- gzipped: the same responses if each body were gzip-compressed (level 6, as nginx and Caddy
  default to) plus their headers — what a compressing reverse proxy in front of backcare would
  send. backcare itself does not compress: whitenoise serves the static files from finders
  without pre-compressed copies, and no GZip middleware is on (compression of pages that carry
  secrets invites BREACH-style attacks; leave it to the proxy's judgement).
"""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]
USERNAME, PASSWORD = "demo-dana", "demo-backcare"
PAGES = [
    ("today", "/me/"),
    ("guided session", "/me/session/"),
    ("history", "/me/history/"),
    ("progress", "/me/progress/"),
    ("weekly check-in", "/me/checkin/"),
    ("questionnaires", "/me/questionnaires/"),
    ("reminders", "/me/reminders/"),
    ("symptom report", "/me/symptom/"),
    ("exercise detail", "/exercises/bridge/"),
]


@dataclass(frozen=True)
class Weight:
    page: str
    requests: int
    transferred_bytes: int
    html_bytes: int
    gzipped_bytes: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def manage(*args: str) -> list[str]:
    """The command line of a backcare management command, in this Python environment."""
    return [sys.executable, str(ROOT / "manage.py"), *args]


def start_server(data_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    """Seed the demo clinic, then serve it; return the server process and its address."""
    env = os.environ | {
        "BACKCARE_DATA_DIR": data_dir,
        "BACKCARE_ENV": "development",
        "BACKCARE_DEBUG": "0",
    }
    subprocess.run(
        manage("serve", "--demo", "--no-serve"),
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = subprocess.Popen(
        manage("serve", "--port", str(port)),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/login/", timeout=1).close()
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"backcare did not answer at {url}")


def weigh(browser: Any, url: str, state: Any, name: str, path: str) -> Weight:
    """Open one page in a fresh context (empty cache) and add up what it loaded."""
    context = browser.new_context(base_url=url, storage_state=state)
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    document = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert document is not None and document.ok, f"{path} answered {document and document.status}"
    transferred = gzipped = 0
    for response in responses:
        sizes = response.request.sizes()
        body = response.body()
        transferred += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        gzipped += sizes["responseHeadersSize"] + len(gzip.compress(body, compresslevel=6))
    weight = Weight(name, len(responses), transferred, len(document.body()), gzipped)
    context.close()
    return weight


def log_in(browser: Any, url: str) -> Any:
    """The logged-in session of demo-dana, to open each page with."""
    context = browser.new_context(base_url=url)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/me/")
    state = context.storage_state()
    context.close()
    return state


def measure(url: str) -> list[Weight]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            anonymous: dict[str, list[Any]] = {"cookies": [], "origins": []}
            weights = [weigh(browser, url, anonymous, "login", "/login/")]
            state = log_in(browser, url)
            weights += [weigh(browser, url, state, name, path) for name, path in PAGES]
        finally:
            browser.close()
    return weights


def table(weights: list[Weight]) -> str:
    lines = [
        "| page | requests | transferred (B) | HTML (B) | if gzipped (B) |",
        "|---|--:|--:|--:|--:|",
    ]
    for w in weights:
        lines.append(
            f"| {w.page} | {w.requests} | {w.transferred_bytes:,} | {w.html_bytes:,} "
            f"| {w.gzipped_bytes:,} |"
        )
    lines.append(
        f"| **total** | {sum(w.requests for w in weights)} "
        f"| {sum(w.transferred_bytes for w in weights):,} "
        f"| {sum(w.html_bytes for w in weights):,} | {sum(w.gzipped_bytes for w in weights):,} |"
    )
    return "\n".join(lines)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="backcare-weight-") as data_dir:
        server, url = start_server(data_dir)
        try:
            weights = measure(url)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Patient pages of the demo clinic as {USERNAME}, first visit (empty cache),")
    print(f"measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {Path(CHROMIUM).name}:\n")
    print(table(weights))


if __name__ == "__main__":
    main()
