"""Building the timeline from the database: series, change labels, words and the audit row."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.outcomes.services import Section, Timeline, timeline_for
from backcare.outcomes.tests.conftest import (
    ATTRIBUTION,
    FIRST_DAY,
    TODAY,
    check_in,
    make_goal,
    programme_of,
    score,
    set_change_rule,
)
from backcare.patients.models import Patient
from backcare.testing import log_sessions


def section(timeline: Timeline, key: str) -> Section:
    return next(s for s in timeline.sections if s.key == key)


def series(found: Section, name: str) -> list[tuple[date, float, str | None]]:
    one = next(s for s in found.series if s.name == name)
    return [(p.on, p.value, p.mark) for p in one.points]


def test_it_draws_each_next_morning_pain_on_the_morning_it_describes(
    clinician: User, improving: Patient
) -> None:
    pain = section(timeline_for(clinician, improving, TODAY, "clinician"), "pain")

    waking = series(pain, "Pain on waking")
    assert len(waking) == 28
    assert waking[0] == (FIRST_DAY + timedelta(days=1), 5, None)
    assert waking[-1] == (date(2025, 3, 10), 1, None)


def test_it_labels_each_weeks_resting_pain_against_the_intake_pain(
    clinician: User, improving: Patient
) -> None:
    pain = section(timeline_for(clinician, improving, TODAY, "clinician"), "pain")

    weekly = series(pain, "Weekly average")
    # week of 10 Feb: mornings 5 5 5 5 4 4 → 4.7, 1.3 below the intake 6 (1.8 needed: 30 % of 6)
    assert weekly[0] == (date(2025, 2, 13), 4.7, "no_important_change")
    # the current week so far: Monday's morning of 1
    assert weekly[-1] == (date(2025, 3, 10), 1.0, "important_improvement")
    assert pain.change is not None and pain.change.label == "important_improvement"
    assert pain.lines[0].startswith("Resting pain 6/10 at intake → 1/10 in the week of 10 Mar")


def test_it_says_an_improving_patients_pain_came_down_in_plain_words(
    improving: Patient,
) -> None:
    pain = section(timeline_for(improving.user, improving, TODAY, "patient"), "pain")

    assert pain.lines == (
        "Your pain has come down from 6 to 1 (out of 10) since you started — an important "
        "improvement. Well done!",
    )


def test_it_judges_change_by_the_clinics_own_thresholds(
    clinician: User, improving: Patient
) -> None:
    def week_of_3_march() -> tuple[date, float, str | None]:
        pain = section(timeline_for(clinician, improving, TODAY, "clinician"), "pain")
        return series(pain, "Weekly average")[-2]

    assert week_of_3_march() == (date(2025, 3, 6), 1.6, "important_improvement")
    set_change_rule(improving.clinic, absolute={"pain": 5}, relative_percent=None)
    improving.refresh_from_db()

    assert week_of_3_march() == (date(2025, 3, 6), 1.6, "no_important_change")


def test_it_adds_the_weekly_check_in_average_to_the_pain_chart(
    clinician: User, improving: Patient
) -> None:
    check_in(improving, datetime(2025, 3, 11, 19, tzinfo=UTC), 3, {})

    pain = section(timeline_for(clinician, improving, TODAY, "clinician"), "pain")

    assert series(pain, "Check-in: pain on a typical day") == [(date(2025, 3, 11), 3, None)]
    # the current week's resting pain: Monday's morning 1 and the check-in's 3
    assert series(pain, "Weekly average")[-1] == (date(2025, 3, 11), 2.0, "important_improvement")


def test_it_counts_sessions_done_each_week_against_the_prescription(
    clinician: User, patient: Patient
) -> None:
    log_sessions(programme_of(patient), FIRST_DAY, 28, 5, 5, every=2)

    adherence = section(timeline_for(clinician, patient, TODAY, "clinician"), "adherence")

    # the current week counts Monday to Wednesday: 7 × 3 ÷ 7 = 3 sessions prescribed so far
    assert [b.text for b in adherence.bars] == ["4/7", "3/7", "4/7", "3/7", "0/3"]
    assert adherence.lines[0] == (
        "Last 14 days: 5 of 14 prescribed sessions done (5 logged); progression needs 6."
    )


def test_it_shows_empty_charts_before_anything_is_logged(clinician: User, patient: Patient) -> None:
    timeline = timeline_for(clinician, patient, TODAY, "clinician")

    assert [s.key for s in timeline.sections] == ["pain", "adherence"]
    assert "No pain ratings yet" in section(timeline, "pain").svg
    assert section(timeline, "pain").lines[0].startswith("No resting pain logged yet")


def test_it_charts_each_questionnaire_with_its_change_from_the_first_score(
    clinician: User, patient: Patient
) -> None:
    for days, value in ((0, 40), (14, 34), (28, 24)):
        score(patient, "odi", value, datetime(2025, 2, 10, 9, tzinfo=UTC) + timedelta(days))

    odi = section(timeline_for(clinician, patient, TODAY, "clinician"), "odi")

    assert [(v, mark) for _, v, mark in series(odi, odi.series[0].name)] == [
        (40, None),
        (34, "no_important_change"),
        (24, "important_improvement"),
    ]
    assert odi.change is not None and odi.change.label == "important_improvement"
    assert odi.attributions == (ATTRIBUTION,)
    assert odi.heading == "Oswestry Disability Index 2.1a"
    assert odi.lines[0].startswith("First score 40 % on 10 Feb 2025 → 24 % on 10 Mar 2025: ")


def test_it_says_one_score_is_not_yet_a_change(patient: Patient) -> None:
    score(patient, "rmdq", 12, datetime(2025, 2, 10, 9, tzinfo=UTC))

    rmdq = section(timeline_for(patient.user, patient, TODAY, "patient"), "rmdq")

    assert rmdq.change is None
    assert rmdq.heading == "Placeholder RMDQ"
    assert rmdq.lines[0].startswith("You have answered this once so far (12).")


def test_it_charts_goal_ratings_once_there_are_check_ins(clinician: User, patient: Patient) -> None:
    walk, lift = make_goal(patient, "Walk the dog", 2), make_goal(patient, "Lift my grandson", 4)
    assert "goals" not in [
        s.key for s in timeline_for(clinician, patient, TODAY, "clinician").sections
    ]

    check_in(patient, datetime(2025, 2, 19, 9, tzinfo=UTC), 5, {walk.pk: 3, lift.pk: 4})
    check_in(patient, datetime(2025, 3, 11, 9, tzinfo=UTC), 4, {walk.pk: 6, lift.pk: 6})
    goals = section(timeline_for(clinician, patient, TODAY, "clinician"), "goals")

    assert series(goals, "Walk the dog") == [
        (date(2025, 2, 10), 2, None),
        (date(2025, 2, 19), 3, None),
        (date(2025, 3, 11), 6, None),
    ]
    assert [mark for _, _, mark in series(goals, "Mean of the goals")] == [
        None,
        "no_important_change",
        "important_improvement",
    ]
    assert goals.lines[1:] == ("Walk the dog: 2 → 6 (11 Mar).", "Lift my grandson: 4 → 6 (11 Mar).")


def test_it_writes_one_audit_row_per_timeline_read(clinician: User, improving: Patient) -> None:
    before = AuditEvent.objects.count()

    timeline_for(clinician, improving, TODAY, "clinician")

    event = AuditEvent.objects.get(pk__gt=0, action="outcomes.timeline.view")
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.patient_id, event.outcome) == (clinician, improving.pk, "ok")


@pytest.mark.parametrize("persona", ["outsider", "other_patient"])
def test_it_refuses_a_timeline_the_actor_may_not_see(
    request: pytest.FixtureRequest, improving: Patient, persona: str
) -> None:
    found = request.getfixturevalue(persona)
    actor = found.user if isinstance(found, Patient) else found

    with pytest.raises(PermissionDenied):
        timeline_for(actor, improving, TODAY, "clinician")


def test_the_demos_goal_chart_starts_at_the_intake_and_ends_at_the_latest_week(
    library: object,
) -> None:
    from django.utils import timezone

    from backcare.demo import seed_demo

    seed_demo()
    dana = Patient.objects.get(user__username="demo-dana")
    clinician = User.objects.get(username="demo-clinician")
    timeline = timeline_for(clinician, dana, timezone.localdate(), "clinician")
    goals = next(s for s in timeline.sections if s.key == "goals")
    mean = sorted(goals.series[0].points, key=lambda p: p.on)
    assert mean[0].on == timezone.localdate(dana.created_at)  # the intake's ratings come first
    assert mean[-1].value > mean[0].value  # six weeks of improving ratings, no fall at the end
