"""Importing instruments, assigning them, scoring the answers and reading the results.

The one path, shared by the clinician's page and the ``import_questionnaire`` command, that adds
an instrument to a clinic's registry; the one path that stores a patient's answers and scores
them (``backcare.core.instruments``), and lets a STarT Back result set the patient's risk group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from backcare.accounts.models import Clinic
from backcare.accounts.rules import thresholds_for
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.core.instruments import (
    OUTCOMES,
    RULES,
    Change,
    Outcome,
    ScoringError,
    apply_mapping,
    classify_change,
)
from backcare.instruments.fhir import (
    Question,
    QuestionnaireProblem,
    answer_json,
    build_response,
    questions_of,
    read_questionnaire,
    scoring_value,
)
from backcare.instruments.mapping import check_mapping, default_mapping, read_mapping, resolve_rule
from backcare.instruments.models import Assignment, Instrument, Response
from backcare.instruments.words import change_reason
from backcare.patients.models import Patient

__all__ = [
    "AlreadyAnswered",
    "InvalidAnswers",
    "Licence",
    "QuestionnaireProblem",
    "Result",
    "answer_questionnaire",
    "assign_instrument",
    "assignable_instruments",
    "assignments_of",
    "import_instrument",
    "latest_start_back",
    "results_of",
]


@dataclass(frozen=True)
class Licence:
    """What the registry records about an instrument's use: owner, terms, required attribution."""

    owner: str
    licence: str
    attribution: str


def import_instrument(
    actor: Any,
    clinic: Clinic,
    questionnaire: str | bytes,
    licence: Licence,
    *,
    rule: str = "",
    mapping: str | bytes | None = None,
) -> Instrument:
    """Validate a FHIR R4 Questionnaire with its rule and mapping, and add it to the registry.

    ``rule`` is a rule code, ``"none"`` for unscored, or blank to match the file's canonical url.
    Raises ``QuestionnaireProblem`` with every reason it is refused; nothing is saved then.
    """
    document = read_questionnaire(questionnaire)
    reasons: list[str] = []
    scoring_rule, chosen = None, {}
    try:
        scoring_rule = resolve_rule(rule, document)
        chosen = read_mapping(mapping)
    except QuestionnaireProblem as problem:
        reasons += problem.reasons
    else:
        questions = questions_of(document)
        if scoring_rule is not None and not chosen:
            chosen = default_mapping(questions, scoring_rule)
        reasons += check_mapping(questions, scoring_rule, chosen)
    for missing, value in (
        (gettext("The owner must be recorded."), licence.owner),
        (gettext("The licence terms must be recorded."), licence.licence),
        (gettext("The attribution must be recorded."), licence.attribution),
    ):
        if not value.strip():
            reasons.append(missing)
    if reasons:
        raise QuestionnaireProblem(reasons)
    version = str(document.get("version") or "")
    with transaction.atomic():
        if Instrument.objects.filter(clinic=clinic, url=document["url"], version=version).exists():
            shown = document["url"] + (f"|{version}" if version else "")
            raise QuestionnaireProblem(
                [
                    gettext(
                        "%(canonical)s is already imported; give the file a new version to import "
                        "it again."
                    )
                    % {"canonical": shown}
                ]
            )
        instrument = Instrument.objects.create(
            clinic=clinic,
            questionnaire=document,
            url=document["url"],
            version=version,
            name=document.get("name") or "",
            title=document.get("title") or document.get("name") or document["url"],
            status=document["status"],
            rule_code=scoring_rule.code if scoring_rule else "",
            mapping=chosen,
            owner=licence.owner.strip(),
            licence=licence.licence.strip(),
            attribution=licence.attribution.strip(),
            imported_by=actor,
        )
        trail.note(
            actor,
            "instrument.import",
            obj=instrument,
            clinic_id=clinic.pk,
            canonical=instrument.canonical,
            rule=instrument.rule_code,
        )
    return instrument


def assignable_instruments(actor: Any) -> QuerySet[Instrument]:
    """The actor's clinic's instruments a patient can be asked to answer (not retired)."""
    return Instrument.objects.for_actor(actor).exclude(status=Instrument.Status.RETIRED)


def assign_instrument(
    actor: Any, patient: Patient, instrument: Instrument, context: str, due: date | None = None
) -> Assignment:
    """Ask ``patient`` to answer ``instrument``; both must be the actor's clinic's."""
    if not Patient.objects.for_actor(actor).filter(pk=patient.pk).exists():
        raise PermissionDenied("not this actor's patient")
    if not assignable_instruments(actor).filter(pk=instrument.pk).exists():
        raise PermissionDenied("not an instrument of this actor's clinic")
    with transaction.atomic():
        assignment = Assignment.objects.create(
            patient=patient, instrument=instrument, context=context, assigned_by=actor, due=due
        )
        trail.note(
            actor,
            "instrument.assign",
            patient_id=patient.pk,
            obj=assignment,
            instrument=instrument.canonical,
            context=context,
        )
    return assignment


def assignments_of(actor: Any, patient: Patient) -> QuerySet[Assignment]:
    """The patient's assignments with their instrument and response, open ones first."""
    return (
        Assignment.objects.for_actor(actor)
        .filter(patient=patient)
        .select_related("instrument", "response")
        .order_by(F("completed_at").asc(nulls_first=True), "due", "-assigned_at", "-id")
    )


class AlreadyAnswered(Exception):
    """The assignment was answered already (another tab, a double submit)."""


