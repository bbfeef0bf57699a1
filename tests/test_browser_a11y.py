"""Patient pages (and the clinician's) in a real browser: axe-core at WCAG 2.2 AA, 320 px wide and
200 % text; the style sheet's colour pairs against WCAG's contrast minimum; wide tables that a
keyboard can scroll. See docs/accessibility.md.

axe-core comes from npm (``npm ci`` at the repository root). It is run with ``page.evaluate``
rather than ``page.add_script_tag``: a script tag with inline content is an inline script, which
our Content-Security-Policy (``script-src 'self'``) rightly blocks, while ``evaluate`` goes through
the DevTools protocol and is not subject to the page's CSP. ``bypass_csp`` would also work, but it
would switch the policy off for the page under test, hiding the very violations ``test_csp`` looks
for. Likewise 200 % text is set through the CSSOM (``style.fontSize``), which CSP allows, not an
injected ``<style>`` element, which it blocks.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from backcare.accounts.models import Clinic, Invitation, User
from backcare.checkins.models import Goal
from backcare.instruments.models import Assignment, Instrument
from backcare.instruments.services import Licence, assign_instrument, import_instrument
from backcare.library.services import refresh_library
from backcare.logbook.models import Session
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.testing import (
    PASSWORD,
    browser_log_in,
    log_sessions,
    make_patient,
    make_programme,
    open_menu,
)

browser = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(
  (result) => result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  })))"""

# A questionnaire the clinic "imports": our own placeholder wording, no licensed instrument text.
QUESTIONNAIRE = {
    "resourceType": "Questionnaire",
    "url": "https://clinic.example/Questionnaire/a11y",
    "version": "1",
    "title": "Placeholder questionnaire",
    "status": "active",
    "item": [
        {"linkId": "q-1", "text": "Question 1", "type": "boolean", "required": True},
        {
            "linkId": "q-2",
            "text": "Question 2",
            "type": "choice",
            "required": True,
            "answerOption": [
                {
                    "valueCoding": {
                        "system": "urn:placeholder",
                        "code": f"opt-{k}",
                        "display": f"Option {k}",
                    }
                }
                for k in range(5)
            ],
        },
        {"linkId": "q-3", "text": "Question 3", "type": "integer"},
    ],
}
LONG_NOTE = "Sheet from my physio: https://clinic.example/handouts/back-exercises-stage-one-v2.pdf"
LONG_GOAL = "Walk to Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch station"
LICENCE = Licence("Placeholder Owner", "Placeholder licence.", "Placeholder attribution.")


@dataclass(frozen=True)
class PatientWithData:
    """A patient (with a login) three weeks into a programme, and an invitation for another."""

    username: str
    assignment_id: int
    invitation_token: str


def build_patient_with_data() -> PatientWithData:
    """Three weeks of logs, two goals, a check-in due, a questionnaire to answer, an invitation."""
    refresh_library()
    clinic = Clinic.objects.create(name="Riverside Physio", phone="01234 567890")
    clinician = User.objects.create_user(
        "alice", "a@riverside.example", PASSWORD, role="clinician", clinic=clinic
    )
    patient = make_patient(clinic, "pat", equipment=["wall"])
    programme = make_programme(patient, ["abdominal-bracing", "bridge", "walking"])
    today = timezone.localdate()
    Programme.objects.filter(pk=programme.pk).update(
        assigned_at=timezone.now() - timedelta(days=21)
    )
    log_sessions(programme, today - timedelta(days=20), 20, 5, 2, every=2)
    # long unbreakable words, as patients type them, must wrap rather than widen the page
    Session.objects.filter(patient=patient).update(notes=LONG_NOTE)
    for position, activity in enumerate([LONG_GOAL, "Lift my grandson"]):
        Goal.objects.create(
            patient=patient, activity=activity, baseline_0_10=2 + position, position=position
        )
    instrument = import_instrument(
        clinician, clinic, json.dumps(QUESTIONNAIRE), LICENCE, rule="none"
    )
    assignment = assign_instrument(clinician, patient, instrument, Assignment.Context.INTAKE)
    newcomer = Patient.objects.create(
        clinic=clinic,
        first_name="Noor",
        last_name="New",
        email="noor@example.org",
        baseline_pain_0_10=5,
    )
    _invitation, token = Invitation.issue(newcomer, clinician)
    return PatientWithData("pat", assignment.pk, token)


