"""The guided session page (/me/session/): who may open it, what it gives the player, audit."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.logbook.models import Session
from backcare.logbook.tests.conftest import TODAY, items_of, raise_red_flag
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.testing import PASSWORD, logged_in

URL = "/me/session/"


def player_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="player-data" type="application/json">(.*?)</script>', page)
    assert found is not None, "no player data on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_it_gives_the_player_every_item_with_its_dose(patient: Patient) -> None:
    response = logged_in(patient.user).get(URL)

    assert response.status_code == 200
    data = player_data(response.content.decode())
    expected = [
        {
            "id": item.pk,
            "name": item.exercise.name,
            "dose_type": item.dose_type,
            "sets": item.sets,
            "reps": item.reps,
            "hold_s": item.hold_s,
            "duration_min": item.duration_min,
            "rest_s": item.rest_s,
        }
        for item in items_of(patient)
    ]
    assert data["items"] == expected
    assert [i["dose_type"] for i in data["items"]] == ["hold", "reps", "duration"]
    assert data["sessions_url"] == "/api/v1/me/sessions"
    assert data["today"] == TODAY.isoformat()
    assert data["owner"] == patient.user_id


def test_it_shows_each_exercise_with_its_picture_steps_and_cues(patient: Patient) -> None:
    page = logged_in(patient.user).get(URL).content.decode()

    for name in ("Abdominal bracing", "Bridge", "Walking"):
        assert name in page
    assert "squeeze your buttocks and lift your hips" in page  # a step of the bridge
    assert "Push through your heels." in page  # a cue of the bridge
    assert "3 × 10 reps, rest 45 s" in page
    assert page.count("<svg") >= 3
    assert 'aria-live="polite"' in page
    assert "backcare/player.js" in page and "backcare/outbox.js" in page


def test_it_has_no_inline_script_or_style(patient: Patient) -> None:
    page = logged_in(patient.user).get(URL).content.decode()

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    for attributes, body in scripts:
        assert 'src="' in attributes or 'type="application/json"' in attributes
        assert 'src="' not in attributes or not body.strip()
    assert " style=" not in page and " onclick=" not in page


def test_it_audits_the_patient_opening_the_player(patient: Patient) -> None:
    logged_in(patient.user).get(URL)

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.patient_id, event.outcome) == (
        patient.user,
        "logbook.guided.view",
        patient.pk,
        "ok",
    )
    assert event.object_type == "programmes.Programme"


def test_it_gives_another_patient_only_their_own_items(
    patient: Patient, other_patient: Patient
) -> None:
    page = logged_in(other_patient.user).get(URL).content.decode()

    ids = {item["id"] for item in player_data(page)["items"]}
    assert ids == {item.pk for item in items_of(other_patient)}
    assert "Bridge" not in page


@pytest.mark.parametrize("persona", ["clinician", "outsider"])
def test_it_answers_404_to_clinicians(request: Any, patient: Patient, persona: str) -> None:
    user: User = request.getfixturevalue(persona)

    assert logged_in(user).get(URL).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(db: Any) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_shows_red_flag_advice_and_no_player(patient: Patient) -> None:
    raise_red_flag(patient, "same_day")

    page = logged_in(patient.user).get(URL).content.decode()

    assert 'role="alert"' in page
    assert "Stop your exercises for now" in page
    assert "get seen by a doctor today" in page
    assert "player-data" not in page and "Bridge" not in page
    assert AuditEvent.objects.get().detail == {"red_flag": "same_day"}


def test_it_says_so_when_there_is_no_active_programme(patient: Patient) -> None:
    Programme.objects.filter(patient=patient).update(status="draft")

    page = logged_in(patient.user).get(URL).content.decode()

    assert "don't have an active programme" in page
    assert "player-data" not in page
    assert AuditEvent.objects.get().object_type == ""


def test_it_is_linked_from_today_which_also_sends_the_outbox(patient: Patient) -> None:
    page = logged_in(patient.user).get("/me/").content.decode()

    assert f'href="{URL}"' in page
    assert "Start guided session" in page
    assert "backcare/outbox.js" in page
    assert f'data-owner="{patient.user_id}"' in page


def test_the_session_the_player_sends_is_accepted_with_the_pages_csrf_cookie(
    patient: Patient,
) -> None:
    """The player posts JSON with the CSRF token from the cookie the page set (session auth)."""
    assert patient.user is not None
    client = Client(enforce_csrf_checks=True)
    # a real password login (django-axes' backend needs the request it comes with)
    assert client.login(username=patient.user.username, password=PASSWORD, request=HttpRequest())
    data = player_data(client.get(URL).content.decode())
    token = client.cookies["csrftoken"].value
    body = {
        "client_id": str(uuid.uuid4()),
        "performed_on": data["today"],
        "notes": "",
        "exercises": [
            {
                "item_id": data["items"][0]["id"],
                "done": True,
                "sets_done": 10,
                "hold_s_done": 10,
                "pain_during_0_10": 2,
                "effort_0_10": 3,
            },
            {"item_id": data["items"][1]["id"], "done": False},
            {"item_id": data["items"][2]["id"], "done": True, "minutes_done": 20},
        ],
    }

    def send() -> Any:
        return client.post(
            data["sessions_url"],
            json.dumps(body),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
        )

    assert send().status_code == 201
    assert send().status_code == 200  # an outbox replay
    assert Session.objects.count() == 1


STATIC = Path(__file__).resolve().parents[2] / "static" / "backcare"


@pytest.mark.parametrize(
    ("script", "holder", "dynamic"),
    [("player.js", "player-text", set()), ("outbox.js", "outbox-text", {"pending", "saved"})],
)
def test_every_word_a_script_shows_comes_translated_from_the_page(
    patient: Patient, script: str, holder: str, dynamic: set[str]
) -> None:
    source = (STATIC / script).read_text()
    used = set(re.findall(r"(?<!outbox\.)\btext\.(\w+)", source)) | set(
        re.findall(r'fill\("(\w+)"', source)
    )
    page = logged_in(patient.user).get(URL).content.decode()
    block = re.search(rf'<div id="{holder}" hidden>(.*?)</div>', page, re.S)
    assert block is not None
    given = set(re.findall(r'data-key="(\w+)"', block.group(1)))

    assert used | dynamic <= given
