import random
import re
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date, timedelta
from typing import Any

import pytest

from backcare.core.instruments import ChangeThresholds, Combine, classify_change
from backcare.core.progression import (
    THRESHOLD_HELP,
    CheckIn,
    InstrumentScore,
    ProgressionInput,
    Proposal,
    Rule,
    SessionSummary,
    Thresholds,
    adherence,
    assess_progression,
    check_session_pain,
    clinically_important_improvement,
    pain_readings,
)

TODAY = date(2025, 3, 31)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def session(
    days_ago: int,
    *,
    during: int | None = 4,
    morning: int | None = 3,
    done: int = 6,
    prescribed: int = 6,
) -> SessionSummary:
    return SessionSummary(ago(days_ago), prescribed, done, during, morning)


def daily(
    days: int = 21, changes: Mapping[int, Mapping[str, Any]] | None = None, **defaults: Any
) -> tuple[SessionSummary, ...]:
    """One session a day for ``days`` days up to today; ``changes`` alters some, by days ago."""
    changes = changes or {}
    return tuple(session(d, **{**defaults, **changes.get(d, {})}) for d in range(days - 1, -1, -1))


def on_days(days: range | list[int], **change: Any) -> dict[int, dict[str, Any]]:
    return {d: dict(change) for d in days}


def check_in(
    days_ago: int, *, now: int = 3, average: int = 3, worst: int = 5, flare_up: bool = False
) -> CheckIn:
    return CheckIn(ago(days_ago), now, average, worst, 3, flare_up)


def odi(days_ago: int, value: float, mcid: float | None = None) -> InstrumentScore:
    return InstrumentScore("odi", ago(days_ago), value, higher_is_worse=True, mcid=mcid)


def psfs(days_ago: int, value: float) -> InstrumentScore:
    return InstrumentScore("psfs", ago(days_ago), value, higher_is_worse=False)


def fabq(days_ago: int, value: float, mcid: float | None = None) -> InstrumentScore:
    """A questionnaire without a change rule in ``instruments.change``."""
    return InstrumentScore("fabq", ago(days_ago), value, higher_is_worse=True, mcid=mcid)


BOTH = Thresholds(change=ChangeThresholds(combine="both"))
"""A clinic that asks for the points and the percentage (the larger of the two)."""


def patient(**changes: Any) -> ProgressionInput:
    """A patient ready to progress: 21 days in the initial stage, a session every day with pain
    during 4/10 and next-morning pain 3/10, against a baseline of 6/10."""
    ready = ProgressionInput(
        stage="initial",
        stage_started_on=ago(21),
        baseline_pain_0_10=6,
        sessions_per_week_prescribed=7,
        today=TODAY,
        sessions=daily(),
    )
    return replace(ready, **changes)


def assess(thresholds: Thresholds | None = None, /, **changes: Any) -> Proposal:
    return assess_progression(patient(**changes), thresholds or Thresholds())


def test_it_progresses_a_patient_whose_logs_improve_steadily_over_three_weeks() -> None:
    three_weeks = daily(
        changes={
            **on_days(range(14, 21), during=5, morning=5),
            **on_days(range(7, 14), during=5, morning=4),
        },
        during=4,
        morning=3,
    )
    check_ins = (
        check_in(14, now=5, average=5),
        check_in(7, now=4, average=4),
        check_in(0, now=3, average=3),
    )

    proposal = assess(sessions=three_weeks, check_ins=check_ins)

    assert (proposal.decision, proposal.to_stage) == ("progress", "intermediate")
    assert proposal.alerts == ()
    assert (proposal.headline, proposal.deciding) == ("progress", ())
    assert proposal.reason(Rule.ADHERENCE).figures == {
        "sessions_done": 14,
        "window_days": 14,
        "required": 6,
        "sessions_prescribed": 14,
        "sessions_logged": 14,
        "exercises_done": 84,
        "exercises_prescribed": 84,
        "min_share_percent": 50,
    }
    assert proposal.reason(Rule.MIN_DAYS_IN_STAGE).figures == {
        "days_in_stage": 21,
        "required": 14,
        "stage": "initial",
    }
    # Last 7 days: next mornings dated 6 (4/10) and 5..0 (3/10) plus today's check-in average 3:
    # 25 / 8. The week before: dated 13 (5/10), 12..7 (4/10) and the day-7 check-in (4): 33 / 8.
    trend = proposal.reason(Rule.IMPROVING_TREND).figures
    assert trend["recent_average_pain"] == 3.12  # 3.125, shown to 2 decimals
    assert trend["previous_average_pain"] == 4.12
    assert (trend["recent_readings"], trend["previous_readings"]) == (8, 8)
    assert trend["improvement_from_baseline"] == 2.88
    assert trend["improvement_percent"] == 47.92
    assert trend["improvement_needed"] == 1.8  # 30 % of 6, smaller than 2 points
    assert proposal.reason(Rule.PAIN_RISE_WITHIN_LIMIT).figures == {
        "sessions_checked": 5,
        "sessions_above_limit": 0,
        "largest_rise": 1,
        "max_rise": 2,
    }
    assert proposal.reason(Rule.NEXT_MORNING_SETTLED).figures["sessions_not_settled"] == 0
    assert all(not r.holds_back for r in proposal.reasons)


