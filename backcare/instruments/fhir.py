"""Reading a clinic's FHIR R4 ``Questionnaire`` and writing the ``QuestionnaireResponse``.

Validation uses ``fhir.resources`` (8.x), whose ``R4B`` package models FHIR 4.3.0. R4B changed
only a few modules (medication definitions, evidence, subscriptions); outside them, HL7 says R4
and R4B are interchangeable, and the Questionnaire and QuestionnaireResponse elements are the
same as R4's. The package's default models are R5, which would accept R5-only elements
(``copyrightLabel``, ``item.answerConstraint``, ``item.disabledDisplay``) in an R4 file, so they
are not used. The library checks structure, cardinality, datatypes, one-of-``value[x]`` and
unknown elements; it does not enforce code bindings, so the two R4 bindings we rely on (status,
item type) and unique link-ids are checked here.

Item text is read from the clinic's imported file at run time; none of it lives in this code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic
from django.utils.translation import gettext
from fhir.resources.R4B.questionnaire import Questionnaire

__all__ = [
    "ANSWER_VALUE_KEYS",
    "R4_ITEM_TYPES",
    "R4_STATUSES",
    "SUPPORTED_TYPES",
    "Option",
    "Question",
    "QuestionnaireProblem",
    "answer_json",
    "build_response",
    "questions_of",
    "read_questionnaire",
    "scoring_value",
]

R4_STATUSES = ("draft", "active", "retired", "unknown")
"""Questionnaire.status, a required binding to PublicationStatus (R4)."""

R4_ITEM_TYPES = (
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "dateTime",
    "time",
    "string",
    "text",
    "url",
    "choice",
    "open-choice",
    "attachment",
    "reference",
    "quantity",
)
"""Questionnaire.item.type, a required binding to QuestionnaireItemType (R4)."""

SUPPORTED_TYPES = ("group", "display", "boolean", "integer", "string", "text", "choice")
"""The item types backcare can put to a patient; a file with any other is refused at import so
no patient meets a question they cannot answer."""

ANSWER_VALUE_KEYS = ("valueCoding", "valueInteger", "valueString")
"""The answerOption values a choice item may offer (dates, times and references are not)."""

MAX_REPORTED_ERRORS = 10


class QuestionnaireProblem(ValueError):
    """The file cannot be imported; ``reasons`` says why, one sentence each, in the language active
    when it was raised (the importer's)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Option:
    """One answer option of a choice item: its FHIR value and the label shown."""

    key: str
    value: Any
    label: str


@dataclass(frozen=True)
class Question:
    """One item of the questionnaire, in document order (groups and display text included)."""

    link_id: str
    type: str
    text: str
    prefix: str
    required: bool
    depth: int
    options: tuple[Option, ...] = ()
    max_length: int | None = None

    @property
    def answerable(self) -> bool:
        return self.type not in ("group", "display")

    @property
    def label(self) -> str:
        """The question as shown: prefix and text, or the link-id when the file has no text."""
        return " ".join(part for part in (self.prefix, self.text) if part) or self.link_id


def read_questionnaire(text: str | bytes) -> dict[str, Any]:
    """The Questionnaire as a dict, or ``QuestionnaireProblem`` saying why it is not one."""
    try:
        # utf-8-sig: files saved by Windows editors often start with a byte-order mark
        document = json.loads(text.decode("utf-8-sig") if isinstance(text, bytes) else text)
    except RecursionError:
        raise QuestionnaireProblem(
            [gettext("The file is nested too deeply to be a FHIR JSON file.")]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise QuestionnaireProblem(
            [gettext("The file is not JSON: %(error)s.") % {"error": error}]
        ) from None
    if not isinstance(document, dict):
        raise QuestionnaireProblem(
            [gettext("The file is not a FHIR resource: expected a JSON object.")]
        )
    kind = document.get("resourceType")
    if kind != "Questionnaire":
        if kind:
            shown = gettext("resourceType is %(kind)s") % {"kind": repr(kind)}
        else:
            shown = gettext("it has no resourceType")
        raise QuestionnaireProblem(
            [gettext("The file is not a FHIR Questionnaire: %(why)s.") % {"why": shown}]
        )
    try:
        Questionnaire.model_validate(document)
    except pydantic.ValidationError as error:
        reasons = [
            _invalid(_path(problem["loc"]), _message(problem))
            for problem in error.errors()[:MAX_REPORTED_ERRORS]
        ]
        raise QuestionnaireProblem(reasons) from None
    if reasons := _r4_problems(document):
        raise QuestionnaireProblem(reasons)
    return document


def _invalid(path: str, message: str) -> str:
    """A FHIR validation error at an element path."""
    return gettext("FHIR validation error at %(path)s: %(message)s") % {
        "path": path,
        "message": message,
    }


def _message(problem: Mapping[str, Any]) -> str:
    """The validation library's message (its own words, in English), ours for an extra element."""
    if problem["type"] == "extra_forbidden":
        return gettext("not an element of an R4 Questionnaire.")
    return str(problem["msg"])


def _path(location: tuple[int | str, ...]) -> str:
    """A pydantic location as a FHIR element path: ``item[0].answerOption[1].valueCoding``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "(resource)"


def _r4_problems(document: Mapping[str, Any]) -> list[str]:
    """What R4 requires beyond the library's checks, and what backcare needs to ask the items."""
    reasons = []
    if document.get("status") not in R4_STATUSES:
        why = gettext("%(value)s is not one of %(allowed)s.") % {
            "value": repr(document.get("status")),
            "allowed": ", ".join(R4_STATUSES),
        }
        reasons.append(_invalid("status", why))
    if not document.get("url"):
        reasons.append(gettext("It has no canonical url; backcare records each instrument by it."))
    items = list(_walk(document.get("item") or [], "item"))
    if not any(item.get("type") not in ("group", "display") for _, item in items):
        reasons.append(gettext("It has no items to answer."))
    seen: set[str] = set()
    for path, item in items:
        link_id, kind = item["linkId"], item.get("type")
        numbers = {"link_id": repr(link_id), "kind": repr(kind)}
        if link_id in seen:
            why = gettext("%(link_id)s is used twice.") % numbers
            reasons.append(_invalid(f"{path}.linkId", why))
        seen.add(link_id)
        if kind not in R4_ITEM_TYPES:
            reasons.append(
                _invalid(f"{path}.type", gettext("%(kind)s is not an R4 type.") % numbers)
            )
        elif kind not in SUPPORTED_TYPES:
            reasons.append(
                gettext("Item %(link_id)s is of type %(kind)s; backcare can ask %(supported)s.")
                % (numbers | {"supported": ", ".join(SUPPORTED_TYPES)})
            )
        reasons.extend(_unsupported(item))
    return reasons


def _unsupported(item: Mapping[str, Any]) -> Iterator[str]:
    numbers = {"link_id": repr(item["linkId"])}
    if item.get("enableWhen"):
        yield (
            gettext("Item %(link_id)s uses enableWhen; conditional questions are not supported.")
            % numbers
        )
    if item.get("repeats") and item.get("type") not in ("group", "display"):
        yield gettext("Item %(link_id)s repeats; one answer per question is supported.") % numbers
    if item.get("type") != "choice":
        return
    options = item.get("answerOption") or []
    if not options:
        yield (
            gettext("Choice item %(link_id)s has no answerOption (answerValueSet is not expanded).")
            % numbers
        )
    for option in options:
        if not any(key in option for key in ANSWER_VALUE_KEYS):
            yield (
                gettext(
                    "Choice item %(link_id)s offers an answer that is not a coding, integer or "
                    "text."
                )
                % numbers
            )
            break


def _walk(items: list[dict[str, Any]], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        yield here, item
        yield from _walk(item.get("item") or [], f"{here}.item")


def questions_of(document: Mapping[str, Any]) -> list[Question]:
    """Every item of an imported questionnaire, in order, with its depth for headings."""
    return [_question(item, depth) for depth, item in _walk_depth(document.get("item") or [], 0)]


def _walk_depth(items: list[dict[str, Any]], depth: int) -> Iterator[tuple[int, dict[str, Any]]]:
    for item in items:
        yield depth, item
        yield from _walk_depth(item.get("item") or [], depth + 1)


def _question(item: Mapping[str, Any], depth: int) -> Question:
    options = tuple(
        Option(key, option[key], _option_label(key, option[key]))
        for option in item.get("answerOption") or []
        for key in ANSWER_VALUE_KEYS
        if key in option
    )
    return Question(
        link_id=item["linkId"],
        type=item["type"],
        text=item.get("text") or "",
        prefix=item.get("prefix") or "",
        required=bool(item.get("required")),
        depth=depth,
        options=options,
        max_length=item.get("maxLength"),
    )


def _option_label(key: str, value: Any) -> str:
    if key == "valueCoding":
        return str(value.get("display") or value.get("code") or "")
    return str(value)


def answer_json(question: Question, value: Any) -> dict[str, Any]:
    """One ``QuestionnaireResponse.item.answer`` for a cleaned form value."""
    if question.type == "boolean":
        return {"valueBoolean": bool(value)}
    if question.type == "integer":
        return {"valueInteger": int(value)}
    if question.type == "choice":
        option = question.options[int(value)]
        return {option.key: option.value}
    return {"valueString": str(value)}


def scoring_value(question: Question, value: Any) -> object:
    """What a scoring rule reads from one cleaned form value.

    A coded answer counts as its option's position in the item's ``answerOption`` list, from 0:
    licensed files code their options with LOINC answer codes (``LA…``) or the owner's own
    strings, which are not scores, while the order of the options is the order of the paper form,
    least severe first, which is what ``backcare.core.instruments`` scores. A clinic whose file
    lists options in another order fixes the order in its file, not in the mapping.
    """
    if question.type == "boolean":
        return bool(value)
    if question.type in ("integer", "choice"):
        return int(value)
    return value


def build_response(
    document: Mapping[str, Any], answers: Mapping[str, dict[str, Any]], authored: str
) -> dict[str, Any]:
    """A completed R4 ``QuestionnaireResponse``: answered items nested as the groups are."""
    canonical = document["url"] + (f"|{document['version']}" if document.get("version") else "")
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical,
        "status": "completed",
        "authored": authored,
        "item": _response_items(document.get("item") or [], answers),
    }


def _response_items(
    items: list[dict[str, Any]], answers: Mapping[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for item in items:
        link_id = item["linkId"]
        if item["type"] == "group":
            if children := _response_items(item.get("item") or [], answers):
                out.append({"linkId": link_id, "item": children})
        elif link_id in answers:
            out.append({"linkId": link_id, "answer": [answers[link_id]]})
    return out
