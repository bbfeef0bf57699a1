"""The guided session player in a real browser (Debian's chromium through Playwright).

Timers run on Playwright's fake clock (``page.clock``), paused, and are moved on with
``run_for`` instead of sleeping. Every test fails on any console error, uncaught exception or
Content-Security-Policy violation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from backcare.audit.models import AuditEvent
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem
from backcare.testing import PASSWORD, make_programme

pytestmark = pytest.mark.browser

OUTBOX_KEY = "backcare.outbox.v1"
PENDING = "Saved on this phone; it will be sent when you are back online."
UNSTORED = "Not stored on this phone — keep this page open until it is sent."
SESSIONS_API = "**/api/v1/me/sessions"


def watch_for_problems(page: Any) -> list[str]:
    """Console errors, uncaught exceptions and CSP violations seen by the page, as text."""
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the browser asks for an icon no page links to; not this page's doing
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return problems


BEEP_RECORDER = """window.beeps = [];
const startOscillator = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.beeps.push(this.frequency.value);
  return startOscillator.apply(this, args);
};"""


def open_player(page: Any, patient: Patient) -> None:
    """Log in as the patient, then start the guided session from today's page, clock paused."""
    assert patient.user is not None
    page.clock.install(time=datetime.now(UTC))
    page.goto("/login/")
    page.fill("#id_username", patient.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url("**/me/")
    page.click("text=Start guided session")
    page.wait_for_url("**/me/session/")
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=1))


def text_of(page: Any, name: str) -> str:
    return str(page.locator(f"#player-{name}").inner_text()).strip()


def rate(page: Any, pain: int, effort: int) -> None:
    page.check(f"#player-pain-{pain}")
    page.check(f"#player-effort-{effort}")
    page.click("#player-rate-next")


def items_of(patient: Patient) -> list[ProgrammeItem]:
    return list(patient.programme_set.get(status="active").items.select_related("exercise"))


def wait_until(page: Any, condition: Callable[[], bool]) -> None:
    """Poll the database while the browser keeps running (at most 15 s)."""
    for _ in range(150):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met within 15 s")