def test_it_holds_an_empty_history_without_alerts_on_the_first_day() -> None:
    proposal = assess(sessions=(), stage_started_on=TODAY)

    assert (proposal.decision, proposal.to_stage, proposal.alerts) == ("hold", None, ())
    assert {r.rule for r in proposal.reasons if r.holds_back} == {
        Rule.MIN_DAYS_IN_STAGE,
        Rule.ADHERENCE,
        Rule.PAIN_RISE_WITHIN_LIMIT,
        Rule.NEXT_MORNING_SETTLED,
        Rule.IMPROVING_TREND,
    }


def test_it_alerts_on_an_empty_history_once_the_stage_is_a_week_old() -> None:
    proposal = assess(sessions=(), stage_started_on=ago(10))

    assert proposal.decision == "hold"
    assert proposal.alerts == ("no_recent_log",)


def test_it_evaluates_every_rule_in_precedence_order() -> None:
    proposal = assess()

    assert tuple(r.rule for r in proposal.reasons) == tuple(Rule)
    assert all(r.figures for r in proposal.reasons)


@pytest.mark.parametrize(
    ("rule", "effect"),
    [
        (Rule.RED_FLAG, "refer"),
        (Rule.PERSISTING_PAIN_SPIKE, "refer"),
        (Rule.NOT_IMPROVING_IN_INITIAL_STAGE, "refer"),
        (Rule.PAIN_SPIKE, "hold"),
        (Rule.FLARE_UP, "hold"),
        (Rule.REPEATED_PAIN_RISE, "regress"),
        (Rule.REPEATED_NEXT_MORNING_WORSENING, "regress"),
        (Rule.PAIN_WORSE_THAN_LAST_WEEK, "regress"),
        (Rule.ADHERENCE, "hold"),
        (Rule.IMPROVING_TREND, "hold"),
    ],
)
def test_it_names_the_decision_each_rule_leads_to(rule: Rule, effect: str) -> None:
    assert assess().reason(rule).effect == effect


# --- precedence --------------------------------------------------------------------------------

RED_FLAG = {"red_flag_open": True}
SPIKE = {"check_ins": (check_in(1, now=7),)}
PERSISTING_SPIKE = {"check_ins": (check_in(1, now=8), check_in(8, now=8))}
REGRESS = {"sessions": daily(changes=on_days([0, 1, 2], during=6))}
UNMET_GATE = {"stage_started_on": ago(5)}


@pytest.mark.parametrize(
    ("triggers", "decision", "to_stage"),
    [
        ([RED_FLAG, SPIKE, REGRESS, UNMET_GATE], "refer", None),
        ([RED_FLAG], "refer", None),
        ([PERSISTING_SPIKE, REGRESS, UNMET_GATE], "refer", None),
        ([SPIKE, REGRESS, UNMET_GATE], "hold", None),
        ([REGRESS, UNMET_GATE], "regress", "initial"),
        ([REGRESS], "regress", "initial"),
        ([UNMET_GATE], "hold", None),
        ([], "progress", "advanced"),
    ],
    ids=[
        "red flag beats everything",
        "red flag alone",
        "persisting spike refers over regress",
        "spike holds over regress",
        "regress beats an unmet gate",
        "regress alone",
        "unmet gate holds",
        "all met progresses",
    ],
)
def test_it_lets_the_higher_trigger_win(
    triggers: list[dict[str, Any]], decision: str, to_stage: str | None
) -> None:
    changes: dict[str, Any] = {"stage": "intermediate"}
    for trigger in triggers:
        changes |= trigger

    proposal = assess(**changes)

    assert (proposal.decision, proposal.to_stage) == (decision, to_stage)


def test_it_still_shows_the_regress_triggers_when_a_spike_holds() -> None:
    proposal = assess(stage="intermediate", **SPIKE, **REGRESS)

    assert proposal.decision == "hold"
    assert proposal.reason(Rule.REPEATED_PAIN_RISE).status == "fired"
    assert proposal.alerts == ("pain_spike", "pain_rise_during_exercise")


def test_it_holds_instead_of_regressing_at_the_initial_stage() -> None:
    proposal = assess(**REGRESS)

    assert (proposal.decision, proposal.to_stage) == ("hold", None)
    assert (proposal.headline, proposal.deciding) == (
        "hold_first_stage",
        (Rule.REPEATED_PAIN_RISE,),
    )
    assert proposal.reason(Rule.REPEATED_PAIN_RISE).status == "fired"