class InvalidAnswers(Exception):
    """The answers cannot be scored; ``errors`` pairs each question's link-id with the problem."""

    def __init__(self, errors: list[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(f"{link_id}: {problem}" for link_id, problem in errors))
        self.errors = errors


def answer_questionnaire(
    actor: Any, assignment: Assignment, values: Mapping[str, Any], *, now: datetime | None = None
) -> Response:
    """Store the answers (link-id → cleaned form value; ``None`` = unanswered) and score them.

    A STarT Back result sets the patient's risk group. Raises ``InvalidAnswers`` (recorded as a
    rejected write) or ``AlreadyAnswered``.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _answer(actor, assignment, values, now)
    except InvalidAnswers as error:
        trail.note(
            actor,
            "instrument.response.create",
            patient_id=assignment.patient_id,
            obj=assignment,
            outcome=AuditEvent.Outcome.INVALID,
            errors=[f"{link_id}: {problem}" for link_id, problem in error.errors],
        )
        raise


def _answer(
    actor: Any, assignment: Assignment, values: Mapping[str, Any], now: datetime
) -> Response:
    found = (
        Assignment.objects.for_actor(actor)
        .select_for_update()
        .select_related("instrument", "patient")
        .filter(pk=assignment.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied("not this actor's assignment")
    if found.completed_at is not None:
        raise AlreadyAnswered(str(found))
    instrument = found.instrument
    questions = {q.link_id: q for q in questions_of(instrument.questionnaire) if q.answerable}
    answered = {link_id: value for link_id, value in values.items() if value not in (None, "")}
    response = Response(
        patient=found.patient,
        assignment=found,
        instrument=instrument,
        rule_code=instrument.rule_code,
        answered_by=actor,
        answered_at=now,
        response=build_response(
            instrument.questionnaire,
            {link_id: answer_json(questions[link_id], v) for link_id, v in answered.items()},
            now.isoformat(),
        ),
    )
    if instrument.rule_code:
        _score(response, instrument, questions, answered, now)
    response.save()
    found.completed_at = now
    found.save(update_fields=["completed_at"])
    trail.note(
        actor,
        "instrument.response.create",
        patient_id=found.patient_id,
        obj=response,
        instrument=instrument.canonical,
        score=response.score,
        interpretation=response.interpretation,
    )
    if response.rule_code == "start_back":
        _set_risk_group(actor, found.patient, response)
    return response


def _score(
    response: Response,
    instrument: Instrument,
    questions: Mapping[str, Question],
    answered: Mapping[str, Any],
    now: datetime,
) -> None:
    rule = RULES[instrument.rule_code]
    link_of = {key: link_id for link_id, key in instrument.mapping.items()}
    scored = {
        link_id: scoring_value(questions[link_id], value)
        for link_id, value in answered.items()
        if link_id in instrument.mapping
    }
    try:
        by_item = apply_mapping(scored, instrument.mapping)
        errors = rule.validate(by_item)
        if errors:
            raise InvalidAnswers([(link_of.get(e.item), e.problem) for e in errors])
        score = rule.score(by_item)
    except ScoringError as error:
        raise InvalidAnswers([(link_of.get(error.item), error.problem)]) from None
    response.score = score.value
    response.subscales = dict(score.subscales)
    response.interpretation = score.interpretation or ""
    response.notes = list(score.notes)
    response.computed_at = now


def _set_risk_group(actor: Any, patient: Patient, response: Response) -> None:
    """STarT Back stratifies care (Hill et al. 2011), so its result becomes the risk group the
    prescribing engine reads; a clinician can still change it on the patient's record."""
    previous = patient.risk_group
    Patient.objects.for_actor(actor).filter(pk=patient.pk).update(
        risk_group=response.interpretation
    )
    trail.note(
        actor,
        "patient.risk_group.set",
        patient_id=patient.pk,
        obj=response,
        source="start_back",
        previous=previous,
        risk_group=response.interpretation,
        total=response.score,
        psychosocial=response.subscales.get("psychosocial"),
    )


@dataclass(frozen=True)
class Result:
    """One scored (or unscored) response, with its change from the first score of its outcome."""

    response: Response
    change: Change | None = None

    @property
    def change_reason(self) -> str:
        """Why the change counts as important or not, in the active language."""
        return change_reason(self.change) if self.change else ""


def results_of(actor: Any, patient: Patient) -> list[Result]:
    """The patient's responses, newest first; ODI, RMDQ, PEG and PSFS scores carry their change
    from the patient's first score of the same rule, judged by the clinic's own thresholds."""
    responses = (
        Response.objects.for_actor(actor)
        .filter(patient=patient)
        .select_related("instrument", "assignment")
        .order_by("answered_at", "id")
    )
    change_thresholds = thresholds_for(patient.clinic).change
    baselines: dict[str, float] = {}
    results = []
    for response in responses:
        change = None
        if response.score is not None and response.rule_code in OUTCOMES:
            outcome: Outcome = response.rule_code
            if outcome in baselines:
                change = classify_change(
                    baselines[outcome],
                    response.score,
                    outcome=outcome,
                    thresholds=change_thresholds,
                )
            else:
                baselines[outcome] = response.score
        results.append(Result(response, change))
    return results[::-1]


def latest_start_back(actor: Any, patient: Patient) -> Response | None:
    """The patient's most recent STarT Back result, the one that last set their risk group."""
    return (
        Response.objects.for_actor(actor)
        .filter(patient=patient, rule_code="start_back", computed_at__isnull=False)
        .order_by("-answered_at", "-id")
        .first()
    )