PAGE_COUNT = 16  # the pages (and states) visit_patient_pages opens


def visit_patient_pages(page: Any, data: PatientWithData) -> Iterator[str]:
    """Open every patient-facing page in turn, yielding its name once it has loaded.

    The invitation and login pages come first (anonymous); then the patient logs in. A red flag
    reported last shows the stop advice, and Today as it looks while the programme is stopped.
    """
    response = page.goto(f"/invite/{data.invitation_token}/")
    assert response is not None and response.ok, "the invitation should be open"
    yield "invitation acceptance"
    page.goto("/login/")
    yield "login"
    page.fill("#id_username", data.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/me/")
    yield "today"
    open_menu(page)
    yield "today, navigation menu open"
    for path in [
        "/me/history/",
        "/me/progress/",
        "/me/checkin/",
        "/me/questionnaires/",
        f"/me/questionnaires/{data.assignment_id}/",
        "/exercises/bridge/",
        "/me/session/",
        "/me/reminders/",
    ]:
        response = page.goto(path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        yield path
    page.goto("/me/symptom/")
    yield "symptom report"
    with page.expect_navigation():
        page.click("main button[type=submit]")
    yield "symptom report: nothing new"
    page.goto("/me/symptom/")
    page.check('input[name="flags"] >> nth=0')
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("[role=alert]").count() == 1
    yield "symptom report: stop and seek care"
    page.goto("/me/")
    yield "today, programme stopped"


@pytest.fixture
def patient_with_data(transactional_db: Any) -> PatientWithData:
    return build_patient_with_data()


def load_axe(path: Path) -> str:
    """axe-core's script, installed by ``npm ci``; missing skips the test, or fails it in CI."""
    if not path.exists():
        message = "axe-core is needed: run `npm ci` in the repository root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path.read_text()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return load_axe(AXE)


OPEN_DETAILS = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """Run axe-core for WCAG 2.0–2.2 A and AA rules, with every <details> opened so that what
    they hide is checked too."""
    page.evaluate(OPEN_DETAILS)
    page.evaluate(axe_source)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, WCAG_22_AA)
    return violations


def describe(found: dict[str, list[dict[str, Any]]]) -> str:
    """One readable block per page: rule id, impact, help, then each target and its summary."""
    lines = []
    for where, violations in found.items():
        for violation in violations:
            lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@browser
def test_it_finds_no_wcag_22_aa_violations_on_any_patient_page(
    patient_with_data: PatientWithData, browser_page: Any, axe_source: str
) -> None:
    found, visited = {}, []
    for where in visit_patient_pages(browser_page, patient_with_data):
        visited.append(where)
        if violations := axe_violations(browser_page, axe_source):
            found[where] = violations
    assert len(visited) == PAGE_COUNT
    assert not found, "axe-core found WCAG 2.2 AA violations:\n" + describe(found)


def log_in(page: Any, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/me/")


def walk_guided_session(page: Any) -> Iterator[str]:
    """Take the guided session through its states (ready, holding, rating, summary, done),
    yielding each; the page clock is Playwright's, so a 20-minute walk passes at once."""
    page.clock.install()
    page.goto("/me/session/")
    page.wait_for_selector("#player-main:visible")
    yield "guided session: ready"
    page.click("#player-main")
    page.clock.run_for(2_000)
    yield "guided session: holding"
    page.click("#player-next")
    page.click("#player-next")
    page.click("#player-main")
    page.clock.run_for(21 * 60_000)
    page.wait_for_selector("#player-rate:visible")
    yield "guided session: rating"
    page.click("#player-rate-next")
    page.wait_for_selector("#player-summary:visible")
    yield "guided session: summary"
    page.click("#player-save")
    page.wait_for_selector("#player-done:visible")
    yield "guided session: done"


@browser
def test_it_finds_no_violations_in_any_state_of_the_guided_session(
    patient_with_data: PatientWithData, browser_page: Any, axe_source: str
) -> None:
    log_in(browser_page, patient_with_data.username)
    found = {}
    for where in walk_guided_session(browser_page):
        if violations := axe_violations(browser_page, axe_source):
            found[where] = violations
    assert not found, "axe-core found WCAG 2.2 AA violations:\n" + describe(found)


@browser
def test_it_fits_every_state_of_the_guided_session_in_320_px(
    patient_with_data: PatientWithData, browser_page: Any
) -> None:
    browser_page.set_viewport_size({"width": 320, "height": 640})
    log_in(browser_page, patient_with_data.username)
    problems = []
    for where in walk_guided_session(browser_page):
        problems += problems_of(where, overflow(browser_page))
    assert problems == [], "\n".join(problems)


@browser
def test_it_finds_no_violations_on_todays_page_in_spanish(
    patient_with_data: PatientWithData, browser_page: Any, axe_source: str
) -> None:
    page = browser_page
    log_in(page, patient_with_data.username)
    page.select_option("#language", "es")
    page.click(".language-switch button[type=submit]")
    page.wait_for_selector("html[lang=es]")
    violations = axe_violations(page, axe_source)
    assert not violations, "axe-core found violations in Spanish:\n" + describe(
        {"today (es)": violations}
    )


# Elements that must be reachable without scrolling sideways, unless they sit in a container that
# scrolls on its own (a wide data table in .table-scroll, which WCAG 1.4.10 allows).
OUT_OF_REACH = """(width) => {
  const scrolls = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if ((o === "auto" || o === "scroll") && a.scrollWidth > a.clientWidth) return true;
    }
    return false;
  };
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary");
  return [...controls].filter((el) => {
    if (el.classList.contains("skip")) return false;  // shown on focus, checked separately
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;  // not rendered (closed <details>)
    return (r.left < -1 || r.right > width + 1) && !scrolls(el);
  }).map((el) => el.outerHTML.slice(0, 120));
}"""

# Elements whose overflow is hidden and whose content is bigger than their box: clipped text.
CLIPPED = """() => [...document.querySelectorAll("body *")].filter((el) => {
  if (el.closest(".visually-hidden, .skip, svg")) return false;  // hidden on purpose; drawings
  if (!el.textContent.trim()) return false;
  const s = getComputedStyle(el);
  const hidesX = ["hidden", "clip"].includes(s.overflowX);
  const hidesY = ["hidden", "clip"].includes(s.overflowY);
  return (hidesX && el.scrollWidth > el.clientWidth + 1) ||
         (hidesY && el.scrollHeight > el.clientHeight + 1) ||
         (s.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1);
}).map((el) => el.outerHTML.slice(0, 120))"""


def overflow(page: Any) -> dict[str, Any]:
    """How wide the document is against the viewport, and what is out of reach or clipped."""
    width = page.viewport_size["width"]
    page.evaluate(OPEN_DETAILS)
    return {
        "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
        "width": width,
        "out_of_reach": page.evaluate(OUT_OF_REACH, width),
        "clipped": page.evaluate(CLIPPED),
    }


def problems_of(where: str, measured: dict[str, Any]) -> list[str]:
    problems = []
    if measured["scroll_width"] > measured["width"]:
        problems.append(
            f"{where}: scrolls sideways ({measured['scroll_width']} px > {measured['width']} px)"
        )
    problems += [f"{where}: out of reach: {html}" for html in measured["out_of_reach"]]
    problems += [f"{where}: clipped: {html}" for html in measured["clipped"]]
    return problems


@browser
@pytest.mark.parametrize("language", ["en-gb", "es"])  # Spanish runs longer: its own check
def test_it_fits_every_patient_page_in_320_px_without_scrolling_sideways(
    patient_with_data: PatientWithData, browser_page: Any, live_server: Any, language: str
) -> None:
    page = browser_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 320, "height": 640})
    problems, visited = [], 0
    for where in visit_patient_pages(page, patient_with_data):
        visited += 1
        assert page.get_attribute("html", "lang") == language, where
        problems += problems_of(where, overflow(page))
    assert visited == PAGE_COUNT
    assert problems == [], "\n".join(problems)


