"""Every user-facing string is translatable, the Spanish catalogue is complete and compiled, and
a user's language choice is kept and followed (pages, e-mails)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.template.base import Lexer, TokenType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from backcare.accounts.language import language_of
from backcare.accounts.models import User
from backcare.accounts.services import invite_patient
from backcare.alerts.services import email_clinicians, raise_alert
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, log_sessions, logged_in, make_patient

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backcare"
CATALOGUE = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "django.po"

ALLOWED_TEXT = {"backcare"}
"""Words that are the same in every language: the product's name."""
CHECKED_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
TRANSLATE_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word (a lone letter is a unit like "s" or "×")
MARK = "\x00"  # stands for a tag, a variable, or translated text


def template_files() -> list[Path]:
    """Every template of every app (including ones added later), and the project's own."""
    return sorted(
        path
        for path in PACKAGE.rglob("templates/**/*")
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg"}
    )


def untranslated_text(source: str) -> list[str]:
    """Literal text a reader would see that is not inside a translate tag or block."""
    kept: list[str] = []
    closing = ""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if closing:
                closing = "" if name == closing else closing
            elif name in TRANSLATE_BLOCKS:
                closing = TRANSLATE_BLOCKS[name]
            kept.append(MARK)
        elif token.token_type == TokenType.TEXT and not closing:
            kept.append(token.contents)
        else:
            kept.append(MARK)
    text = "".join(kept)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    found = [
        value for name in CHECKED_ATTRIBUTES for value in re.findall(rf'\b{name}="([^"]*)"', text)
    ]
    found += re.sub(r"<[^>]*>", "\n", text).split("\n")
    found = [re.sub(r"&#?\w+;", " ", piece).replace(MARK, " ").strip() for piece in found]
    return [
        piece for piece in found if any(word not in ALLOWED_TEXT for word in LETTERS.findall(piece))
    ]


def test_the_guard_catches_bare_text_and_attributes_and_passes_marked_text() -> None:
    source = (
        '{% load i18n %}<p title="Hint">Hello {{ name }}</p><!-- note -->'
        '<p>{% translate "Fine" %}</p>'
        "<p>{% blocktranslate %}Also {{ x }} fine{% endblocktranslate %}</p>"
        '<a aria-label="{% translate "Pages" %}" href="{% url "home" %}">backcare</a> 3 × 10 s'
    )
    assert untranslated_text(source) == ["Hint", "Hello"]


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_template_marks_its_text_for_translation(path: Path) -> None:
    assert untranslated_text(path.read_text()) == [], f"untranslated text in {path}"


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_the_spanish_catalogue_has_no_untranslated_or_fuzzy_entry() -> None:
    po = catalogue()
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert len(po) > 500
    assert (untranslated, fuzzy) == ([], [])


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """The committed .mo is what Django reads: run compilemessages after editing the .po."""
    po, mo = catalogue(), polib.mofile(str(CATALOGUE.with_suffix(".mo")))

    def entries(catalogue: Any) -> dict[tuple[str | None, str], Any]:
        return {
            (e.msgctxt, e.msgid): (e.msgstr, sorted(e.msgstr_plural.items()))
            for e in catalogue
            if e.msgid and not e.obsolete
        }

    assert entries(mo) == entries(po)


def test_every_translation_keeps_the_placeholders_of_its_english() -> None:
    wrong = []
    for entry in catalogue():
        english = sorted(PLACEHOLDER.findall(entry.msgid))
        plural_english = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for number, text in enumerate(translations):
            expected = english if number == 0 else plural_english
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry.msgid, text))
    assert wrong == []


def english_sentences() -> list[str]:
    """Whole English sentences from the catalogue: none may show on a page served in Spanish."""
    return [
        entry.msgid
        for entry in catalogue()
        if len(entry.msgid) > 24
        and not PLACEHOLDER.search(entry.msgid)
        and "<" not in entry.msgid
        and entry.msgstr != entry.msgid
    ]


def spanish_client(user: User | None) -> Client:
    assert user is not None
    user.language = "es"
    user.save(update_fields=["language"])
    return logged_in(user)


PATIENT_PAGES = {
    "today": ("today", "Hoy"),
    "history": ("my_history", "Mi historial"),
    "progress": ("my_progress", "Mi evolución"),
    "check-in": ("weekly_checkin", "¿Cuánto te duele la espalda ahora mismo?"),
    "symptom report": ("report_symptom", "Tengo un síntoma nuevo"),
    "questionnaires": ("my_questionnaires", "Cuestionarios"),
}


@pytest.mark.parametrize("page", PATIENT_PAGES)
def test_patient_pages_in_spanish_show_no_english_sentence(patient: Patient, page: str) -> None:
    programme = patient.programme_set.get()
    log_sessions(programme, timezone.localdate() - timedelta(days=6), 5, 5, 3)
    name, spanish = PATIENT_PAGES[page]
    response = spanish_client(patient.user).get(reverse(name))
    html = html_text(response.content.decode())
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert spanish in html
    assert [s for s in english_sentences() if s in html] == []


CLINICIAN_PAGES = {
    "patients": ("patient_list", False, "Pacientes"),
    "record": ("patient_detail", True, "Repetir el cribado de señales de alarma"),
    "check-ins": ("patient_checkins", True, "Controles semanales"),
    "timeline": ("patient_timeline", True, "Dolor a lo largo del tiempo"),
    "alerts": ("alert_list", False, "Alertas"),
    "reviews": ("review_list", False, "Propuestas para revisar"),
    "clinic rules": ("clinic_rules", False, "Pico de dolor (0–10)"),
    "new patient": ("new_patient", False, "Material que tiene el paciente"),
}


