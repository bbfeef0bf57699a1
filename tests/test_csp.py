"""Lean, self-contained pages: nothing a page loads comes from another origin (issue 4, item 5).

Three layers: the Content-Security-Policy header on every kind of response; a guard over the
templates, scripts and style sheet so that nothing the policy would block (inline code, inline
styles, event-handler attributes, assets from other origins) is written in the first place; and a
real browser that records every request and every policy violation on each patient page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.patients.models import Patient
from backcare.testing import logged_in
from tests.test_browser_a11y import (
    PAGE_COUNT,
    PatientWithData,
    build_patient_with_data,
    log_in,
    visit_patient_pages,
    walk_guided_session,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backcare"
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))
SCRIPTS = sorted((PACKAGE / "static").glob("**/*.js"))
STYLE_SHEETS = sorted((PACKAGE / "static").glob("**/*.css"))

PATIENT_PAGES = [
    "/me/",
    "/me/history/",
    "/me/progress/",
    "/me/checkin/",
    "/me/questionnaires/",
    "/me/symptom/",
    "/me/session/",
    "/me/reminders/",
    "/exercises/",
    "/exercises/bridge/",
]
CLINICIAN_PAGES = [
    "/clinic/patients/",
    "/clinic/patients/new/",
    "/clinic/patients/{pk}/",
    "/clinic/patients/{pk}/checkins/",
    "/clinic/patients/{pk}/goals/",
    "/clinic/patients/{pk}/timeline/",
    "/clinic/patients/{pk}/instruments/",
    "/clinic/reviews/",
    "/clinic/alerts/",
    "/clinic/instruments/",
    "/clinic/settings/rules/",
]
ANONYMOUS_PAGES = ["/login/", "/password/reset/", "/invite/not-a-token/", "/no-such-page/"]


def policy_of(response: Any) -> dict[str, list[str]]:
    """The Content-Security-Policy header as directive → sources."""
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy header"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    everything = [source for sources in policy.values() for source in sources]
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
        assert unsafe not in everything


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_it_sends_the_strict_policy_with_every_patient_page(patient: Patient, path: str) -> None:
    response = logged_in(patient.user).get(path)
    assert response.status_code == 200, path
    assert_strict(policy_of(response))


@pytest.mark.parametrize("path", CLINICIAN_PAGES)
def test_it_sends_the_strict_policy_with_every_clinician_page(
    clinician: User, patient: Patient, path: str
) -> None:
    response = logged_in(clinician).get(path.format(pk=patient.pk))
    assert response.status_code == 200, path
    assert_strict(policy_of(response))


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_it_sends_the_strict_policy_with_pages_before_login_and_errors(db: Any, path: str) -> None:
    assert_strict(policy_of(Client().get(path)))


def test_it_sends_the_strict_policy_with_api_answers_and_redirects(patient: Patient) -> None:
    client = logged_in(patient.user)
    for response in (client.get("/api/v1/openapi.json"), Client().get("/me/")):
        assert response.status_code in (200, 302)
        assert_strict(policy_of(response))


# ---- guard over what we write: nothing the policy would have to block ----
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
ASSET_FROM_ELSEWHERE = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed|object|track|image|use)\b[^>]*?"
    r"\s(src|href|srcset|data|poster|xlink:href)\s*=\s*[\"']?\s*(https?:)?//",
    re.IGNORECASE | re.DOTALL,
)


def template_problems(text: str, where: str) -> list[str]:
    """Everything in a template's text that the policy would block or that loads from elsewhere."""
    problems = []
    for attributes, body in SCRIPT_TAG.findall(text):
        if "src=" in attributes and not body.strip():
            continue
        if re.search(r"type=[\"']application/json[\"']", attributes):
            continue
        problems.append(f"{where}: inline <script>{body.strip()[:60]}")
    problems += [f"{where}: event handler {m.group(0)[-40:]}" for m in EVENT_HANDLER.finditer(text)]
    problems += [
        f"{where}: style attribute {m.group(0)[-40:]}" for m in STYLE_ATTRIBUTE.finditer(text)
    ]
    problems += [f"{where}: <style> element" for _ in STYLE_ELEMENT.finditer(text)]
    problems += [
        f"{where}: asset from another origin {m.group(0)[-60:]}"
        for m in ASSET_FROM_ELSEWHERE.finditer(text)
    ]
    return problems


@pytest.mark.parametrize(
    "sample",
    [
        "<script>alert(1)</script>",
        '<button type="button" onclick="go()">',
        '<p class="x" style="color: red">',
        "<style>p { color: red }</style>",
        '<script src="https://cdn.example/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example/css">',
        '<img alt="" src="http://x.example/a.png">',
    ],
)
def test_the_guard_finds_what_the_policy_would_block(sample: str) -> None:
    assert template_problems(sample, "sample") != []


