"""The clinic's clinical-rules page: thresholds from the dataclasses, stored as a diff, audited."""

from __future__ import annotations

import html
from dataclasses import fields
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backcare.accounts.models import Clinic, User
from backcare.accounts.rules import thresholds_for
from backcare.audit.models import AuditEvent
from backcare.core.instruments import MCID_DEFAULTS, OUTCOMES, ChangeThresholds
from backcare.core.progression import THRESHOLD_HELP, Thresholds
from backcare.patients.models import Patient
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db

URL = reverse("clinic_rules")
DEFAULTS = Thresholds()


def defaults_posted(**changes: Any) -> dict[str, Any]:
    """The form as a clinician who submits every default, with ``changes`` typed over it."""
    data: dict[str, Any] = {
        spec.name: getattr(DEFAULTS, spec.name)
        for spec in fields(Thresholds)
        if spec.name != "change"
    }
    data |= {f"change_{o}": MCID_DEFAULTS[o] for o in OUTCOMES}
    data |= {"change_relative_percent": 30, "change_combine": "either"}
    return {k: "" if v is None else v for k, v in (data | changes).items()}


def test_it_shows_every_threshold_with_its_default_and_help(clinician: User) -> None:
    response = logged_in(clinician).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for name, help_text in THRESHOLD_HELP.items():
        assert html.escape(help_text) in page, name
    form = response.context["form"]
    assert form["pain_spike_0_10"].value() == 7
    assert form["change_odi"].value() == 10
    assert 'placeholder="7"' in page
    assert "default: 7" in page
    assert "No changes recorded yet." in page


def test_it_links_to_the_page_from_the_clinicians_menu(clinician: User) -> None:
    page = logged_in(clinician).get(reverse("patient_list")).content.decode()
    assert f'<a href="{URL}">Clinic rules</a>' in page


def test_it_stores_only_the_changed_values_and_the_review_uses_them(
    clinician: User, clinic: Clinic
) -> None:
    data = defaults_posted(pain_spike_0_10=8, change_odi=12, change_combine="both")
    response = logged_in(clinician).post(URL, data)
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.rule_settings == {
        "pain_spike_0_10": 8,
        "change": {"combine": "both", "absolute": {"odi": 12.0}},
    }
    thresholds = thresholds_for(clinic)
    assert thresholds.pain_spike_0_10 == 8
    assert thresholds.change == ChangeThresholds(absolute={"odi": 12.0}, combine="both")
    assert thresholds.adherence_min_sessions == DEFAULTS.adherence_min_sessions


def test_it_turns_the_relative_rule_off_when_the_percent_is_blank(
    clinician: User, clinic: Clinic
) -> None:
    logged_in(clinician).post(URL, defaults_posted(change_relative_percent=""))
    clinic.refresh_from_db()
    assert clinic.rule_settings == {"change": {"relative_percent": None}}
    assert thresholds_for(clinic).change.relative_percent is None


def test_it_drops_a_value_set_back_to_its_default(clinician: User, clinic: Clinic) -> None:
    clinic.rule_settings = {"pain_spike_0_10": 8, "recent_days": 10}
    clinic.save()
    logged_in(clinician).post(URL, defaults_posted(recent_days=10))
    clinic.refresh_from_db()
    assert clinic.rule_settings == {"recent_days": 10}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"max_pain_rise_during_0_10": 11}, "max_pain_rise_during_0_10"),
        ({"pain_spike_0_10": 0}, "pain_spike_0_10"),
        ({"min_share_of_exercises_done": 1.5}, "min_share_of_exercises_done"),
        ({"adherence_window_days": 0}, "adherence_window_days"),
        ({"recent_sessions": 2}, "regress_pain_rise_sessions"),
        ({"change_relative_percent": 150}, "change_relative_percent"),
        ({"change_relative_percent": 0}, "change_relative_percent"),
        ({"change_odi": -1}, "change_odi"),
        ({"change_pain": 0}, "change_pain"),
        ({"change_combine": "sometimes"}, "change_combine"),
        ({"no_log_days": "soon"}, "no_log_days"),
    ],
)
def test_it_refuses_a_value_the_rules_do_not_allow_and_saves_nothing(
    clinician: User, clinic: Clinic, changes: dict[str, Any], field: str
) -> None:
    clinic.rule_settings = {"recent_days": 10}
    clinic.save()
    response = logged_in(clinician).post(URL, defaults_posted(**changes))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    clinic.refresh_from_db()
    assert clinic.rule_settings == {"recent_days": 10}
    assert not AuditEvent.objects.filter(action="clinic.rules.update").exists()