def test_it_maintains_at_the_final_stage_when_all_else_is_met() -> None:
    proposal = assess(stage="advanced")

    assert (proposal.decision, proposal.to_stage) == ("hold", None)
    assert (proposal.headline, proposal.deciding) == ("maintain", (Rule.NEXT_STAGE_AVAILABLE,))
    assert proposal.reason(Rule.NEXT_STAGE_AVAILABLE).figures == {"next_stage": None}


def test_it_refers_when_not_improving_even_during_a_spike() -> None:
    proposal = assess(
        stage_started_on=ago(42), sessions=daily(morning=5), check_ins=(check_in(1, now=7),)
    )

    assert proposal.decision == "refer"
    assert proposal.alerts == ("not_improving", "pain_spike")


# --- red flag ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("open_flag", "status"), [(True, "fired"), (False, "not_fired")])
def test_it_refers_on_an_open_red_flag(open_flag: bool, status: str) -> None:
    proposal = assess(red_flag_open=open_flag)

    assert proposal.reason(Rule.RED_FLAG).status == status
    assert ("red_flag" in proposal.alerts) is open_flag
    assert (proposal.decision == "refer") is open_flag


# --- pain spike --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status", "highest", "source"),
    [
        ({"sessions": daily(changes={2: {"during": 7}})}, "fired", 7, "during_exercise"),
        ({"sessions": daily(changes={2: {"during": 6}})}, "not_fired", 6, "during_exercise"),
        ({"sessions": daily(changes={6: {"during": 7}})}, "fired", 7, "during_exercise"),
        ({"sessions": daily(changes={7: {"during": 7}})}, "not_fired", 4, "during_exercise"),
        ({"sessions": daily(changes={1: {"morning": 7}})}, "fired", 7, "next_morning"),
        ({"sessions": daily(changes={7: {"morning": 7}})}, "fired", 7, "next_morning"),
        ({"check_ins": (check_in(3, now=7),)}, "fired", 7, "check_in_now"),
        ({"check_ins": (check_in(3, average=7),)}, "fired", 7, "check_in_average"),
        ({"check_ins": (check_in(3, worst=10),)}, "not_fired", 4, "during_exercise"),
    ],
    ids=[
        "7 during exercise",
        "6 during exercise",
        "7 on the window's first day",
        "7 a day before the window",
        "7 next morning",
        "7 on the morning after a session 7 days ago",
        "7 now at check-in",
        "7 average at check-in",
        "worst pain is not a spike",
    ],
)
def test_it_holds_and_alerts_on_a_pain_spike_in_the_last_week(
    changes: dict[str, Any], status: str, highest: int, source: str
) -> None:
    proposal = assess(**changes)
    reason = proposal.reason(Rule.PAIN_SPIKE)

    assert reason.status == status
    assert (reason.figures["highest_pain"], reason.figures["highest_source"]) == (highest, source)
    assert ("pain_spike" in proposal.alerts) is (status == "fired")
    if status == "fired":
        assert proposal.decision == "hold"


# --- persisting pain spike ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"check_ins": (check_in(2, now=7), check_in(9, now=7))}, "fired"),
        ({"check_ins": (check_in(2, now=7),)}, "not_fired"),
        ({"check_ins": (check_in(0, now=7), check_in(13, now=7))}, "fired"),
        ({"check_ins": (check_in(0, now=7), check_in(14, now=7))}, "not_fired"),
        (
            {"check_ins": (check_in(2, now=7), check_in(9, now=7)), "baseline_pain_0_10": 7},
            "not_fired",
        ),
        (
            {"check_ins": (check_in(2, now=6), check_in(9, now=6)), "baseline_pain_0_10": 5},
            "not_fired",
        ),
        ({"sessions": daily(changes=on_days([3, 10], morning=7))}, "fired"),
        ({"sessions": daily(changes=on_days([2, 9], during=8))}, "not_fired"),
    ],
    ids=[
        "7 in each of two weeks",
        "7 in one week only",
        "7 at both ends of the two weeks",
        "7 a day before the second week",
        "7 is the patient's baseline",
        "6 is below the spike level",
        "next-morning pain counts",
        "pain during exercise does not count",
    ],
)
def test_it_refers_on_severe_resting_pain_in_each_of_two_weeks(
    changes: dict[str, Any], status: str
) -> None:
    proposal = assess(**changes)

    assert proposal.reason(Rule.PERSISTING_PAIN_SPIKE).status == status
    assert (proposal.decision == "refer") is (status == "fired")


