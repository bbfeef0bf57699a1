"""Clinician pages (the registry, import, a patient's results) and the patient's questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backcare.audit import trail
from backcare.instruments import services
from backcare.instruments.fhir import questions_of
from backcare.instruments.forms import AssignForm, ImportForm, QuestionnaireForm
from backcare.instruments.models import Assignment, Instrument
from backcare.patients.access import clinician_required, get_for_actor_or_404, own_patient_or_404
from backcare.patients.models import Patient


@login_required
@clinician_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    """The clinic's registry: each instrument with its owner, licence and attribution."""
    instruments = Instrument.objects.for_actor(request.user)
    return render(request, "instruments/instrument_list.html", {"instruments": instruments})


@login_required
@clinician_required
def import_instrument(request: HttpRequest) -> HttpResponse:
    """Upload or paste a FHIR R4 Questionnaire with its licence; every refusal says why."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        licence = services.Licence(data["owner"], data["licence"], data["attribution"])
        clinic = getattr(request.user, "clinic", None)
        if clinic is None:
            raise Http404("Instruments belong to a clinic.")
        try:
            instrument = services.import_instrument(
                request.user,
                clinic,
                data["questionnaire"],
                licence,
                rule=data["rule"],
                mapping=data["mapping"],
            )
        except services.QuestionnaireProblem as problem:
            for reason in problem.reasons:
                form.add_error(None, reason)
        else:
            messages.success(
                request,
                _("%(instrument)s imported (%(rule)s).")
                % {"instrument": instrument, "rule": instrument.rule_name},
            )
            return redirect("instrument_detail", pk=instrument.pk)
    return render(request, "instruments/import.html", {"form": form})


@login_required
@clinician_required
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One instrument: its licence, and its questions with the rule item each is scored as."""
    instrument = Instrument.objects.for_actor(request.user).filter(pk=pk).first()
    if instrument is None:
        raise Http404("No such instrument in your clinic.")
    context = {"instrument": instrument, "questions": questions_of(instrument.questionnaire)}
    return render(request, "instruments/instrument_detail.html", context)


@login_required
@clinician_required
def patient_instruments(request: HttpRequest, pk: int) -> HttpResponse:
    """A patient's scores with their change from the first, open assignments, and a new one."""
    patient = get_for_actor_or_404(request.user, Patient, "instrument.results.view", pk=pk)
    return _render_patient(
        request, patient, AssignForm(services.assignable_instruments(request.user))
    )


@require_POST
@login_required
@clinician_required
def assign_instrument(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    form = AssignForm(services.assignable_instruments(request.user), request.POST)
    if not form.is_valid():
        return _render_patient(request, patient, form)
    data = form.cleaned_data
    services.assign_instrument(
        request.user, patient, data["instrument"], data["context"], data["due"]
    )
    messages.success(
        request,
        _("%(instrument)s assigned to %(name)s.")
        % {"instrument": data["instrument"], "name": patient.full_name},
    )
    return redirect("patient_instruments", pk=patient.pk)


def _render_patient(request: HttpRequest, patient: Patient, form: AssignForm) -> HttpResponse:
    context = {
        "patient": patient,
        "results": services.results_of(request.user, patient),
        "assignments": services.assignments_of(request.user, patient).filter(completed_at=None),
        "form": form,
    }
    return render(request, "instruments/patient_instruments.html", context)


@login_required
def my_questionnaires(request: HttpRequest) -> HttpResponse:
    """The questionnaires the patient has been asked to answer, and those answered."""
    patient = own_patient_or_404(request.user)
    assignments = list(services.assignments_of(request.user, patient))
    trail.read(
        request.user,
        "instrument.assignments.view",
        patient_id=patient.pk,
        open=sum(1 for a in assignments if a.completed_at is None),
    )
    return render(request, "instruments/my_questionnaires.html", {"assignments": assignments})


@login_required
def answer_questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire rendered from the clinic's file; saving scores it."""
    own_patient_or_404(request.user)  # staff get a 404 here, before any lookup
    # the scoped manager keeps a patient to their own assignments
    assignment = get_for_actor_or_404(request.user, Assignment, "instrument.assignment.read", pk=pk)
    if assignment.completed_at is not None:
        messages.info(request, _("You have already answered this questionnaire. Thank you."))
        return redirect("my_questionnaires")
    questions = questions_of(assignment.instrument.questionnaire)
    form = QuestionnaireForm(questions, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_questionnaire(request.user, assignment, form.answers())
        except services.InvalidAnswers as error:
            for link_id, problem in error.errors:
                form.add_answer_error(link_id, problem)
        except services.AlreadyAnswered:
            messages.info(request, _("You have already answered this questionnaire. Thank you."))
            return redirect("my_questionnaires")
        else:
            messages.success(request, _("Thank you. Your answers are saved."))
            return redirect("my_questionnaires")
    context = {"assignment": assignment, "instrument": assignment.instrument, "form": form}
    return render(request, "instruments/answer.html", context)