def test_it_shows_the_rules_own_message_next_to_the_field(clinician: User) -> None:
    response = logged_in(clinician).post(URL, defaults_posted(pain_spike_0_10=11))
    assert "pain_spike_0_10 must be 1 to 10, got 11" in response.content.decode()


def test_it_resets_to_the_defaults(clinician: User, clinic: Clinic) -> None:
    clinic.rule_settings = {"pain_spike_0_10": 8, "change": {"relative_percent": None}}
    clinic.save()
    response = logged_in(clinician).post(URL, {"reset": "1"})
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.rule_settings == {}
    assert thresholds_for(clinic) == DEFAULTS
    event = AuditEvent.objects.get(action="clinic.rules.update")
    assert event.detail["changed"] == {
        "pain_spike_0_10": {"from": 8, "to": 7},
        "change_relative_percent": {"from": None, "to": 30.0},
    }


def test_it_keeps_settings_it_does_not_own(clinician: User, clinic: Clinic) -> None:
    clinic.rule_settings = {"pain_spike_0_10": 8, "something_else": [1]}
    clinic.save()
    logged_in(clinician).post(URL, {"reset": "1"})
    clinic.refresh_from_db()
    assert clinic.rule_settings == {"something_else": [1]}


def test_it_writes_an_audit_row_without_a_patient(clinician: User, clinic: Clinic) -> None:
    logged_in(clinician).post(URL, defaults_posted(no_log_days=10))
    event = AuditEvent.objects.get(action="clinic.rules.update")
    assert (event.actor, event.patient_id) == (clinician, None)
    assert (event.object_type, event.object_id) == ("accounts.Clinic", str(clinic.pk))
    assert event.detail == {"changed": {"no_log_days": {"from": 7, "to": 10}}}


def test_it_writes_nothing_when_nothing_changed(clinician: User, clinic: Clinic) -> None:
    response = logged_in(clinician).post(URL, defaults_posted(), follow=True)
    assert "Nothing changed." in response.content.decode()
    assert not AuditEvent.objects.filter(action="clinic.rules.update").exists()


def test_it_lists_who_changed_what_and_when(clinician: User) -> None:
    client = logged_in(clinician)
    client.post(URL, defaults_posted(no_log_days=10))
    page = client.get(URL).content.decode()
    assert "Alice Physio" in page
    assert "No log days: 7 → 10" in page


def test_it_shows_and_changes_only_the_clinicians_own_clinic(
    clinician: User, clinic: Clinic, outsider: User
) -> None:
    logged_in(clinician).post(URL, defaults_posted(pain_spike_0_10=8))
    client = logged_in(outsider)
    response = client.get(URL)
    assert response.context["form"]["pain_spike_0_10"].value() == 7
    assert "Alice Physio" not in response.content.decode()
    client.post(URL, defaults_posted(pain_spike_0_10=9))
    clinic.refresh_from_db()
    assert outsider.clinic is not None
    outsider.clinic.refresh_from_db()
    assert clinic.rule_settings == {"pain_spike_0_10": 8}
    assert outsider.clinic.rule_settings == {"pain_spike_0_10": 9}


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_keeps_patients_and_anonymous_visitors_out(
    patient: Patient, clinic: Clinic, method: str
) -> None:
    for client in (logged_in(patient.user), Client()):
        response = getattr(client, method)(URL, defaults_posted(pain_spike_0_10=8))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    clinic.refresh_from_db()
    assert clinic.rule_settings == {}


def test_it_shows_the_defaults_when_the_stored_rules_cannot_be_read(
    clinician: User, clinic: Clinic
) -> None:
    clinic.rule_settings = {"pain_spike_0_10": 99}
    clinic.save()
    response = logged_in(clinician).get(URL)
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
    assert response.context["form"]["pain_spike_0_10"].value() == 7