# --- not improving in the initial stage --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"stage_started_on": ago(42), "sessions": daily(morning=5)}, "fired"),
        ({"stage_started_on": ago(42), "sessions": daily(morning=4)}, "not_fired"),
        ({"stage_started_on": ago(41), "sessions": daily(morning=5)}, "not_fired"),
        (
            {"stage_started_on": ago(42), "sessions": daily(morning=5), "baseline_pain_0_10": 4},
            "fired",
        ),
        (
            {"stage_started_on": ago(42), "sessions": daily(morning=2), "baseline_pain_0_10": 3},
            "not_fired",
        ),
        (
            {"stage_started_on": ago(42), "sessions": daily(morning=3), "baseline_pain_0_10": 4},
            "fired",
        ),
        ({"stage_started_on": ago(42), "sessions": daily(morning=None)}, "not_fired"),
        (
            {"stage_started_on": ago(42), "sessions": daily(morning=5), "stage": "intermediate"},
            "not_applicable",
        ),
    ],
    ids=[
        "1 point better after 42 days",
        "2 points better after 42 days",
        "1 point better after 41 days",
        "worse than baseline after 42 days",
        "1 point (33 %) better than a baseline of 3",
        "1 point (25 %) better than a baseline of 4",
        "no readings to judge by",
        "intermediate stage",
    ],
)
def test_it_refers_when_the_initial_stage_brings_no_important_improvement(
    changes: dict[str, Any], status: str
) -> None:
    proposal = assess(**changes)

    assert proposal.reason(Rule.NOT_IMPROVING_IN_INITIAL_STAGE).status == status
    assert ("not_improving" in proposal.alerts) is (status == "fired")


# --- flare-up ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check_ins", "status"),
    [
        ((check_in(3, flare_up=True),), "fired"),
        ((check_in(6, flare_up=True),), "fired"),
        ((check_in(7, flare_up=True),), "not_fired"),
        ((check_in(1),), "not_fired"),
    ],
    ids=["3 days ago", "on the window's first day", "a day before the window", "no flare-up"],
)
def test_it_holds_on_a_flare_up_in_the_last_week(
    check_ins: tuple[CheckIn, ...], status: str
) -> None:
    proposal = assess(check_ins=check_ins)

    assert proposal.reason(Rule.FLARE_UP).status == status
    assert (proposal.decision, "flare_up" in proposal.alerts) == (
        ("hold", True) if status == "fired" else ("progress", False)
    )


# --- regress triggers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "status", "above", "checked"),
    [
        (daily(changes=on_days([0, 1, 2], during=6)), "fired", 3, 5),
        (daily(changes=on_days([0, 1], during=6)), "not_fired", 2, 5),
        (daily(changes=on_days(range(5), during=5)), "not_fired", 0, 5),
        (daily(changes=on_days([5, 6, 7], during=6)), "not_fired", 0, 5),
        (
            daily(changes={**on_days(range(5), during=None), **on_days([5, 6, 7], during=6)}),
            "fired",
            3,
            5,
        ),
        ((session(3), *daily(3, during=6)), "fired", 3, 4),
    ],
    ids=[
        "3 of the last 5 above the limit",
        "2 of the last 5 above the limit",
        "a rise of exactly 2 is within the limit",
        "rises older than the last 5 sessions",
        "the last 5 sessions that logged pain during",
        "3 of 3 sessions so far",
    ],
)
def test_it_regresses_when_pain_during_exercise_rises_too_much_again_and_again(
    sessions: tuple[SessionSummary, ...], status: str, above: int, checked: int
) -> None:
    proposal = assess(stage="intermediate", sessions=sessions)
    reason = proposal.reason(Rule.REPEATED_PAIN_RISE)

    assert reason.status == status
    assert (reason.figures["sessions_above_limit"], reason.figures["sessions_checked"]) == (
        above,
        checked,
    )
    assert (proposal.decision == "regress") is (status == "fired")


@pytest.mark.parametrize(
    ("sessions", "status", "not_settled"),
    [
        (daily(changes=on_days([1, 3], morning=5)), "fired", 2),
        (daily(changes=on_days([1, 3], morning=4)), "not_fired", 0),
        (daily(changes=on_days([1], morning=5)), "not_fired", 1),
        (daily(changes=on_days([6], morning=5)), "not_fired", 0),
    ],
    ids=[
        "2 points worse after 2 of the last 5",
        "1 point worse is within the tolerance",
        "worse after 1 of the last 5",
        "worse before the last 5",
    ],
)
def test_it_regresses_when_next_morning_pain_does_not_settle_again(
    sessions: tuple[SessionSummary, ...], status: str, not_settled: int
) -> None:
    proposal = assess(stage="intermediate", sessions=sessions)
    reason = proposal.reason(Rule.REPEATED_NEXT_MORNING_WORSENING)

    assert reason.status == status
    assert reason.figures["sessions_not_settled"] == not_settled
    assert ("next_morning_worsening" in proposal.alerts) is (status == "fired")


