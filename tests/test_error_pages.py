"""Error pages: in the site's layout and the reader's language, never Django's debug pages."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from backcare.accounts.models import User
from backcare.patients.models import Patient
from backcare.testing import logged_in
from backcare.urls import handler500 as site_handler500
from backcare.urls import urlpatterns as site_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in a view")


urlpatterns = [path("fail/", fail), *site_urlpatterns]
handler500 = site_handler500
"""This module doubles as a URLconf (``pytest.mark.urls``): the site's routes, one failing."""


def broken_menu(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("the database is down")


def in_layout(text: str) -> bool:
    """The page has the site's frame: the skip link, the brand and the language switch."""
    return 'class="skip"' in text and 'class="brand"' in text and 'name="language"' in text


@pytest.mark.django_db
def test_a_wrong_link_gets_a_not_found_page_in_the_layout() -> None:
    response = Client().get("/no/such/page/")
    text = response.content.decode()
    assert response.status_code == 404 and in_layout(text)
    assert "Page not found" in text
    assert "URLconf" not in text and "urlpatterns" not in text  # not Django's debug page


@pytest.mark.django_db
def test_the_not_found_page_is_in_the_readers_language() -> None:
    response = Client().get("/no/such/page/", headers={"accept-language": "es"})
    text = response.content.decode()
    assert response.status_code == 404 and 'lang="es"' in text
    assert "Página no encontrada" in text and "Page not found" not in text


def test_a_clinician_on_the_audit_log_gets_a_refusal_page_in_the_layout(clinician: User) -> None:
    clinician.language = "es"
    clinician.save()
    response = logged_in(clinician).get("/clinic/audit/")
    text = response.content.decode()
    assert response.status_code == 403 and in_layout(text)
    assert "No puede abrir esta página" in text
    assert 'href="/clinic/patients/"' in text  # the clinician keeps their navigation


@pytest.mark.urls("tests.test_error_pages")
def test_a_fault_gets_a_server_error_page_in_the_layout(patient: Patient) -> None:
    client = logged_in(patient.user)
    client.raise_request_exception = False
    response = client.get("/fail/", headers={"accept-language": "es"})
    text = response.content.decode()
    assert response.status_code == 500 and in_layout(text)
    assert "Algo ha fallado por nuestra parte" in text and "RuntimeError" not in text


@pytest.mark.urls("tests.test_error_pages")
def test_a_fault_that_breaks_the_layout_still_gets_a_plain_error_page(
    patient: Patient, settings: Any
) -> None:
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        settings.TEMPLATES[0]
        | {"OPTIONS": {"context_processors": [*processors, "tests.test_error_pages.broken_menu"]}}
    ]
    client = logged_in(patient.user)
    client.raise_request_exception = False
    response = client.get("/fail/")
    text = response.content.decode()
    assert response.status_code == 500 and not in_layout(text)
    assert "Something went wrong on our side" in text and "the database is down" not in text


@pytest.mark.django_db
def test_an_expired_form_gets_a_page_that_says_so() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    text = response.content.decode()
    assert response.status_code == 403 and in_layout(text)
    assert "This form has expired" in text and "CSRF" not in text


def test_debug_is_off_unless_asked_for_the_demo_included(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    env |= {"BACKCARE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "backcare.settings"}
    script = "from django.conf import settings; print(settings.DEBUG)"
    answer = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert answer.stdout.strip() == "False"
    asked = subprocess.run(
        [sys.executable, "-c", script],
        env=env | {"BACKCARE_DEBUG": "on"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert asked.stdout.strip() == "True"