@browser
def test_it_fits_every_patient_page_at_200_percent_text(
    patient_with_data: PatientWithData, browser_page: Any
) -> None:
    browser_page.set_viewport_size({"width": 640, "height": 800})
    problems, visited = [], 0
    for where in visit_patient_pages(browser_page, patient_with_data):
        visited += 1
        # a state reached without loading a page (the menu opened) still has the 200 % text
        browser_page.evaluate("document.documentElement.style.fontSize = ''")
        before = browser_page.evaluate("getComputedStyle(document.body).fontSize")
        browser_page.evaluate("document.documentElement.style.fontSize = '200%'")
        after = browser_page.evaluate("getComputedStyle(document.body).fontSize")
        assert float(after[:-2]) >= 2 * float(before[:-2]), f"{where}: text did not grow"
        problems += problems_of(where, overflow(browser_page))
    assert visited == PAGE_COUNT
    assert problems == [], "\n".join(problems)


CLINICIAN_PAGES = [
    "/clinic/patients/",
    "/clinic/patients/new/",
    "/clinic/patients/{pk}/",
    "/clinic/patients/{pk}/screen/",
    "/clinic/patients/{pk}/checkins/",
    "/clinic/patients/{pk}/goals/",
    "/clinic/patients/{pk}/timeline/",
    "/clinic/patients/{pk}/instruments/",
    "/clinic/patients/{pk}/reminders/",
    "/clinic/patients/{pk}/motion/",
    "/clinic/programmes/{programme}/",
    "/clinic/reviews/",
    "/clinic/alerts/",
    "/clinic/instruments/",
    "/clinic/instruments/{instrument}/",
    "/clinic/settings/rules/",
    "/exercises/",
]