@pytest.mark.parametrize(
    ("sessions", "status", "rise"),
    [
        # Next-morning pain is dated the day after: sessions 1-7 days ago make the last week.
        (daily(changes=on_days(range(1, 8), morning=5)), "fired", 2),
        (daily(changes={**on_days(range(1, 7), morning=5), 7: {"morning": 4}}), "not_fired", 1.86),
        (daily(changes=on_days(range(8, 15), morning=5)), "not_fired", -2),
        (daily(7, morning=5), "not_fired", None),
        (daily(changes=on_days(range(1, 8), morning=3), morning=2), "not_fired", 1),
    ],
    ids=[
        "2 points worse",
        "1.86 points worse",
        "2 points better",
        "no week before",
        "1 point (50 %) worse: the percentage is of the baseline, not last week",
    ],
)
def test_it_regresses_when_weekly_pain_rises_by_the_mcid(
    sessions: tuple[SessionSummary, ...], status: str, rise: float | None
) -> None:
    reason = assess(stage="intermediate", sessions=sessions).reason(Rule.PAIN_WORSE_THAN_LAST_WEEK)

    assert reason.status == status
    assert reason.figures["rise"] == rise


# --- progression gates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "status", "next_stage"),
    [
        ("initial", "met", "intermediate"),
        ("intermediate", "met", "advanced"),
        ("advanced", "not_met", None),
    ],
)
def test_it_needs_a_next_stage_to_progress(stage: str, status: str, next_stage: str) -> None:
    reason = assess(stage=stage).reason(Rule.NEXT_STAGE_AVAILABLE)

    assert (reason.status, reason.figures["next_stage"]) == (status, next_stage)


@pytest.mark.parametrize(
    ("stage", "days", "status"),
    [
        ("initial", 13, "not_met"),
        ("initial", 14, "met"),
        ("intermediate", 20, "not_met"),
        ("intermediate", 21, "met"),
        ("advanced", 0, "not_applicable"),
    ],
)
def test_it_needs_the_minimum_time_in_the_stage(stage: str, days: int, status: str) -> None:
    reason = assess(stage=stage, stage_started_on=ago(days)).reason(Rule.MIN_DAYS_IN_STAGE)

    assert reason.status == status
    assert reason.figures["days_in_stage"] == days


@pytest.mark.parametrize(
    ("sessions", "per_week", "status", "done", "required"),
    [
        (daily(6), 7, "met", 6, 6),
        (daily(5), 7, "not_met", 5, 6),
        (daily(6, changes={2: {"done": 2}}), 7, "not_met", 5, 6),
        (daily(6, changes={2: {"done": 3}}), 7, "met", 6, 6),
        ((*daily(5), session(14)), 7, "not_met", 5, 6),
        ((*daily(5), session(13)), 7, "met", 6, 6),
        (daily(4), 2, "met", 4, 4),
        (daily(3), 2, "not_met", 3, 4),
    ],
    ids=[
        "6 sessions",
        "5 sessions",
        "a third of the exercises is not a session",
        "half of the exercises is a session",
        "a session 14 days ago is outside the window",
        "a session 13 days ago is inside it",
        "4 of 4 prescribed",
        "3 of 4 prescribed",
    ],
)
def test_it_needs_six_sessions_in_fourteen_days_or_all_that_were_prescribed(
    sessions: tuple[SessionSummary, ...], per_week: int, status: str, done: int, required: int
) -> None:
    reason = assess(sessions=sessions, sessions_per_week_prescribed=per_week).reason(Rule.ADHERENCE)

    assert reason.status == status
    assert (reason.figures["sessions_done"], reason.figures["required"]) == (
        done,
        required,
    )


@pytest.mark.parametrize(
    ("changes", "status", "days_without_log"),
    [
        ({"sessions": (session(6),)}, "met", 6),
        ({"sessions": (session(7),)}, "not_met", 7),
        ({"sessions": (session(10),), "check_ins": (check_in(2),)}, "met", 2),
        ({"sessions": (), "stage_started_on": ago(6)}, "met", 6),
        ({"sessions": (), "stage_started_on": ago(7)}, "not_met", 7),
        ({"sessions": (session(-1),), "stage_started_on": ago(10)}, "not_met", 10),
    ],
    ids=[
        "6 days ago",
        "7 days ago",
        "a check-in counts",
        "no log in a 6-day-old stage",
        "no log in a 7-day-old stage",
        "a log dated tomorrow is ignored",
    ],
)
def test_it_alerts_when_the_patient_stops_logging(
    changes: dict[str, Any], status: str, days_without_log: int
) -> None:
    proposal = assess(**changes)
    reason = proposal.reason(Rule.LOGGED_RECENTLY)

    assert reason.status == status
    assert reason.figures["days_without_log"] == days_without_log
    assert ("no_recent_log" in proposal.alerts) is (status == "not_met")


@pytest.mark.parametrize(
    ("sessions", "status", "largest_rise"),
    [
        (daily(), "met", 1),
        (daily(changes={0: {"during": 5}}), "met", 2),
        (daily(changes={0: {"during": 6}}), "not_met", 3),
        (daily(changes={5: {"during": 6}}), "met", 1),
        (daily(during=None), "not_met", None),
    ],
    ids=[
        "a rise of 1",
        "a rise of exactly 2",
        "a rise of 3",
        "a rise of 3 before the last 5 sessions",
        "no pain during logged",
    ],
)
def test_it_needs_pain_during_exercise_within_the_limit(
    sessions: tuple[SessionSummary, ...], status: str, largest_rise: int | None
) -> None:
    reason = assess(sessions=sessions).reason(Rule.PAIN_RISE_WITHIN_LIMIT)

    assert (reason.status, reason.figures["largest_rise"]) == (status, largest_rise)


