"""The clinician's alert list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backcare.alerts import services
from backcare.alerts.models import Alert
from backcare.patients.access import get_for_actor_or_404
from backcare.patients.views import clinician_required


@login_required
@clinician_required
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = services.open_alerts(request.user)  # type: ignore[arg-type]
    return render(request, "alerts/alert_list.html", {"alerts": alerts})


@require_POST
@login_required
@clinician_required
def acknowledge_alert(request: HttpRequest, pk: int) -> HttpResponse:
    # the acknowledgement is always recorded: that row is this request's one row
    alert = get_for_actor_or_404(request.user, Alert, "alert.read", audit_found=False, pk=pk)
    services.acknowledge(request.user, alert)  # type: ignore[arg-type]
    if request.POST.get("back") == "record":  # marked as seen on the patient's record
        return redirect("patient_detail", pk=alert.patient_id)
    return redirect("alert_list")