def visit_clinician_pages(page: Any) -> Iterator[str]:
    """The clinician's pages about the patient with data (the issue asks for patient pages; the
    clinician's get the same checks so they stay usable on a phone too)."""
    patient = Patient.objects.get(user__username="pat")
    programme = patient.programme_set.get()
    instrument = Instrument.objects.get()
    browser_log_in(page, "alice")
    page.wait_for_url("**/clinic/**")
    for template in CLINICIAN_PAGES:
        path = template.format(pk=patient.pk, programme=programme.pk, instrument=instrument.pk)
        response = page.goto(path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        yield path


@browser
def test_it_finds_no_wcag_22_aa_violations_on_clinician_pages(
    patient_with_data: PatientWithData, browser_page: Any, axe_source: str
) -> None:
    found = {}
    for where in visit_clinician_pages(browser_page):
        if violations := axe_violations(browser_page, axe_source):
            found[where] = violations
    assert not found, "axe-core found WCAG 2.2 AA violations:\n" + describe(found)


@browser
def test_it_fits_clinician_pages_in_320_px_without_scrolling_sideways(
    patient_with_data: PatientWithData, browser_page: Any
) -> None:
    browser_page.set_viewport_size({"width": 320, "height": 640})
    problems = []
    for where in visit_clinician_pages(browser_page):
        problems += problems_of(where, overflow(browser_page))
    assert problems == [], "\n".join(problems)


@browser
def test_it_finds_no_violations_on_today_with_answers_to_check(
    patient_with_data: PatientWithData, browser_page: Any, axe_source: str
) -> None:
    """Today saved with nothing answered: every exercise's log form opens by itself, with its
    error, and the page still fits 320 px."""
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, patient_with_data.username)
    page.click("button:has-text('Save this session')")
    page.wait_for_selector(".log-it[open] .errorlist")
    assert page.locator(".log-it:not([open])").count() == 0
    problems = problems_of("today, answers to check", overflow(page))
    violations = axe_violations(page, axe_source)
    assert problems == [], "\n".join(problems)
    assert not violations, "axe-core found violations:\n" + describe(
        {"today, answers to check": violations}
    )