@pytest.mark.parametrize(
    ("sessions", "status"),
    [
        (daily(), "met"),
        (daily(changes={1: {"morning": 4}}), "met"),
        (daily(changes={1: {"morning": 5}}), "not_met"),
        (daily(morning=None), "not_met"),
    ],
    ids=["back to 3", "1 point worse", "2 points worse", "no next-morning pain logged"],
)
def test_it_needs_next_morning_pain_to_settle(
    sessions: tuple[SessionSummary, ...], status: str
) -> None:
    assert assess(sessions=sessions).reason(Rule.NEXT_MORNING_SETTLED).status == status


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, "met"),
        ({"baseline_pain_0_10": 4}, "not_met"),
        (
            {"baseline_pain_0_10": 4, "sessions": daily(changes=on_days(range(8, 21), morning=4))},
            "met",
        ),
        ({"sessions": daily(morning=4)}, "met"),
        ({"sessions": daily(morning=5)}, "not_met"),
        ({"baseline_pain_0_10": 10, "sessions": daily(morning=8)}, "met"),
        ({"baseline_pain_0_10": 10, "sessions": daily(morning=9)}, "not_met"),
        ({"baseline_pain_0_10": 3, "sessions": daily(morning=2)}, "met"),
        ({"baseline_pain_0_10": 5, "sessions": daily(morning=4)}, "not_met"),
        ({"sessions": daily(morning=None)}, "not_met"),
    ],
    ids=[
        "3 points below baseline",
        "1 point (25 %) below baseline, flat",
        "1 point below baseline, lower than the week before",
        "2 points (33 %) below baseline",
        "1 point (17 %) below baseline",
        "2 points (20 %) below a baseline of 10: the points are enough",
        "1 point (10 %) below a baseline of 10",
        "1 point (33 %) below a baseline of 3: the percentage is enough",
        "1 point (20 %) below a baseline of 5",
        "no readings",
    ],
)
def test_it_needs_an_improving_pain_trend(changes: dict[str, Any], status: str) -> None:
    assert assess(**changes).reason(Rule.IMPROVING_TREND).status == status


@pytest.mark.parametrize(
    ("scores", "status"),
    [
        ((), "not_applicable"),
        ((odi(20, 40),), "not_applicable"),
        ((odi(20, 40), odi(1, 50)), "not_met"),
        ((odi(20, 40), odi(1, 49)), "met"),
        ((odi(20, 20), odi(1, 30)), "not_met"),
        ((odi(20, 20), odi(1, 25)), "met"),
        ((odi(20, 60), odi(1, 68)), "met"),
        ((odi(20, 60, mcid=8), odi(1, 68, mcid=8)), "not_met"),
        ((psfs(20, 6), psfs(1, 4)), "not_met"),
        ((psfs(20, 6), psfs(1, 4.8)), "met"),
        ((psfs(20, 6), psfs(1, 4.9)), "met"),
        ((fabq(20, 30, mcid=8), fabq(1, 38, mcid=8)), "not_met"),
        ((fabq(20, 30, mcid=8), fabq(1, 37, mcid=8)), "met"),
        ((fabq(20, 30), fabq(1, 60)), "not_applicable"),
    ],
    ids=[
        "no scores",
        "one score",
        "ODI 10 points (25 %) worse",
        "ODI 9 points (22 %) worse",
        "ODI 10 points worse from a first score of 20",
        "ODI 5 points (25 %) worse",
        "ODI 8 points (13 %) worse",
        "ODI 8 points worse, the score's own MCID",
        "PSFS 2 points lower (higher is better)",
        "PSFS 1.2 points lower: worsening is judged by points only",
        "PSFS 1.1 points lower",
        "other questionnaire worse by its MCID",
        "other questionnaire worse by less than its MCID",
        "other questionnaire without an MCID",
    ],
)
def test_it_needs_function_no_worse_by_its_mcid(
    scores: tuple[InstrumentScore, ...], status: str
) -> None:
    assert assess(instrument_scores=scores).reason(Rule.FUNCTION_NOT_WORSE).status == status


