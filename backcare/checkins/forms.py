"""The weekly check-in form and the goal rows, in our own plain words.

The questions are written for this project; they are deliberately not the wording of any licensed
questionnaire (ODI, Roland-Morris, PEG, BPI and the like; DESIGN.md §6). Each 0-10 question says
which end is which, because "higher is better" flips between pain and sleep or confidence.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backcare.checkins.models import CheckIn, Goal
from backcare.checkins.services import (
    INTAKE_GOAL_ROWS,
    MAX_ACTIVITY,
    MAX_NOTES,
    SCORES,
    Answers,
    GoalDraft,
    GoalEdit,
)
from backcare.problems import FieldError

QUESTIONS: dict[str, tuple[Any, Any]] = {
    "pain_now_0_10": (
        _("How much does your back hurt right now?"),
        _("0 = no pain, 10 = the worst pain you can imagine"),
    ),
    "pain_average_0_10": (
        _("Over the last 7 days, how much did it hurt on a typical day?"),
        _("0 = no pain, 10 = the worst pain you can imagine"),
    ),
    "pain_worst_0_10": (
        _("And at its worst in the last 7 days?"),
        _("0 = no pain, 10 = the worst pain you can imagine"),
    ),
    "interference_0_10": (
        _(
            "In the last 7 days, how much did your back get in the way of everyday things: work, "
            "jobs at home, getting about, seeing people?"
        ),
        _("0 = not at all, 10 = I could hardly do anything"),
    ),
    "sleep_quality_0_10": (
        _("How well have you slept over the last 7 days?"),
        _("0 = very poorly, 10 = very well"),
    ),
    "confidence_0_10": (
        _(
            "How sure are you that you can keep up your exercises and your everyday activities, "
            "even on a sore day?"
        ),
        _("0 = not at all sure, 10 = completely sure"),
    ),
    "flare_ups": (
        _("On how many of the last 7 days did your back flare up (much worse than usual for you)?"),
        _("0 = no days, 7 = every day"),
    ),
}
"""Each answer's question and the meaning of its ends, as the patient reads them."""

EXAMPLE_GOAL = _("e.g. walk the dog for 30 minutes")
GOAL_SCALE = _("0 = I can't do it at all, 10 = I can do it fully, as I'd like to")
BASELINE_LABEL = _("How well can they do it now? (0 = not at all, 10 = fully)")


def rating_field(label: Any, help_text: Any, high: int = 10, **kwargs: Any) -> forms.Field:
    """A 0-``high`` answer as a row of radio buttons (big tap targets on a phone)."""
    message = gettext("Choose a number from 0 to %(high)s.") % {"high": high}
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(str(n), str(n)) for n in range(high + 1)],
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


class CheckInForm(forms.Form):
    """This week's answers plus a rating for each of the patient's active goals."""

    notes = forms.CharField(
        label=_("Anything else you'd like your physiotherapist to know? (optional)"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, goals: list[Goal], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for name, (label, help_text) in QUESTIONS.items():
            self.fields[name] = rating_field(label, help_text, high=SCORES[name][1])
        for goal in goals:
            self.fields[f"goal-{goal.pk}"] = rating_field(goal.activity, GOAL_SCALE)
        self.order_fields([*QUESTIONS, *(f"goal-{g.pk}" for g in goals), "notes"])

    def score_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in QUESTIONS]

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"goal-{goal.pk}"] for goal in self.goals]

    def answers(self, red_flags: list[str]) -> Answers:
        data = self.cleaned_data
        ratings = {goal.pk: data[f"goal-{goal.pk}"] for goal in self.goals}
        scores = {name: data[name] for name in QUESTIONS}
        return Answers(
            **scores, goal_ratings=ratings, red_flags=tuple(red_flags), notes=data["notes"]
        )

    def attach(self, errors: list[FieldError]) -> None:
        """Put the service's errors on the matching fields (or the whole form)."""
        for error in errors:
            self.add_error(error.field if error.field in self.fields else None, error.message)


