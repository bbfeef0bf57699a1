from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from backcare.accounts.models import Clinic, User
from backcare.audit.models import AuditEvent
from backcare.instruments.models import Instrument
from backcare.instruments.services import Licence, QuestionnaireProblem, import_instrument
from backcare.instruments.tests.conftest import (
    LICENCE,
    as_file,
    imported,
    placeholder_mapping,
    placeholder_questionnaire,
)
from backcare.testing import logged_in

START_BACK_MAPPING = as_file(placeholder_mapping("start_back"))


def _without_type(document: dict[str, Any]) -> dict[str, Any]:
    del document["item"][0]["type"]
    return document


def _with(**changes: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda document: document | changes


def _item(index: int, **changes: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(document: dict[str, Any]) -> dict[str, Any]:
        document["item"][index] |= changes
        return document

    return change


def _mapping(**changes: str) -> bytes:
    return as_file(placeholder_mapping("start_back") | changes)


# (case, the questionnaire file, rule, mapping, the reason given)
REJECTIONS: list[tuple[str, Any, str, bytes | None, str]] = [
    ("not JSON", b"{not json", "", None, "The file is not JSON"),
    ("not an object", b"[1, 2]", "", None, "expected a JSON object"),
    (
        "not a Questionnaire",
        {"resourceType": "Patient"},
        "",
        None,
        "not a FHIR Questionnaire: resourceType is 'Patient'",
    ),
    (
        "an item without a type",
        _without_type,
        "",
        START_BACK_MAPPING,
        "FHIR validation error at item[0].type: Value for the field 'type' is required",
    ),
    (
        "an element R4 does not have",
        _item(0, answerConstraint="optionsOnly"),
        "",
        START_BACK_MAPPING,
        "item[0].answerConstraint: not an element of an R4",
    ),
    (
        "a status outside R4's codes",
        _with(status="published"),
        "",
        START_BACK_MAPPING,
        "FHIR validation error at status: 'published' is not one of",
    ),
    ("no items", _with(item=[]), "", None, "It has no items to answer"),
    (
        "a link-id used twice",
        _item(1, linkId="q-1"),
        "",
        START_BACK_MAPPING,
        "FHIR validation error at item[1].linkId: 'q-1' is used twice",
    ),
    (
        "an item type backcare cannot ask",
        _item(0, type="attachment"),
        "",
        START_BACK_MAPPING,
        "Item 'q-1' is of type 'attachment'",
    ),
    (
        "no canonical url",
        _with(url=None),
        "start_back",
        START_BACK_MAPPING,
        "It has no canonical url",
    ),
    ("an unknown rule code", {}, "sf36", START_BACK_MAPPING, "Unknown scoring rule 'sf36'"),
    (
        "a url no rule matches",
        _with(url="https://clinic.example/q/7"),
        "",
        START_BACK_MAPPING,
        "No scoring rule matches the canonical url 'https://clinic.example/q/7'",
    ),
    ("a mapping that is not JSON", {}, "", b"q-1: item1", "The mapping is not JSON"),
    (
        "a mapping naming a link-id not in the questionnaire",
        {},
        "",
        _mapping(**{"q-99": "item1"}),
        "The mapping names link-id 'q-99', which is not a question in the questionnaire",
    ),
    (
        "a mapping naming an item key not in the rule",
        {},
        "",
        _mapping(**{"q-1": "item99"}),
        "The mapping names item key 'item99', which is not an item of STarT Back",
    ),
    (
        "a mapping incomplete for the rule's required items",
        {},
        "",
        as_file({f"q-{n}": f"item{n}" for n in range(1, 9)}),
        "The mapping is incomplete: STarT Back needs item9, which no link-id maps to",
    ),
    (
        "a mapped choice with the wrong number of options",
        _item(8, answerOption=[{"valueString": "A"}, {"valueString": "B"}]),
        "",
        START_BACK_MAPPING,
        "Item 'q-9' (mapped to item9, 0–4) offers 2 options; it needs 5",
    ),
]


PAGE_REASONS = {"an unknown rule code": "sf36 is not one of the available choices"}
"""The page offers the rules as a list, so an unknown code is refused by the field itself."""


def rejected_file(document: Any) -> bytes:
    if isinstance(document, bytes):
        return document
    base = placeholder_questionnaire("start_back")
    if callable(document):
        return as_file(document(base))
    return as_file(document or base)


# import through the service


def test_it_imports_a_questionnaire_with_its_licence_and_matches_the_rule_by_url(
    clinic: Clinic, clinician: User
) -> None:
    document = placeholder_questionnaire("start_back")

    instrument = import_instrument(
        clinician, clinic, as_file(document), LICENCE, mapping=START_BACK_MAPPING
    )

    assert (instrument.clinic, instrument.rule_code, instrument.status) == (
        clinic,
        "start_back",
        "active",
    )
    assert instrument.questionnaire == document
    assert instrument.canonical == "urn:backcare:instrument:start_back|1"
    assert (instrument.owner, instrument.licence, instrument.attribution) == (
        LICENCE.owner,
        LICENCE.licence,
        LICENCE.attribution,
    )
    assert instrument.mapping == placeholder_mapping("start_back")
    assert instrument.imported_by == clinician


def test_it_matches_the_rule_by_derived_from_when_the_url_is_the_clinics_own(
    clinic: Clinic,
) -> None:
    document = placeholder_questionnaire(
        "odi",
        url="https://clinic.example/Questionnaire/odi",
        derivedFrom=["urn:backcare:instrument:odi"],
    )

    instrument = import_instrument(
        None, clinic, as_file(document), LICENCE, mapping=as_file(placeholder_mapping("odi"))
    )

    assert instrument.rule_code == "odi"


def test_it_maps_link_ids_named_like_the_items_without_a_mapping_file(clinic: Clinic) -> None:
    document = placeholder_questionnaire("peg", scale_as="integer")
    for n, item in enumerate(document["item"], start=1):
        item["linkId"] = f"item{n}"

    instrument = import_instrument(None, clinic, as_file(document), LICENCE)

    assert instrument.mapping == {"item1": "item1", "item2": "item2", "item3": "item3"}


def test_it_imports_an_unscored_questionnaire_when_told_to(clinic: Clinic) -> None:
    document = placeholder_questionnaire(None, url="https://clinic.example/Questionnaire/intake")

    instrument = import_instrument(None, clinic, as_file(document), LICENCE, rule="none")

    assert (instrument.rule_code, instrument.mapping, instrument.rule_name) == (
        "",
        {},
        "Not scored",
    )


def test_it_reads_a_file_that_starts_with_a_byte_order_mark(clinic: Clinic) -> None:
    document = "\ufeff".encode() + as_file(placeholder_questionnaire("peg", scale_as="integer"))

    instrument = import_instrument(
        None, clinic, document, LICENCE, mapping=as_file(placeholder_mapping("peg"))
    )

    assert instrument.rule_code == "peg"


def test_it_gives_every_reason_at_once(clinic: Clinic) -> None:
    licence = Licence(owner="", licence="L", attribution="A")

    with pytest.raises(QuestionnaireProblem) as refusal:
        import_instrument(
            None,
            clinic,
            as_file(placeholder_questionnaire("start_back")),
            licence,
            mapping=as_file({f"q-{n}": f"item{n}" for n in range(1, 9)}),
        )

    assert refusal.value.reasons == [
        "The mapping is incomplete: STarT Back needs item9, which no link-id maps to.",
        "The owner must be recorded.",
    ]


def test_it_audits_an_import(clinic: Clinic, clinician: User) -> None:
    instrument = imported(clinic, "rmdq")

    event = AuditEvent.objects.get(action="instrument.import")
    assert (event.object_id, event.detail["canonical"]) == (
        str(instrument.pk),
        instrument.canonical,
    )


@pytest.mark.parametrize(
    ("case", "document", "rule", "mapping", "reason"), REJECTIONS, ids=[r[0] for r in REJECTIONS]
)
def test_it_refuses_a_bad_file_with_the_reason_and_saves_nothing(
    clinic: Clinic, case: str, document: Any, rule: str, mapping: bytes | None, reason: str
) -> None:
    with pytest.raises(QuestionnaireProblem) as refusal:
        import_instrument(
            None, clinic, rejected_file(document), LICENCE, rule=rule, mapping=mapping
        )

    assert any(reason in text for text in refusal.value.reasons), refusal.value.reasons
    assert not Instrument.objects.exists()


def test_it_refuses_the_same_canonical_version_twice(clinic: Clinic) -> None:
    imported(clinic, "peg")

    with pytest.raises(
        QuestionnaireProblem, match=re.escape("urn:backcare:instrument:peg|1 is already imported")
    ):
        imported(clinic, "peg")
    assert Instrument.objects.count() == 1


def test_it_lets_another_clinic_import_the_same_canonical(clinic: Clinic, outsider: User) -> None:
    imported(clinic, "peg")

    assert outsider.clinic is not None
    imported(outsider.clinic, "peg")
    assert Instrument.objects.count() == 2


def test_it_refuses_an_import_without_licence_terms(clinic: Clinic) -> None:
    licence = Licence(LICENCE.owner, "  ", LICENCE.attribution)

    with pytest.raises(QuestionnaireProblem, match="licence terms must be recorded"):
        import_instrument(None, clinic, as_file(placeholder_questionnaire("peg")), licence)


def test_it_refuses_a_mapping_for_an_unscored_questionnaire(clinic: Clinic) -> None:
    document = as_file(placeholder_questionnaire(None))

    with pytest.raises(QuestionnaireProblem, match="mapping was given for an unscored"):
        import_instrument(None, clinic, document, LICENCE, rule="none", mapping=b'{"q-1": "x"}')


# the import page


def import_form(document: bytes, **fields: Any) -> dict[str, Any]:
    return {
        "questionnaire_file": SimpleUploadedFile("q.json", document, "application/json"),
        "owner": LICENCE.owner,
        "licence": LICENCE.licence,
        "attribution": LICENCE.attribution,
    } | fields


def test_it_imports_an_uploaded_file_from_the_import_page(clinician: User) -> None:
    response = logged_in(clinician).post(
        "/clinic/instruments/import/",
        import_form(
            as_file(placeholder_questionnaire("start_back")),
            mapping_json=START_BACK_MAPPING.decode(),
        ),
    )

    instrument = Instrument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/instruments/{instrument.pk}/"
    assert (instrument.clinic, instrument.rule_code) == (clinician.clinic, "start_back")


def test_it_imports_pasted_json_with_an_uploaded_mapping(clinician: User) -> None:
    data = {
        "questionnaire_json": as_file(placeholder_questionnaire("odi")).decode(),
        "mapping_file": SimpleUploadedFile("m.json", as_file(placeholder_mapping("odi"))),
        "rule": "odi",
        "owner": "O",
        "licence": "L",
        "attribution": "A",
    }

    response = logged_in(clinician).post("/clinic/instruments/import/", data)

    assert response.status_code == 302
    assert Instrument.objects.get().rule_code == "odi"


def test_it_asks_for_a_file_or_pasted_json(clinician: User) -> None:
    response = logged_in(clinician).post(
        "/clinic/instruments/import/", {"owner": "O", "licence": "L", "attribution": "A"}
    )

    assert response.status_code == 200
    assert "Upload a file or paste the JSON." in response.content.decode()


@pytest.mark.parametrize(
    ("case", "document", "rule", "mapping", "reason"), REJECTIONS, ids=[r[0] for r in REJECTIONS]
)
def test_it_shows_why_the_import_page_refused_a_file(
    clinician: User, case: str, document: Any, rule: str, mapping: bytes | None, reason: str
) -> None:
    fields = {"rule": rule, "mapping_json": mapping.decode() if mapping else ""}
    response = logged_in(clinician).post(
        "/clinic/instruments/import/", import_form(rejected_file(document), **fields)
    )

    assert response.status_code == 200
    errors = [text for texts in response.context["form"].errors.values() for text in texts]
    assert any(PAGE_REASONS.get(case, reason) in text for text in errors), errors
    assert not Instrument.objects.exists()


SPANISH_REASONS = [
    (
        "a link-id used twice",
        _item(1, linkId="q-1"),
        START_BACK_MAPPING,
        "Error de validación FHIR en item[1].linkId: 'q-1' se usa dos veces.",
    ),
    (
        "no canonical url",
        _with(url=None),
        START_BACK_MAPPING,
        "No tiene url canónica; backcare registra cada instrumento por ella.",
    ),
    (
        "a mapping naming a link-id not in the questionnaire",
        {},
        _mapping(**{"q-99": "item1"}),
        "La correspondencia nombra el link-id 'q-99', que no es una pregunta del cuestionario.",
    ),
]


@pytest.mark.parametrize(
    ("case", "document", "mapping", "reason"), SPANISH_REASONS, ids=[r[0] for r in SPANISH_REASONS]
)
def test_the_import_page_says_why_in_the_clinicians_language(
    clinician: User, case: str, document: Any, mapping: bytes, reason: str
) -> None:
    clinician.language = "es"
    clinician.save(update_fields=["language"])
    fields = {"rule": "start_back", "mapping_json": mapping.decode()}
    response = logged_in(clinician).post(
        "/clinic/instruments/import/", import_form(rejected_file(document), **fields)
    )

    errors = [text for texts in response.context["form"].errors.values() for text in texts]
    assert reason in errors, errors


# the command


def write(tmp_path: Any, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_it_imports_from_the_command_line(clinic: Clinic, tmp_path: Any) -> None:
    out = io.StringIO()
    call_command(
        "import_questionnaire",
        "--clinic",
        str(clinic.pk),
        write(tmp_path, "q.json", as_file(placeholder_questionnaire("start_back"))),
        "--mapping",
        write(tmp_path, "m.json", START_BACK_MAPPING),
        "--owner",
        LICENCE.owner,
        "--licence",
        LICENCE.licence,
        "--attribution",
        LICENCE.attribution,
        stdout=out,
    )

    instrument = Instrument.objects.get()
    assert (instrument.clinic, instrument.rule_code, instrument.imported_by) == (
        clinic,
        "start_back",
        None,
    )
    assert "Imported Placeholder start_back 1" in out.getvalue()


@pytest.mark.parametrize(
    ("case", "document", "rule", "mapping", "reason"), REJECTIONS, ids=[r[0] for r in REJECTIONS]
)
def test_it_refuses_a_bad_file_on_the_command_line_with_the_reason(
    clinic: Clinic,
    tmp_path: Any,
    case: str,
    document: Any,
    rule: str,
    mapping: bytes | None,
    reason: str,
) -> None:
    arguments = ["--clinic", str(clinic.pk), write(tmp_path, "q.json", rejected_file(document))]
    arguments += ["--owner", "O", "--licence", "L", "--attribution", "A", "--rule", rule]
    if mapping is not None:
        arguments += ["--mapping", write(tmp_path, "m.json", mapping)]

    with pytest.raises(CommandError) as refusal:
        call_command("import_questionnaire", *arguments)

    assert reason in str(refusal.value)
    assert not Instrument.objects.exists()


def test_it_names_a_missing_clinic_on_the_command_line(db: Any, tmp_path: Any) -> None:
    path = write(tmp_path, "q.json", as_file(placeholder_questionnaire("peg")))

    with pytest.raises(CommandError, match="No clinic with id 999"):
        call_command(
            "import_questionnaire",
            "--clinic",
            "999",
            path,
            "--owner",
            "O",
            "--licence",
            "L",
            "--attribution",
            "A",
        )


def test_it_names_a_missing_file_on_the_command_line(clinic: Clinic, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match=r"Cannot read .*nope\.json: No such file"):
        call_command(
            "import_questionnaire",
            "--clinic",
            str(clinic.pk),
            str(tmp_path / "nope.json"),
            "--owner",
            "O",
            "--licence",
            "L",
            "--attribution",
            "A",
        )