# --- thresholds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "thresholds", "rule", "default_status", "custom_status"),
    [
        (
            {"sessions": daily(6)},
            Thresholds(adherence_min_sessions=7),
            Rule.ADHERENCE,
            "met",
            "not_met",
        ),
        ({}, Thresholds(min_days_in_initial=22), Rule.MIN_DAYS_IN_STAGE, "met", "not_met"),
        (
            {"sessions": daily(changes={2: {"during": 7}})},
            Thresholds(pain_spike_0_10=8),
            Rule.PAIN_SPIKE,
            "fired",
            "not_fired",
        ),
        (
            {"sessions": daily(changes={0: {"during": 6}})},
            Thresholds(max_pain_rise_during_0_10=3),
            Rule.PAIN_RISE_WITHIN_LIMIT,
            "not_met",
            "met",
        ),
        (
            {"sessions": daily(changes={1: {"morning": 4}})},
            Thresholds(next_morning_tolerance_0_10=0),
            Rule.NEXT_MORNING_SETTLED,
            "met",
            "not_met",
        ),
        (
            {"baseline_pain_0_10": 10, "sessions": daily(morning=8)},
            BOTH,
            Rule.IMPROVING_TREND,
            "met",
            "not_met",
        ),
        (
            {"stage_started_on": ago(42), "sessions": daily(morning=2), "baseline_pain_0_10": 3},
            BOTH,
            Rule.NOT_IMPROVING_IN_INITIAL_STAGE,
            "not_fired",
            "fired",
        ),
        (
            {"instrument_scores": (psfs(20, 6), psfs(1, 4.5))},
            Thresholds(change=ChangeThresholds(absolute={"psfs": 1})),
            Rule.FUNCTION_NOT_WORSE,
            "met",
            "not_met",
        ),
        (
            {"baseline_pain_0_10": 3, "sessions": daily(morning=2)},
            Thresholds(change=ChangeThresholds(relative_percent=None)),
            Rule.IMPROVING_TREND,
            "met",
            "not_met",
        ),
        (
            {"stage": "intermediate", "sessions": daily(changes=on_days(range(1, 8), morning=5))},
            Thresholds(change=ChangeThresholds(absolute={"pain": 3})),
            Rule.PAIN_WORSE_THAN_LAST_WEEK,
            "fired",
            "not_fired",
        ),
        (
            {"sessions": (session(4),)},
            Thresholds(no_log_days=4),
            Rule.LOGGED_RECENTLY,
            "met",
            "not_met",
        ),
        (
            {"stage_started_on": ago(30), "sessions": daily(morning=5)},
            Thresholds(refer_not_improving_after_days=30),
            Rule.NOT_IMPROVING_IN_INITIAL_STAGE,
            "not_fired",
            "fired",
        ),
        (
            {"stage": "intermediate", "sessions": daily(changes=on_days([0, 1], during=6))},
            Thresholds(regress_pain_rise_sessions=2),
            Rule.REPEATED_PAIN_RISE,
            "not_fired",
            "fired",
        ),
    ],
    ids=[
        "adherence",
        "minimum days",
        "spike level",
        "pain rise",
        "next-morning tolerance",
        "both MCID rules: improving trend",
        "both MCID rules: referral when not improving",
        "clinic's own PSFS points: function",
        "MCID points only",
        "MCID points",
        "no-log days",
        "referral after days",
        "regress count",
    ],
)
def test_it_honours_a_clinics_thresholds(
    changes: dict[str, Any],
    thresholds: Thresholds,
    rule: Rule,
    default_status: str,
    custom_status: str,
) -> None:
    assert assess(**changes).reason(rule).status == default_status
    assert assess(thresholds, **changes).reason(rule).status == custom_status


def test_it_progresses_or_holds_by_a_clinics_adherence_gate() -> None:
    assert assess(sessions=daily(6)).decision == "progress"
    assert assess(Thresholds(adherence_min_sessions=7), sessions=daily(6)).decision == "hold"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pain_spike_0_10": 11}, "pain_spike_0_10 must be 1 to 10, got 11"),
        ({"adherence_window_days": 0}, "adherence_window_days must be at least 1, got 0"),
        ({"min_share_of_exercises_done": 1.5}, "min_share_of_exercises_done must be 0 to 1"),
        ({"regress_pain_rise_sessions": 6}, "cannot be more than recent_sessions"),
    ],
)
def test_it_rejects_thresholds_out_of_range(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Thresholds(**changes)


def test_it_rejects_a_change_rule_that_is_not_a_change_thresholds() -> None:
    with pytest.raises(TypeError, match="change must be a ChangeThresholds"):
        Thresholds(change={"combine": "both"})  # type: ignore[arg-type]


SOURCE = re.compile(
    r"DESIGN §3|Ostelo|Silbernagel|Oliveira|[Pp]ractice default|instruments\.change"
)


@pytest.mark.parametrize("name", [spec.name for spec in fields(Thresholds)])
def test_it_documents_every_threshold_with_its_source(name: str) -> None:
    assert SOURCE.search(THRESHOLD_HELP[name])


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "important"),
    [
        (6, 4.2, True),
        (6, 4.21, False),
        (10, 8, True),
        (10, 8.01, False),
        (3, 2.1, True),
        (3, 2.11, False),
        (4, 2.8, True),
        (0, 0, False),
    ],
    ids=[
        "30 % of 6",
        "just under 30 % of 6",
        "2 points of 10",
        "just under 2 points of 10",
        "30 % of 3",
        "just under 30 % of 3",
        "1.2 points, 30 % of 4",
        "nothing to improve on",
    ],
)
def test_it_judges_an_important_improvement_by_2_points_or_30_percent(
    baseline: float, current: float, important: bool
) -> None:
    assert clinically_important_improvement(baseline, current) is important