def initial_answers(checkin: CheckIn | None) -> dict[str, Any]:
    """A stored check-in as the form's starting values (answering again replaces it)."""
    if checkin is None:
        return {}
    initial: dict[str, Any] = {name: getattr(checkin, name) for name in QUESTIONS}
    initial |= {f"goal-{r.goal_id}": r.rating_0_10 for r in checkin.ratings.all()}
    return initial | {"notes": checkin.notes}


class GoalForm(forms.Form):
    """One optional new-goal row: an activity in the patient's words and today's rating."""

    activity = forms.CharField(
        label=_("Activity the patient wants to get back to"),
        required=False,
        max_length=MAX_ACTIVITY,
        widget=forms.TextInput(attrs={"placeholder": EXAMPLE_GOAL}),
    )
    baseline_0_10 = forms.IntegerField(
        label=BASELINE_LABEL,
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        activity, baseline = cleaned.get("activity"), cleaned.get("baseline_0_10")
        if activity and baseline is None and "baseline_0_10" not in self.errors:
            self.add_error("baseline_0_10", gettext("Rate it from 0 to 10."))
        if not activity and baseline is not None and "activity" not in self.errors:
            self.add_error("activity", gettext("Name the activity, or clear the rating."))
        return cleaned

    def draft(self) -> GoalDraft | None:
        """The new goal, or None for a row left empty."""
        activity = self.cleaned_data.get("activity", "")
        if not activity:
            return None
        return GoalDraft(activity=activity, baseline_0_10=self.cleaned_data["baseline_0_10"])


def intake_goal_forms(data: Any = None) -> list[GoalForm]:
    """The goal rows on the intake page; rows left empty are simply no goal."""
    return [GoalForm(data, prefix=f"goal-{n}") for n in range(1, INTAKE_GOAL_ROWS + 1)]


def new_goal_drafts(forms_: list[GoalForm]) -> tuple[list[GoalDraft], list[GoalForm]]:
    """The drafts from filled rows, and the forms they came from (the service's ``new-<n>``)."""
    filled = [(form.draft(), form) for form in forms_]
    return [d for d, _ in filled if d is not None], [f for d, f in filled if d is not None]


class GoalEditForm(forms.Form):
    """A clinician's view of one existing goal; its wording is locked once it has ratings."""

    activity = forms.CharField(label=_("Activity"), max_length=MAX_ACTIVITY)
    baseline_0_10 = forms.IntegerField(
        label=_("Rating at the start (0–10)"),
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
    )
    active = forms.BooleanField(label=_("Ask about it each week"), required=False)

    def __init__(self, goal: Goal, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"goal-{goal.pk}")
        initial = {"activity": goal.activity, "baseline_0_10": goal.baseline_0_10}
        kwargs.setdefault("initial", initial | {"active": goal.active})
        super().__init__(*args, **kwargs)
        self.goal = goal
        if getattr(goal, "rated", False):
            self.fields["activity"].disabled = True
            self.fields["activity"].help_text = gettext(
                "Rated in check-ins, so its wording stays: to change it, untick this goal and add "
                "a new one."
            )

    def edit(self) -> GoalEdit:
        data = self.cleaned_data
        return GoalEdit(self.goal.pk, data["activity"], data["baseline_0_10"], data["active"])


def attach_goal_errors(
    edit_forms: list[GoalEditForm], draft_forms: list[GoalForm], errors: list[FieldError]
) -> list[str]:
    """Put the service's goal errors on their rows; returns the messages for the whole page."""
    by_prefix: dict[str, forms.Form] = {form.prefix or "": form for form in edit_forms}
    by_prefix |= {f"new-{n}": form for n, form in enumerate(draft_forms, 1)}
    general = []
    for error in errors:
        prefix, _, name = error.field.partition(".")
        form = by_prefix.get(prefix)
        if form is None:
            general.append(error.message)
        else:
            form.add_error(name if name in form.fields else None, error.message)
    return general