def test_it_guides_a_whole_session_with_timers_and_logs_it_once(
    transactional_db: Any, patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    problems = watch_for_problems(page)
    bracing, bridge, walking = items_of(patient)
    page.add_init_script(BEEP_RECORDER)
    open_player(page, patient)

    # abdominal bracing: 10 holds of 10 s with 10 s rest between
    assert text_of(page, "position") == "Exercise 1 of 3"
    assert page.locator(f"#exercise-{bracing.pk} .figure svg").count() >= 1
    assert (text_of(page, "phase"), text_of(page, "big")) == ("Hold 1 of 10", "10")
    page.click("#player-main:has-text('Start')")
    page.clock.run_for(4000)
    assert text_of(page, "big") == "6"
    assert "Hold 1 of 10: hold for 10 seconds." in text_of(page, "live")
    page.click("#player-main:has-text('Pause')")
    page.clock.run_for(5000)
    assert text_of(page, "big") == "6"
    page.click("#player-main:has-text('Resume')")
    page.clock.run_for(6000)
    assert (text_of(page, "phase"), text_of(page, "big")) == ("Rest", "10")
    assert "Rest for 10 seconds." in text_of(page, "live")
    # start (and again on resume), a tick in each of the last 3 s, the end tone
    assert page.evaluate("window.beeps") == [880, 880, 660, 660, 660, 520]
    page.click("#player-sound:has-text('Mute sounds')")
    page.clock.run_for(10_000)
    assert text_of(page, "phase") == "Hold 2 of 10"
    assert len(page.evaluate("window.beeps")) == 6
    assert page.evaluate("localStorage.getItem('backcare.player.sound')") == "off"
    page.clock.run_for(170_000)  # the other holds and rests run on their own
    assert text_of(page, "rate-title") == "How did Abdominal bracing go?"
    assert text_of(page, "rate-done") == "10 × 10 s hold"
    assert page.evaluate("document.activeElement.id") == "player-rate-title"
    rate(page, pain=2, effort=3)

    # bridge: 3 sets of 10 reps, counted with Space and the button, 45 s rest
    assert text_of(page, "position") == "Exercise 2 of 3"
    assert page.evaluate("document.activeElement.id") == f"exercise-{bridge.pk}-name"
    for _ in range(7):
        page.keyboard.press("Space")
    assert (text_of(page, "phase"), text_of(page, "big")) == ("Set 1 of 3", "7 of 10")
    for _ in range(3):
        page.keyboard.press("Space")
    assert (text_of(page, "phase"), text_of(page, "big")) == ("Rest", "45")
    page.click("#player-skip-rest")
    assert (text_of(page, "phase"), text_of(page, "big")) == ("Set 2 of 3", "0 of 10")
    for _ in range(10):
        page.click("#player-count")
    page.clock.run_for(20_000)
    assert text_of(page, "big") == "25"
    page.clock.run_for(25_000)
    assert text_of(page, "phase") == "Set 3 of 3"
    for _ in range(10):
        page.click("#player-count")
    assert text_of(page, "rate-done") == "3 × 10 reps"
    rate(page, pain=4, effort=6)

    # walking: a 20 minute timer
    assert text_of(page, "big") == "20:00"
    page.click("#player-main:has-text('Start')")
    page.clock.run_for(20 * 60_000)
    assert page.input_value("#player-minutes") == "20"
    rate(page, pain=1, effort=4)

    summary = text_of(page, "summary-list")
    assert "10 × 10 s hold, pain 2, effort 3" in summary
    assert "3 × 10 reps, pain 4, effort 6" in summary
    assert "20 min, pain 1, effort 4" in summary
    page.fill("#player-notes", "Guided")
    page.click("#player-save")
    page.wait_for_selector("#player-status:has-text('Saved.')")

    session = Session.objects.get(patient=patient)
    logs = {log.item_id: log for log in ExerciseLog.objects.filter(session=session)}
    assert (session.notes, session.performed_on) == ("Guided", timezone.localdate())
    got = [
        (
            logs[i.pk].done,
            logs[i.pk].sets_done,
            logs[i.pk].reps_done,
            logs[i.pk].hold_s_done,
            logs[i.pk].minutes_done,
            logs[i.pk].pain_during_0_10,
            logs[i.pk].effort_0_10,
        )
        for i in (bracing, bridge, walking)
    ]
    assert got == [
        (True, 10, None, 10, None, 2, 3),
        (True, 3, 10, None, None, 4, 6),
        (True, None, None, None, 20, 1, 4),
    ]
    assert problems == []


def test_it_keeps_the_session_on_the_phone_offline_and_sends_it_once_back_online(
    transactional_db: Any, patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    problems = watch_for_problems(page)
    bracing, bridge, walking = items_of(patient)
    open_player(page, patient)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.click("#player-main:has-text('Start')")
    page.clock.run_for(10_000)
    page.click("#player-finish-now")
    rate(page, pain=1, effort=2)
    for _ in range(3):
        page.click("#player-count")

    page.reload()  # the session in progress survives a reload
    assert text_of(page, "position") == "Exercise 2 of 3"
    assert text_of(page, "big") == "3 of 10"
    page.click("#player-finish-now")
    page.click("#player-rate-next")
    page.click("#player-mark-done")
    page.fill("#player-minutes", "15")
    page.click("#player-rate-next")

    page.context.set_offline(True)
    page.click("#player-save")
    page.wait_for_selector(f"#player-status:has-text('{PENDING}')")
    assert page.locator("#outbox").is_hidden()  # the player says it; the list does not repeat it
    assert Session.objects.count() == 0
    kept = page.evaluate(f"localStorage.getItem('{OUTBOX_KEY}')")

    page.context.set_offline(False)
    page.wait_for_selector("#player-status:has-text('Saved.')")
    wait_until(page, lambda: Session.objects.count() == 1)
    assert page.evaluate(f"localStorage.getItem('{OUTBOX_KEY}')") == "{}"

    # the answer to that request was lost, as far as the phone knows: it sends the log again
    page.evaluate(f"localStorage.setItem('{OUTBOX_KEY}', {json.dumps(kept)})")
    page.reload()
    page.wait_for_selector("#outbox li:has-text('Saved.')")
    assert page.evaluate(f"localStorage.getItem('{OUTBOX_KEY}')") == "{}"
    assert Session.objects.count() == 1
    assert AuditEvent.objects.filter(action="logbook.session.replay").count() == 1
    logs = {log.item_id: log for log in ExerciseLog.objects.all()}
    assert (logs[bracing.pk].sets_done, logs[bracing.pk].pain_during_0_10) == (1, 1)
    assert (logs[bridge.pk].sets_done, logs[bridge.pk].reps_done) == (1, 3)
    assert logs[walking.pk].minutes_done == 15
    assert problems == []


def test_it_keeps_a_session_the_server_refuses_visible_until_the_patient_removes_it(
    transactional_db: Any, patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    open_player(page, patient)
    for _ in range(3):
        page.click("#player-skip")
    page.context.set_offline(True)
    page.click("#player-save")
    page.wait_for_selector(f"#player-status:has-text('{PENDING}')")
    # while the phone was offline the clinician assigned a new programme version
    Programme.objects.filter(patient=patient).update(status="superseded")
    make_programme(patient, ["pelvic-tilt"])

    page.context.set_offline(False)
    failed = page.locator("#outbox li.outbox-failed")
    failed.wait_for()
    assert "Could not be saved: The session was not saved." in failed.inner_text()
    assert "is not an item of the active programme" in failed.inner_text()
    page.goto("/me/")  # still listed on today's page, never dropped on its own
    assert "Could not be saved" in page.locator("#outbox").inner_text()
    assert (
        page.evaluate(f"Object.keys(JSON.parse(localStorage.getItem('{OUTBOX_KEY}'))).length") == 1
    )

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#outbox button:has-text('Remove from this phone')")
    assert page.locator("#outbox").is_hidden()
    assert page.evaluate(f"localStorage.getItem('{OUTBOX_KEY}')") == "{}"
    assert Session.objects.count() == 0


def posts_seen(page: Any) -> list[str]:
    """The session POSTs the page makes from now on (answered by a route or by the server)."""
    seen: list[str] = []

    def on_request(request: Any) -> None:
        if request.method == "POST" and request.url.endswith("/api/v1/me/sessions"):
            seen.append(request.url)

    page.on("request", on_request)
    return seen


@pytest.mark.parametrize("answer", ["302 to a login page", "200 that is not the session"])
def test_it_keeps_the_session_when_something_else_answers_for_the_server(
    transactional_db: Any, patient: Patient, browser_page: Any, answer: str
) -> None:
    page = browser_page
    problems = watch_for_problems(page)
    open_player(page, patient)
    for _ in range(3):
        page.click("#player-skip")
    followed: list[str] = []
    page.on("request", lambda r: followed.append(r.url) if "/login/" in r.url else None)

    def proxy(route: Any) -> None:  # a proxy or maintenance page answers for backcare
        if answer.startswith("302"):  # to a real page of the site, which answers 200
            route.fulfill(status=302, headers={"Location": "/login/?next=/api/v1/me/sessions"})
        else:
            route.fulfill(status=200, content_type="application/json", body='{"ok": true}')

    page.route(SESSIONS_API, proxy)
    page.click("#player-save")
    page.wait_for_selector(f"#player-status:has-text('{PENDING}')")
    page.evaluate("window.backcareOutbox.sync()")
    assert "Saved." not in text_of(page, "status")
    kept = json.loads(page.evaluate(f"localStorage.getItem('{OUTBOX_KEY}')"))
    assert [entry["state"] for entry in kept.values()] == ["pending"]
    assert followed == []  # the redirect is not followed
    assert Session.objects.count() == 0

    page.unroute(SESSIONS_API)
    sent = posts_seen(page)
    page.clock.run_for(60_000)  # the outbox tries again every minute
    page.wait_for_selector("#player-status:has-text('Saved.')")
    wait_until(page, lambda: Session.objects.count() == 1)
    assert page.evaluate(f"localStorage.getItem('{OUTBOX_KEY}')") == "{}"
    assert len(sent) == 1
    assert str(Session.objects.get().client_id) == next(iter(kept))
    assert problems == []


REFUSE_OUTBOX_STORAGE = """const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (key === "backcare.outbox.v1") {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return setItem.call(this, key, value);
};"""


def test_it_says_so_when_the_phone_cannot_keep_the_session_and_still_sends_it(
    transactional_db: Any, patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    problems = watch_for_problems(page)
    # an init script runs through DevTools, not as page script: the CSP does not apply to it
    page.add_init_script(REFUSE_OUTBOX_STORAGE)
    assert patient.user is not None
    state_key = f"backcare.player.v1.{patient.user.pk}"
    open_player(page, patient)
    for _ in range(3):
        page.click("#player-skip")
    page.fill("#player-notes", "Phone full")

    page.context.set_offline(True)
    page.click("#player-save")
    page.wait_for_selector(f"#player-status:has-text('{UNSTORED}')")
    assert page.evaluate(f"localStorage.getItem('{OUTBOX_KEY}')") is None
    progress = json.loads(page.evaluate(f"localStorage.getItem('{state_key}')"))
    assert (progress["view"], progress["notes"]) == ("summary", "Phone full")

    # the server is out of reach; the page is reloaded and its memory lost, but not the session
    page.route(SESSIONS_API, lambda route: route.fulfill(status=503, body="down"))
    page.context.set_offline(False)
    page.reload()
    assert page.locator("#player-summary").is_visible()
    assert page.input_value("#player-notes") == "Phone full"
    page.click("#player-save")
    page.wait_for_selector(f"#player-status:has-text('{UNSTORED}')")
    page.evaluate("window.backcareOutbox.sync()")
    assert UNSTORED in text_of(page, "status")
    assert Session.objects.count() == 0

    page.unroute(SESSIONS_API)
    sent = posts_seen(page)
    page.context.set_offline(True)
    page.context.set_offline(False)  # back online: the outbox sends what it holds in memory
    page.wait_for_selector("#player-status:has-text('Saved.')")
    wait_until(page, lambda: Session.objects.count() == 1)
    session = Session.objects.get()
    assert (str(session.client_id), session.notes) == (progress["client_id"], "Phone full")
    assert len(sent) == 1
    assert page.evaluate(f"localStorage.getItem('{state_key}')") is None
    unavailable = "Failed to load resource: the server responded with a status of 503"
    assert [problem for problem in problems if unavailable not in problem] == []


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """() => axe.run(document, {runOnly: {type: "tag", values:
  ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}).then(
  (result) => result.violations.map(
    (v) => v.id + ": " + v.nodes.map((n) => n.target).join(", ")))"""


def test_it_passes_axe_in_every_state_of_the_player(
    transactional_db: Any, patient: Patient, browser_page: Any
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is needed: run `npm ci` in the repository root")
    page = browser_page
    open_player(page, patient)
    page.evaluate(AXE.read_text())
    found: dict[str, list[str]] = {}

    def check(state: str) -> None:
        page.clock.resume()  # axe waits on timers of its own
        found[state] = page.evaluate(RUN_AXE)
        page.clock.pause_at(page.evaluate("Date.now() / 1000") + 1)

    check("hold, ready")
    page.click("#player-main")
    page.clock.run_for(10_000)
    check("rest")
    page.click("#player-finish-now")
    check("pain and effort")
    page.click("#player-rate-next")
    page.click("#player-count")
    check("counting reps")
    page.click("#player-skip")
    page.click("#player-prev")
    check("skipped")
    page.click("#player-next")
    page.click("#player-mark-done")
    page.click("#player-rate-next")
    check("summary")
    page.click("#player-save")
    page.wait_for_selector("#player-status:has-text('Saved.')")
    check("saved")
    assert {state: ids for state, ids in found.items() if ids} == {}