@pytest.mark.parametrize("page", CLINICIAN_PAGES)
def test_clinician_pages_in_spanish_show_no_english_sentence(
    patient: Patient, clinician: User, page: str
) -> None:
    name, of_patient, spanish = CLINICIAN_PAGES[page]
    url = reverse(name, args=[patient.pk] if of_patient else [])
    response = spanish_client(clinician).get(url)
    html = html_text(response.content.decode())
    assert response.status_code == 200
    assert spanish in html
    assert [s for s in english_sentences() if s in html] == []


def html_text(html: str) -> str:
    """The page as a reader meets it: entities decoded, so "don&#x27;t" matches "don't"."""
    return unescape(html)


def test_the_red_flag_advice_is_shown_in_spanish(patient: Patient) -> None:
    response = spanish_client(patient.user).post(
        reverse("report_symptom"), {"flags": ["saddle_numbness"]}
    )
    html = html_text(response.content.decode())
    assert "urgencias" in html
    assert "emergency department" not in html


def test_the_language_switch_saves_the_choice_and_the_next_page_follows_it(
    patient: Patient,
) -> None:
    client = logged_in(patient.user)
    response = client.post(reverse("set_language"), {"language": "es", "next": reverse("today")})
    assert response.status_code == 302
    patient.user.refresh_from_db()  # type: ignore[union-attr]
    assert patient.user.language == "es"  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="account.language", actor=patient.user).exists()
    assert "Hoy" in client.get(reverse("today")).content.decode()
    # on another device (no language cookie, an English browser) the saved choice still wins
    elsewhere = logged_in(patient.user).get(reverse("today"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "<h1>Hoy</h1>" in elsewhere.content.decode()


def test_the_switch_refuses_a_language_backcare_does_not_ship(patient: Patient) -> None:
    client = logged_in(patient.user)
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("today")})
    patient.user.refresh_from_db()  # type: ignore[union-attr]
    assert patient.user.language == ""  # type: ignore[union-attr]


def test_an_anonymous_visitor_can_switch_language_with_the_cookie_alone(db: Any) -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "es", "next": reverse("login")})
    assert "Iniciar sesión" in client.get(reverse("login")).content.decode()


def test_the_alert_e_mail_is_in_each_clinicians_language(patient: Patient, clinician: User) -> None:
    User.objects.create_user(
        "beatriz",
        "beatriz@riverside.example",
        PASSWORD,
        role=User.Role.CLINICIAN,
        clinic=clinician.clinic,
        language="es",
    )
    alert, _ = raise_alert(patient, "red_flag", "test", "note", urgency="emergency_now")
    email_clinicians(alert)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    spanish = by_recipient["beatriz@riverside.example"]
    english = by_recipient["alice@riverside.example"]
    assert spanish.subject == "URGENTE: se ha indicado a un paciente que acuda a urgencias"
    assert "necesita su atención" in spanish.body
    assert english.subject.startswith("URGENT: a patient was told to go to an emergency")
    assert patient.full_name not in f"{spanish.body} {english.body}"


def test_an_e_mail_follows_the_users_language_not_the_requests(clinician: User) -> None:
    clinician.language = "es"
    with translation.override("en-gb"), language_of(clinician):
        assert translation.get_language() == "es"
    with language_of(User(language="")):
        assert translation.get_language() == settings.LANGUAGE_CODE


def test_an_invitation_sent_from_a_spanish_page_is_in_spanish(clinic: Any, clinician: User) -> None:
    patient = Patient.objects.create(
        clinic=clinic,
        first_name="Lucía",
        last_name="Gómez",
        email="lucia@example.org",
        baseline_pain_0_10=5,
    )
    with translation.override("es"):
        invite_patient(patient, clinician)
    (message,) = mail.outbox
    assert (
        message.subject == "Riverside Physio ha preparado tu programa de ejercicios para la espalda"
    )
    assert message.body.startswith("Hola, Lucía:")


def test_accepting_an_invitation_keeps_the_language_chosen_with_the_switch(
    clinic: Any, clinician: User
) -> None:
    patient = Patient.objects.create(
        clinic=clinic,
        first_name="Lucía",
        last_name="Gómez",
        email="lucia@example.org",
        baseline_pain_0_10=5,
    )
    link = invite_patient(patient, clinician)
    client = Client()
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    form = {"username": "lucia", "new_password1": PASSWORD, "new_password2": PASSWORD}
    client.post(link.removeprefix(settings.BASE_URL), form)
    patient.refresh_from_db()
    assert patient.user is not None and patient.user.language == "es"


def test_a_password_reset_e_mail_is_in_the_users_saved_language(patient: Patient) -> None:
    patient.user.language = "es"  # type: ignore[union-attr]
    patient.user.save()  # type: ignore[union-attr]
    Client().post(reverse("password_reset"), {"email": patient.user.email})  # type: ignore[union-attr]
    (message,) = mail.outbox
    assert "Alguien ha pedido restablecer la contraseña de tu cuenta de backcare" in message.body


def test_a_returning_patient_with_a_saved_language_gets_the_next_page_in_it(clinic: Any) -> None:
    other = make_patient(clinic, "rosa")
    other.user.language = "es"  # type: ignore[union-attr]
    other.user.save()  # type: ignore[union-attr]
    response = logged_in(other.user).get(reverse("report_symptom"))
    assert "Tengo un síntoma nuevo" in response.content.decode()