@pytest.mark.parametrize(
    "sample",
    [
        '<script src="/static/backcare/player.js" defer></script>',
        '<script id="data" type="application/json">{"a": 1}</script>',
        '<a href="https://www.nice.org.uk/guidance/ng59">NICE</a>',
        '<p class="muted" data-once="1">Words with "on" inside: once, only, button</p>',
    ],
)
def test_the_guard_lets_through_what_the_policy_allows(sample: str) -> None:
    assert template_problems(sample, "sample") == []


def test_no_template_writes_what_the_policy_would_block() -> None:
    assert len(TEMPLATES) > 40
    problems = [
        problem
        for path in TEMPLATES
        for problem in template_problems(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert problems == [], "\n".join(problems)


def matches(paths: list[Path], patterns: tuple[str, ...]) -> list[str]:
    """Each match of any pattern in any file, as "file: matched text"."""
    return [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in paths
        for pattern in patterns
        for match in re.finditer(pattern, path.read_text())
    ]


def test_no_script_evaluates_strings_or_reaches_another_origin() -> None:
    problems = matches(
        SCRIPTS,
        (
            r"\beval\s*\(",
            r"\bnew\s+Function\s*\(",
            r"setTimeout\s*\(\s*[\"'`]",
            r"[\"'`](https?:)?//[a-z0-9.-]+",
            r"\.setAttribute\(\s*[\"'](style|on[a-z]+)[\"']",
        ),
    )
    assert problems == [], "\n".join(problems)


def test_no_style_sheet_imports_or_points_to_another_origin() -> None:
    problems = matches(STYLE_SHEETS, (r"@import\b", r"url\(\s*[\"']?\s*(https?:)?//"))
    assert STYLE_SHEETS and problems == [], "\n".join(problems)


# ---- in a real browser: every request stays on this origin, nothing is blocked ----
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});"""


@pytest.fixture
def patient_with_data(transactional_db: Any) -> PatientWithData:
    return build_patient_with_data()


class Traffic:
    """Every request and console message of a page, each tagged with the step it came after."""

    def __init__(self, page: Any) -> None:
        self.step = "start"
        self.requests: list[tuple[str, str]] = []
        self.console: list[tuple[str, str]] = []
        page.on("request", lambda request: self.requests.append((self.step, request.url)))
        page.on("console", lambda message: self.console.append((self.step, message.text)))
        # an init script runs before the page's own scripts and, like evaluate, is not subject
        # to CSP; it turns each violation event into a console message
        page.context.add_init_script(REPORT_VIOLATIONS)

    def foreign(self, origin: str) -> list[str]:
        return [
            f"after {at}: {url}" for at, url in self.requests if not url.startswith(origin + "/")
        ]

    def blocked(self) -> list[str]:
        return [
            f"after {at}: {text}"
            for at, text in self.console
            if "CSP violation" in text or "Content Security Policy" in text
        ]


@pytest.mark.browser
def test_patient_pages_request_nothing_from_another_origin_and_break_no_policy(
    patient_with_data: PatientWithData, browser_page: Any, live_server: Any
) -> None:
    traffic = Traffic(browser_page)
    visited = 0
    for where in visit_patient_pages(browser_page, patient_with_data):
        traffic.step = where
        visited += 1
        browser_page.wait_for_load_state("networkidle")
    assert visited == PAGE_COUNT and len(traffic.requests) >= visited
    assert traffic.foreign(live_server.url) == [], "\n".join(traffic.foreign(live_server.url))
    assert traffic.blocked() == [], "\n".join(traffic.blocked())


@pytest.mark.browser
def test_the_guided_session_requests_nothing_from_another_origin_and_breaks_no_policy(
    patient_with_data: PatientWithData, browser_page: Any, live_server: Any
) -> None:
    traffic = Traffic(browser_page)
    log_in(browser_page, patient_with_data.username)
    steps = []
    for where in walk_guided_session(browser_page):
        traffic.step = where
        steps.append(where)
    browser_page.wait_for_load_state("networkidle")
    assert steps[-1] == "guided session: done"
    assert any("/api/v1/" in url for _, url in traffic.requests)  # the session was sent
    assert traffic.foreign(live_server.url) == [], "\n".join(traffic.foreign(live_server.url))
    assert traffic.blocked() == [], "\n".join(traffic.blocked())


def test_the_interactive_api_docs_load_their_files_from_this_server(db: Any) -> None:
    """django-ninja's Swagger UI comes from a CDN unless the ``ninja`` app serves its own copy."""
    response = Client().get("/api/v1/docs")
    body = response.content.decode()

    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert assets and all(url.startswith("/static/") for url in assets), assets
    assert not re.search(r"<script(?![^>]*(?:src=|application/json))[^>]*>", body)
    for url in assets:
        asset = Client().get(url)
        asset.close()  # static files stream from disk
        assert asset.status_code == 200, url
