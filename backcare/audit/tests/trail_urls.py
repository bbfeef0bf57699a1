"""Views for the audit trail's own tests: each does one kind of thing to patient data."""

from __future__ import annotations

from django.db.transaction import non_atomic_requests
from django.http import HttpRequest, HttpResponse
from django.urls import path

from backcare.audit import trail
from backcare.patients.access import get_for_actor_or_404
from backcare.patients.models import Patient


def _rename(request: HttpRequest, pk: int) -> Patient:
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    patient.first_name = "Renamed"
    patient.save(update_fields=["first_name"])
    trail.note(request.user, "patient.rename", patient_id=patient.pk, obj=patient)
    return patient


def rename_then_fail(request: HttpRequest, pk: int) -> HttpResponse:
    _rename(request, pk)
    raise RuntimeError("the view failed after its write")


@non_atomic_requests
def rename_outside_then_fail(request: HttpRequest, pk: int) -> HttpResponse:
    _rename(request, pk)
    raise RuntimeError("the view failed after its write, made outside a request transaction")


def rename_then_answer_500(request: HttpRequest, pk: int) -> HttpResponse:
    _rename(request, pk)
    return HttpResponse("failed", status=500)


def rename_twice(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _rename(request, pk)
    trail.note(request.user, "patient.rename_again", patient_id=patient.pk, obj=patient, n=2)
    return HttpResponse("ok")


def read(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    trail.read(request.user, "patient.summary.view", patient_id=patient.pk, shown=1)
    return HttpResponse("ok")


def nothing(request: HttpRequest) -> HttpResponse:
    return HttpResponse("no patient data here")


urlpatterns = [
    path("fail/<int:pk>/", rename_then_fail),
    path("answer-500/<int:pk>/", rename_then_answer_500),
    path("fail-outside/<int:pk>/", rename_outside_then_fail),
    path("twice/<int:pk>/", rename_twice),
    path("read/<int:pk>/", read),
    path("nothing/", nothing),
]