@browser
def test_it_shows_the_skip_link_inside_the_viewport_when_focused(
    patient_with_data: PatientWithData, browser_page: Any
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/login/")
    page.focus("a.skip")
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320


@browser
def test_it_finds_no_violations_with_the_demo_banner_shown(
    patient_with_data: PatientWithData, browser_page: Any, axe_source: str
) -> None:
    Clinic.objects.update(is_demo=True)
    page = browser_page
    log_in(page, patient_with_data.username)
    assert page.locator(".demo-banner").count() == 1
    violations = axe_violations(page, axe_source)
    assert not violations, "axe-core found violations:\n" + describe({"today (demo)": violations})


# ---- colour contrast of the style sheet's text colours (WCAG 2.2 SC 1.4.3, no browser needed) ----
CSS = ROOT / "backcare" / "static" / "backcare" / "backcare.css"
# (selector, the background it sits on when the rule sets none): each pair must reach 4.5 : 1,
# the minimum for normal-size text. axe-core checks what the tested pages show; this table also
# covers states those pages may not reach (a danger badge, a secondary button, an open alert row).
TEXT_ON = [
    ("body", "body"),
    (".muted", ".card"),
    (".muted", "body"),
    (".muted", ".notice"),
    (".muted", ".alert"),
    ("a", "body"),
    ("a", ".card"),
    ("a", ".notice"),
    (".button, button[type=submit]", None),
    ("button.secondary", None),
    (".badge", None),
    (".badge.danger", None),
    (".badge.demo", None),
    (".demo-banner", None),
    (".symptom-link", ".card"),
    (".errorlist", ".card"),
    (".alert h2", ".alert"),
    ("button.link", ".card"),
    ("tr.open td", None),
    (".done-today", ".card"),
]


def css_rules(text: str) -> dict[str, dict[str, str]]:
    """Selector text → declarations, for the flat rules of our style sheet."""
    rules: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", text)):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (d.partition(":") for d in body.split(";"))
            if value.strip()
        )
        rules.setdefault(" ".join(selector.split()), {}).update(declarations)
    return rules


def colour(rules: dict[str, dict[str, str]], selector: str, prop: str) -> str | None:
    value = rules.get(selector, {}).get(prop)
    if value is None and prop == "background-color":
        value = rules.get(selector, {}).get("background")
    if value is None or value in ("none", "transparent", "inherit"):
        return None  # it shows what it sits on
    for name, replacement in rules[":root"].items():
        value = value.replace(f"var({name})", replacement)
    found = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    assert found, f"{selector} {{ {prop}: {value} }} is not a hex colour this check can read"
    return found.group(0)


def luminance(hex_colour: str) -> float:
    """Relative luminance as WCAG 2.2 defines it (sRGB)."""
    digits = hex_colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("selector", "sits_on"), TEXT_ON)
def test_its_text_colours_reach_the_wcag_aa_contrast_minimum(
    selector: str, sits_on: str | None
) -> None:
    rules = css_rules(CSS.read_text())
    assert selector in rules, f"{selector} is no longer in backcare.css; update TEXT_ON"
    foreground = colour(rules, selector, "color") or colour(rules, "body", "color")
    background = colour(rules, selector, "background-color") or colour(
        rules, sits_on or "body", "background-color"
    )
    assert foreground and background
    ratio = contrast(foreground, background)
    assert ratio >= 4.5, f"{selector}: {foreground} on {background} is only {ratio:.2f} : 1"


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48)],
)
def test_it_computes_contrast_as_wcag_does(
    foreground: str, background: str, expected: float
) -> None:
    assert contrast(foreground, background) == pytest.approx(expected, abs=0.01)


def test_every_table_scroll_box_can_be_scrolled_with_the_keyboard() -> None:
    """A scroll box with nothing focusable inside is out of a keyboard user's reach (axe rule
    scrollable-region-focusable), so each is a named, focusable region."""
    boxes = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path in sorted((ROOT / "backcare").glob("**/templates/**/*.html"))
        for tag in re.findall(
            r"<[a-z]+\b[^>]*class=\"[^\"]*\btable-scroll\b[^>]*>", path.read_text()
        )
    ]
    unreachable = [
        box
        for box in boxes
        if not ('tabindex="0"' in box and 'role="region"' in box and "aria-label" in box)
    ]
    assert len(boxes) >= 7
    assert unreachable == [], "\n".join(unreachable)


@pytest.mark.parametrize(
    ("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)]
)
def test_it_skips_without_axe_core_but_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="npm ci"):
        load_axe(tmp_path / "axe.min.js")
