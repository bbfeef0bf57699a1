"""Links follow the address ``serve`` was started on, unless ``BACKCARE_BASE_URL`` is set."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from backcare.accounts.models import Clinic, User
from backcare.accounts.services import invite_patient
from backcare.links import site_url
from backcare.patients.models import Patient
from backcare.reminders.calendar import session_url
from backcare.testing import logged_in


def serve_on(port: int) -> str:
    out = io.StringIO()
    call_command("serve", "--port", str(port), "--no-serve", stdout=out)
    return out.getvalue()


def test_links_follow_the_port_serve_was_started_on(
    patient: Patient, clinician: User, clinic: Clinic, django_capture_on_commit_callbacks: Any
) -> None:
    printed = serve_on(8801)
    assert "Links in e-mails and invitations start with http://127.0.0.1:8801" in printed
    assert site_url() == "http://127.0.0.1:8801"
    # a set-password link for new staff, made from the shell
    out = io.StringIO()
    call_command("create_clinician", "--clinic", str(clinic.pk), "bob", "bob@x.example", stdout=out)
    assert "http://127.0.0.1:8801/password/reset/" in out.getvalue()
    # an invitation (shown and e-mailed)
    invited = Patient.objects.create(
        clinic=clinic, first_name="I", last_name="V", baseline_pain_0_10=3, email="iv@x.example"
    )
    assert invite_patient(invited, clinician).startswith("http://127.0.0.1:8801/invite/")
    assert "http://127.0.0.1:8801/invite/" in mail.outbox[-1].body
    # the reminder e-mail's and the calendar's link to the session page
    assert session_url() == "http://127.0.0.1:8801/me/session/"
    client = logged_in(patient.user)
    days = {"weekdays": ["0", "2", "4"], "time_of_day": "18:00", "time_zone": "Europe/London"}
    client.post("/me/reminders/", days | {"email_enabled": "on"})
    client.post("/me/reminders/calendar/new/")
    page = client.get("/me/reminders/").content.decode()
    assert "http://127.0.0.1:8801/calendar/" in page and ":8000" not in page
    # the alert e-mail to the clinic
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(patient.user).post("/me/symptom/", {"flags": ["fever"]})
    alert_mail = next(m for m in mail.outbox if "/clinic/alerts/" in m.body)
    assert "http://127.0.0.1:8801/clinic/alerts/" in alert_mail.body


@pytest.mark.django_db
def test_a_set_base_url_wins_over_the_serving_address(settings: Any) -> None:
    settings.BASE_URL = "https://backcare.example.org"
    serve_on(8802)
    assert site_url() == "https://backcare.example.org"


@pytest.mark.django_db
def test_with_no_serve_yet_links_use_the_default_address() -> None:
    assert site_url() == "http://127.0.0.1:8000"
