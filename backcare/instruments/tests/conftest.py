"""Instrument test set-up: questionnaires built here with generated placeholder text only.

``placeholder_questionnaire`` shapes a FHIR R4 Questionnaire like a rule's instrument (the same
number and kind of items) with text such as "Question 1" and link-ids "q-1"; no instrument's
wording is ever written in a test (DESIGN §6).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import Clinic, User
from backcare.core.instruments import RULES, URN_PREFIX
from backcare.instruments.fhir import questions_of
from backcare.instruments.models import Assignment, Instrument
from backcare.instruments.services import Licence, assign_instrument, import_instrument
from backcare.patients.models import Patient

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)
LICENCE = Licence(
    owner="Placeholder Owner Ltd",
    licence="Placeholder licence: free for clinical use in one clinic.",
    attribution="Placeholder attribution © Placeholder Owner Ltd.",
)


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def placeholder_questionnaire(
    code: str | None,
    n_items: int | None = None,
    *,
    scale_as: str = "choice",
    url: str | None = None,
    version: str = "1",
    extra: tuple[dict[str, Any], ...] = (),
    **fields: Any,
) -> dict[str, Any]:
    """A Questionnaire shaped like rule ``code``'s instrument (or ``n_items`` integer questions),
    with link-ids ``q-1`` … and text "Question 1" …; choice options read "Option 0" …"""
    rule = RULES[code] if code else None
    count = n_items if n_items is not None else len(rule.items) if rule else 3
    items = []
    for n in range(1, count + 1):
        spec = rule.items[n - 1] if rule and n <= len(rule.items) else None
        item: dict[str, Any] = {"linkId": f"q-{n}", "text": f"Question {n}", "type": "integer"}
        if spec is not None:
            item["required"] = spec.required
            if spec.kind == "yes_no":
                item["type"] = "boolean"
            elif scale_as == "choice":
                item["type"] = "choice"
                item["answerOption"] = [
                    {
                        "valueCoding": {
                            "system": "urn:placeholder",
                            "code": f"opt-{k}",
                            "display": f"Option {k}",
                        }
                    }
                    for k in range(spec.low, spec.high + 1)
                ]
        items.append(item)
    return {
        "resourceType": "Questionnaire",
        "url": url or (URN_PREFIX + code if code else "https://clinic.example/Questionnaire/own"),
        "version": version,
        "title": f"Placeholder {code or 'form'}",
        "status": "active",
        "item": [*items, *extra],
    } | fields


def placeholder_mapping(code: str) -> dict[str, str]:
    """Link-id ``q-n`` → the rule's n-th item key."""
    return {f"q-{n}": item.key for n, item in enumerate(RULES[code].items, start=1)}


def as_file(document: Mapping[str, Any] | list[Any]) -> bytes:
    return json.dumps(document).encode()


def imported(clinic: Clinic | None, code: str | None, **options: Any) -> Instrument:
    """A placeholder instrument in ``clinic``'s registry, scored by ``code`` (or unscored)."""
    assert clinic is not None, "instruments belong to a clinic"
    document = options.pop("document", None) or placeholder_questionnaire(code, **options)
    mapping = as_file(placeholder_mapping(code)) if code else None
    return import_instrument(
        None, clinic, as_file(document), LICENCE, rule=code or "none", mapping=mapping
    )


def assigned(clinician: User, patient: Patient, instrument: Instrument) -> Assignment:
    return assign_instrument(clinician, patient, instrument, Assignment.Context.INTAKE)


def form_data(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, str]:
    """The answer form as the browser posts it: link-id → "true"/"false", option position or
    number (field names follow the questions' order in the file)."""
    names = {q.link_id: f"q{i}" for i, q in enumerate(questions_of(instrument.questionnaire))}
    data = {}
    for link_id, value in answers.items():
        data[names[link_id]] = str(value).lower() if isinstance(value, bool) else str(value)
    return data


def answer(client: Client, assignment: Assignment, answers: Mapping[str, Any]) -> Any:
    url = f"/me/questionnaires/{assignment.pk}/"
    return client.post(url, form_data(assignment.instrument, answers))
