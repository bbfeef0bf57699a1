"""The clinician's alert list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backcare.accounts.requests import SignedInRequest
from backcare.alerts import services
from backcare.alerts.models import Alert
from backcare.patients.access import clinician_required, get_for_actor_or_404


@login_required
@clinician_required
def alert_list(request: SignedInRequest) -> HttpResponse:
    alerts = services.open_alerts(request.user)
    return render(request, "alerts/alert_list.html", {"alerts": alerts})


@require_POST
@login_required
@clinician_required
def acknowledge_alert(request: SignedInRequest, pk: int) -> HttpResponse:
    # the acknowledgement is always recorded: that row is this request's one row
    alert = get_for_actor_or_404(request.user, Alert, "alert.read", pk=pk)
    services.acknowledge(request.user, alert)
    if request.POST.get("back") == "record":  # marked as seen on the patient's record
        return redirect("patient_detail", pk=alert.patient_id)
    return redirect("alert_list")
