"""The PDF handout in a real browser: the patient downloads it from today's page and it holds
their exercises; the clinician downloads the progress report from the patient's record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backcare.accounts.models import Clinic, User
from backcare.documents.tests.conftest import pdf_text
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, browser_log_in, make_patient, make_programme

pytestmark = pytest.mark.browser

SLUGS = ["abdominal-bracing", "bridge", "walking"]


@pytest.fixture
def patient_with_programme(transactional_db: Any) -> Patient:
    refresh_library()
    clinic = Clinic.objects.create(name="Riverside Physio", phone="01234 567890")
    User.objects.create_user("alice", "a@x.org", PASSWORD, role="clinician", clinic=clinic)
    patient = make_patient(clinic, "pat")
    make_programme(patient, SLUGS)
    return patient


def test_it_downloads_the_programme_handout_from_todays_page(
    patient_with_programme: Patient, browser_page: Any
) -> None:
    page = browser_page
    browser_log_in(page, "pat")
    page.goto("/me/")

    with page.expect_download() as info:
        page.click("text=Download your programme")
    download = info.value

    assert download.suggested_filename.startswith("programme-pat-example-")
    text = pdf_text(Path(download.path()).read_bytes())
    names = [
        item.exercise.local.name for item in patient_with_programme.programme_set.get().items.all()
    ]
    assert len(names) == 3
    for name in names:
        assert name in text
    assert "When to stop and get help" in text
    assert "01234 567890" in text


def test_it_downloads_the_progress_report_from_the_patients_record(
    patient_with_programme: Patient, browser_page: Any
) -> None:
    page = browser_page
    browser_log_in(page, "alice")
    page.goto(f"/clinic/patients/{patient_with_programme.pk}/")

    with page.expect_download() as info:
        page.click("text=Progress report (PDF)")

    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "Progress report" in text
    assert "Pat Example" in text