@pytest.mark.parametrize(
    ("baseline", "current", "important"),
    [(6, 4, True), (6, 4.01, False), (10, 7, True), (10, 7.01, False), (4, 2.8, False)],
    ids=["2 points of 6", "under 2 points", "30 % of 10", "under 30 % of 10", "30 % of 4"],
)
def test_it_needs_2_points_and_30_percent_in_a_clinic_that_asks_for_both(
    baseline: float, current: float, important: bool
) -> None:
    assert clinically_important_improvement(baseline, current, BOTH) is important


@pytest.mark.parametrize("combine", ["both", "either"])
def test_it_judges_pain_improvement_by_the_rule_the_outcome_pages_use(combine: Combine) -> None:
    change = ChangeThresholds(combine=combine)
    pairs = [(b, c / 4) for b in range(11) for c in range(41)]

    judged = [clinically_important_improvement(b, c, Thresholds(change=change)) for b, c in pairs]

    assert judged == [
        classify_change(b, c, outcome="pain", thresholds=change).label == "important_improvement"
        for b, c in pairs
    ]


def test_it_measures_pain_during_against_the_previous_morning_or_the_baseline() -> None:
    sessions = (
        session(5, during=7, morning=4),
        session(3, during=5, morning=6),
        session(3, during=4, morning=None),
        session(2, during=9, morning=None),
    )

    checks = check_session_pain(sessions, baseline_pain_0_10=5)

    assert [(c.pain_before_0_10, c.pain_before_from) for c in checks] == [
        (5, None),
        (4, ago(4)),
        (4, ago(4)),
        (6, ago(2)),
    ]
    assert [c.rise_0_10 for c in checks] == [2, 1, 0, 3]
    assert [c.rise_within_limit for c in checks] == [True, True, True, False]
    assert [c.settled for c in checks] == [True, False, None, None]


def test_it_takes_the_higher_morning_pain_of_two_sessions_on_one_day() -> None:
    sessions = (session(2, morning=6), session(2, morning=4), session(1))

    assert check_session_pain(sessions, baseline_pain_0_10=5)[-1].pain_before_0_10 == 6


def test_it_dates_next_morning_pain_the_day_after_its_session() -> None:
    readings = pain_readings([session(3, during=4, morning=2)], [check_in(1, now=5, average=3)])

    assert [(r.on, r.pain_0_10, r.source) for r in readings] == [
        (ago(3), 4, "during_exercise"),
        (ago(2), 2, "next_morning"),
        (ago(1), 5, "check_in_now"),
        (ago(1), 3, "check_in_average"),
    ]


def test_it_counts_sessions_done_against_the_prescription() -> None:
    sessions = [session(0), session(1, done=1), session(2, done=5), session(9), session(10)]

    figure = adherence(sessions, TODAY, 7, sessions_per_week_prescribed=3)

    assert (figure.sessions_done, figure.sessions_logged, figure.sessions_prescribed) == (2, 3, 3)
    assert (figure.exercises_done, figure.exercises_prescribed) == (12, 18)
    assert figure.fraction == pytest.approx(2 / 3)


def test_it_has_no_adherence_fraction_without_a_prescription() -> None:
    assert adherence([session(0)], TODAY, 14).fraction is None


# --- input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: session(0, done=7, prescribed=6), "exercises_done must be 0 to"),
        (lambda: session(0, during=11), "max_pain_during_0_10 must be 0 to 10"),
        (lambda: session(0, morning=-1), "next_morning_pain_0_10 must be 0 to 10"),
        (lambda: check_in(0, now=12), "pain_now_0_10 must be 0 to 10"),
        (lambda: odi(0, 101), "odi must be 0 to 100, got 101"),
        (
            lambda: InstrumentScore("psfs", TODAY, 5, higher_is_worse=True),
            "higher_is_worse is False for psfs",
        ),
        (lambda: fabq(0, 30, mcid=0), "mcid must be more than 0"),
        (lambda: patient(stage="expert"), "stage must be one of"),
        (lambda: patient(baseline_pain_0_10=11), "baseline_pain_0_10 must be 0 to 10"),
        (lambda: patient(stage_started_on=ago(-1)), "stage_started_on cannot be after today"),
        (lambda: patient(sessions_per_week_prescribed=0), "must be at least 1"),
    ],
)
def test_it_rejects_impossible_input(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_it_gives_the_same_proposal_whatever_the_order_of_the_logs() -> None:
    shuffled = list(daily(changes=on_days([1, 3], morning=5)))
    random.Random(7).shuffle(shuffled)

    assert assess(sessions=tuple(shuffled)) == assess(
        sessions=daily(changes=on_days([1, 3], morning=5))
    )
