"""What the engine reads and what it proposes: the input logs, the rules, reasons and proposal.

``Rule`` lists every rule in precedence order; ``Reason`` is one rule's verdict with its figures
and ``Proposal`` the decision with every reason. They are facts, not sentences: the Django side
words them in the reader's language when they are shown (``backcare.reviews.words``), so a stored
proposal reads in a newly chosen language too. The words used (the last N days, pain before a
session, resting pain) are defined in the package docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal, get_args

from backcare.core.instruments import HIGHER_IS_WORSE, OUTCOME_RANGES, OUTCOMES, Outcome
from backcare.core.library import STAGES, Stage

Decision = Literal["progress", "hold", "regress", "refer"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)

Status = Literal["met", "not_met", "fired", "not_fired", "not_applicable"]
"""Gates are ``met`` / ``not_met``; triggers ``fired`` / ``not_fired``; ``not_applicable`` for a
rule that does not apply to this patient (e.g. minimum time at the final stage)."""

Alert = Literal[
    "red_flag",
    "persisting_pain_spike",
    "not_improving",
    "pain_spike",
    "flare_up",
    "pain_rise_during_exercise",
    "next_morning_worsening",
    "pain_worsening",
    "no_recent_log",
]
ALERTS: tuple[Alert, ...] = get_args(Alert)
"""Alerts the clinician receives, in the order a proposal lists them."""

PainSource = Literal["during_exercise", "next_morning", "check_in_now", "check_in_average"]
Figure = int | float | str | None
"""One number behind a reason; dates are ISO strings, ``None`` when there was nothing to count."""

_EPSILON = 1e-9
"""Tolerance so an average exactly at a threshold counts despite floating-point rounding."""

_OUTCOME_BY_CODE: Mapping[str, Outcome] = {outcome: outcome for outcome in OUTCOMES}
"""Questionnaire codes that are outcomes of ``instruments.change``, judged by its rule."""


def _check_pain(name: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= 10:
        raise ValueError(f"{name} must be 0 to 10, got {value!r}")


@dataclass(frozen=True)
class SessionSummary:
    """One logged session: exercises done, the worst pain during it and next-morning pain."""

    performed_on: date
    exercises_prescribed: int
    exercises_done: int
    max_pain_during_0_10: int | None = None
    next_morning_pain_0_10: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.exercises_done <= self.exercises_prescribed:
            raise ValueError(
                f"exercises_done must be 0 to exercises_prescribed ({self.exercises_prescribed}), "
                f"got {self.exercises_done!r}"
            )
        _check_pain("max_pain_during_0_10", self.max_pain_during_0_10)
        _check_pain("next_morning_pain_0_10", self.next_morning_pain_0_10)


@dataclass(frozen=True)
class CheckIn:
    """One weekly check-in: pain now, average and worst over the week, interference, flare-up."""

    on: date
    pain_now_0_10: int
    pain_average_0_10: int
    pain_worst_0_10: int
    interference_0_10: int
    flare_up: bool = False

    def __post_init__(self) -> None:
        for name in ("pain_now_0_10", "pain_average_0_10", "pain_worst_0_10", "interference_0_10"):
            _check_pain(name, getattr(self, name))


@dataclass(frozen=True)
class InstrumentScore:
    """One questionnaire score (e.g. ODI, Roland-Morris, PSFS).

    ``mcid`` is the instrument's minimal clinically important change in its own points. For an
    outcome of ``instruments.change`` (``odi``, ``rmdq``, ``peg``, ``psfs``) it overrides the
    clinic's ``Thresholds.change`` (``MCID_DEFAULTS`` unless the clinic changed them), whose rule
    judges the change; such a score must lie on the outcome's scale, in its direction. For any
    other questionnaire ``mcid`` is the whole rule; without it the change is shown but not judged.
    """

    code: str
    on: date
    value: float
    higher_is_worse: bool
    mcid: float | None = None

    def __post_init__(self) -> None:
        if self.mcid is not None and not self.mcid > 0:
            raise ValueError(f"mcid must be more than 0, got {self.mcid!r}")
        outcome = _OUTCOME_BY_CODE.get(self.code)
        if outcome is None:
            return
        low, high = OUTCOME_RANGES[outcome]
        if not low <= self.value <= high:
            raise ValueError(f"{self.code} must be {low:g} to {high:g}, got {self.value!r}")
        if self.higher_is_worse != HIGHER_IS_WORSE[outcome]:
            raise ValueError(f"higher_is_worse is {HIGHER_IS_WORSE[outcome]} for {self.code}")


@dataclass(frozen=True, kw_only=True)
class ProgressionInput:
    """Everything the engine looks at for one patient, as of ``today``."""

    stage: Stage
    stage_started_on: date
    baseline_pain_0_10: int
    sessions_per_week_prescribed: int
    today: date
    sessions: tuple[SessionSummary, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()
    instrument_scores: tuple[InstrumentScore, ...] = ()
    red_flag_open: bool = False

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}, got {self.stage!r}")
        _check_pain("baseline_pain_0_10", self.baseline_pain_0_10)
        if self.stage_started_on > self.today:
            raise ValueError("stage_started_on cannot be after today")
        if self.sessions_per_week_prescribed < 1:
            raise ValueError("sessions_per_week_prescribed must be at least 1")
        for name in ("sessions", "check_ins", "instrument_scores"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def days_in_stage(self) -> int:
        """Whole days since the stage started (0 on the first day)."""
        return (self.today - self.stage_started_on).days


@dataclass(frozen=True)
class AdherenceFigure:
    """Sessions done against sessions prescribed over a window, and exercises done in them."""

    days: int
    sessions_done: int
    sessions_logged: int
    sessions_prescribed: int | None
    exercises_done: int
    exercises_prescribed: int

    @property
    def fraction(self) -> float | None:
        """Sessions done ÷ sessions prescribed; ``None`` when the prescription is unknown."""
        if not self.sessions_prescribed:
            return None
        return self.sessions_done / self.sessions_prescribed


@dataclass(frozen=True)
class PainReading:
    """One 0-10 pain rating, the day it describes and where it came from."""

    on: date
    pain_0_10: int
    source: PainSource


@dataclass(frozen=True)
class SessionPainCheck:
    """A session's pain compared with the pain before it (see ``check_session_pain``).

    ``pain_before_from`` is the morning the reference came from, ``None`` for the baseline.
    """

    session: SessionSummary
    pain_before_0_10: int
    pain_before_from: date | None
    rise_0_10: int | None
    rise_within_limit: bool | None
    next_morning_change_0_10: int | None
    settled: bool | None


class Rule(StrEnum):
    """Every rule the engine evaluates, in precedence order (triggers first, then gates)."""

    RED_FLAG = "red_flag"
    PERSISTING_PAIN_SPIKE = "persisting_pain_spike"
    NOT_IMPROVING_IN_INITIAL_STAGE = "not_improving_in_initial_stage"
    PAIN_SPIKE = "pain_spike"
    FLARE_UP = "flare_up"
    REPEATED_PAIN_RISE = "repeated_pain_rise"
    REPEATED_NEXT_MORNING_WORSENING = "repeated_next_morning_worsening"
    PAIN_WORSE_THAN_LAST_WEEK = "pain_worse_than_last_week"
    NEXT_STAGE_AVAILABLE = "next_stage_available"
    MIN_DAYS_IN_STAGE = "min_days_in_stage"
    ADHERENCE = "adherence"
    LOGGED_RECENTLY = "logged_recently"
    PAIN_RISE_WITHIN_LIMIT = "pain_rise_within_limit"
    NEXT_MORNING_SETTLED = "next_morning_settled"
    IMPROVING_TREND = "improving_trend"
    FUNCTION_NOT_WORSE = "function_not_worse"


@dataclass(frozen=True)
class Reason:
    """One rule's verdict with the numbers behind it: every figure its sentence needs.

    ``effect`` is the decision the rule leads to when it fires (trigger) or is not met (gate).
    """

    rule: Rule
    status: Status
    effect: Decision
    figures: Mapping[str, Figure]

    @property
    def holds_back(self) -> bool:
        """Whether this reason keeps the patient from progressing."""
        return self.status in ("fired", "not_met")


Headline = Literal[
    "refer",
    "hold_and_review",
    "regress",
    "hold_first_stage",
    "maintain",
    "hold_not_met",
    "progress",
]
"""What the proposal's one-line summary says: the tier that decided (``precedence._TIERS``),
``hold_first_stage`` for a regress at the first stage (nothing lighter), ``maintain`` at the
final stage with all else met, ``progress`` when every condition is met."""


@dataclass(frozen=True)
class Proposal:
    """The proposed decision, every rule's reason, the stage to move to and the alerts.

    ``to_stage`` is the next stage for progress, the previous one for regress, else ``None``;
    ``headline`` and ``deciding`` (the rules of the deciding tier that held back, in precedence
    order) are what the one-line summary says.
    """

    decision: Decision
    stage: Stage
    to_stage: Stage | None
    headline: Headline
    deciding: tuple[Rule, ...]
    reasons: tuple[Reason, ...]
    alerts: tuple[Alert, ...]

    def reason(self, rule: Rule) -> Reason:
        """The reason for ``rule`` (every rule has one)."""
        return next(r for r in self.reasons if r.rule == rule)
