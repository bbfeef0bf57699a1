"""The clinician's review queue: proposals with their reasons; approve or refuse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backcare.audit.models import AuditEvent
from backcare.audit.services import record
from backcare.patients.access import get_for_actor_or_404, record_found
from backcare.patients.views import clinician_required
from backcare.programmes.services import ProgrammeBlocked
from backcare.reviews import services
from backcare.reviews.forms import RefuseForm
from backcare.reviews.models import Review


@login_required
@clinician_required
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = services.pending_reviews(request.user)  # type: ignore[arg-type]
    return render(request, "reviews/review_list.html", {"reviews": reviews})


@login_required
@clinician_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_for_actor_or_404(request.user, Review, "review.read", pk=pk)
    return render(
        request, "reviews/review_detail.html", {"review": review, "refuse_form": RefuseForm()}
    )


@require_POST
@login_required
@clinician_required
def approve_review(request: HttpRequest, pk: int) -> HttpResponse:
    # the decision's own row (and the drafted programme's) stand for this request's read
    review = get_for_actor_or_404(request.user, Review, "review.read", audit_found=False, pk=pk)
    try:
        draft = services.approve(request.user, review)  # type: ignore[arg-type]
    except (ValueError, ProgrammeBlocked) as error:
        record(
            request.user,
            "review.approved",
            patient_id=review.patient_id,
            obj=review,
            outcome=AuditEvent.Outcome.INVALID,
            reason=type(error).__name__,
        )
        messages.error(request, str(error))
        return redirect("review_detail", pk=review.pk)
    if draft is not None:
        messages.success(
            request,
            _("Approved. Here is the %(stage)s programme to check and assign.")
            % {"stage": draft.stage_name},
        )
        return redirect("programme_detail", pk=draft.pk)
    messages.success(request, _("Approved and recorded."))
    return redirect("patient_detail", pk=review.patient_id)


@require_POST
@login_required
@clinician_required
def refuse_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_for_actor_or_404(request.user, Review, "review.read", audit_found=False, pk=pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        record_found(request.user, "review.read", review)
        context = {"review": review, "refuse_form": form}
        return render(request, "reviews/review_detail.html", context, status=200)
    try:
        services.refuse(request.user, review, form.cleaned_data["note"])  # type: ignore[arg-type]
    except ValueError as error:
        record(
            request.user,
            "review.refused",
            patient_id=review.patient_id,
            obj=review,
            outcome=AuditEvent.Outcome.INVALID,
            reason=type(error).__name__,
        )
        messages.error(request, str(error))
        return redirect("review_detail", pk=review.pk)
    messages.success(request, _("Proposal refused; the programme stays as it is."))
    return redirect("review_list")
