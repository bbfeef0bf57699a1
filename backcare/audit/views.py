"""The clinic admin's audit viewer: the clinic's events, filtered, paged, exported as CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backcare.accounts.models import is_clinic_admin
from backcare.audit import trail, viewer
from backcare.audit.forms import AuditFilterForm

PER_PAGE = 50


def _admin_clinic(request: HttpRequest) -> int:
    user: Any = request.user
    if not is_clinic_admin(user):
        raise PermissionDenied("The audit log is for the clinic's administrator.")
    return int(user.clinic_id)


@dataclass(frozen=True)
class _Query:
    """What both views read from the request: the admin's clinic, its staff and the filters."""

    clinic_id: int
    staff: dict[int, str]
    form: AuditFilterForm
    filters: dict[str, Any]


def _query(request: HttpRequest) -> _Query:
    clinic_id = _admin_clinic(request)
    staff = viewer.staff_of(clinic_id)
    form = AuditFilterForm(request.GET or None, staff=staff, clinic_id=clinic_id)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return _Query(clinic_id, staff, form, filters)  # the caller refuses ``form.errors``


def _refused(request: HttpRequest, form: AuditFilterForm) -> HttpResponse:
    """The page with the filter errors and no rows; 400 so a script sees the refusal."""
    context = {"form": form, "page": None, "query": ""}
    return render(request, "audit/audit_log.html", context, status=400)


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The clinic's audit events, newest first, 50 a page; the viewing is itself audited."""
    query = _query(request)
    if query.form.errors:
        return _refused(request, query.form)
    clinic_id, staff, form, filters = query.clinic_id, query.staff, query.form, query.filters
    events = viewer.filtered(viewer.clinic_events(clinic_id), filters)
    page = Paginator(events.select_related("actor"), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (event, staff.get(event.actor_id or 0, ""), viewer.detail_text(event))
        for event in page.object_list
    ]
    trail.read(
        request.user,
        "audit.view",
        patient_id=filters.get("patient"),
        filters=viewer.plain_filters(filters),
        page=page.number,
        rows=len(rows),
    )
    others = request.GET.copy()  # the filters, for the page links
    others.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": others.urlencode()}
    return render(request, "audit/audit_log.html", context)


@login_required
@require_GET
def export_audit_log(request: HttpRequest) -> HttpResponse:
    """The filtered events as CSV (every page); the export is itself audited."""
    query = _query(request)
    if query.form.errors:
        return _refused(request, query.form)
    clinic_id, staff, filters = query.clinic_id, query.staff, query.filters
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(viewer.CSV_HEADER)
    events = viewer.filtered(viewer.clinic_events(clinic_id), filters)
    count = 0
    for event in events.iterator(chunk_size=2000):
        writer.writerow(viewer.csv_row(event, staff))
        count += 1
    trail.note(
        request.user,
        "audit.export",
        patient_id=filters.get("patient"),
        filters=viewer.plain_filters(filters),
        rows=count,
    )
    return response
