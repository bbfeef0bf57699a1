"""The clinician's review queue: proposals with their reasons; approve or refuse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backcare.accounts.requests import SignedInRequest
from backcare.patients.access import clinician_required, get_for_actor_or_404
from backcare.programmes.services import ProgrammeBlocked
from backcare.reviews import services
from backcare.reviews.forms import RefuseForm
from backcare.reviews.models import Review


@login_required
@clinician_required
def review_list(request: SignedInRequest) -> HttpResponse:
    reviews = services.pending_reviews(request.user)
    return render(request, "reviews/review_list.html", {"reviews": reviews})


@login_required
@clinician_required
def review_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    review = get_for_actor_or_404(request.user, Review, "review.read", pk=pk)
    return render(
        request, "reviews/review_detail.html", {"review": review, "refuse_form": RefuseForm()}
    )


@require_POST
@login_required
@clinician_required
def approve_review(request: SignedInRequest, pk: int) -> HttpResponse:
    review = get_for_actor_or_404(request.user, Review, "review.read", pk=pk)
    try:
        draft = services.approve(request.user, review)
    except (ValueError, ProgrammeBlocked) as error:
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
def refuse_review(request: SignedInRequest, pk: int) -> HttpResponse:
    review = get_for_actor_or_404(request.user, Review, "review.read", pk=pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        context = {"review": review, "refuse_form": form}
        return render(request, "reviews/review_detail.html", context, status=200)
    try:
        services.refuse(request.user, review, form.cleaned_data["note"])
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("review_detail", pk=review.pk)
    messages.success(request, _("Proposal refused; the programme stays as it is."))
    return redirect("review_list")
