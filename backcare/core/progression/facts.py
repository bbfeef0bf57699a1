"""What the rule evaluations share: the facts gathered once, the readings each rule looks at and
``_judge``, which turns a verdict and its figures into a ``Reason``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from statistics import fmean
from types import MappingProxyType
from typing import get_args

from backcare.core.progression.model import (
    Figure,
    PainReading,
    PainSource,
    ProgressionInput,
    Reason,
    Rule,
    SessionPainCheck,
    Status,
)
from backcare.core.progression.pain import check_session_pain, pain_readings
from backcare.core.progression.precedence import _EFFECT, _GATES
from backcare.core.progression.thresholds import Thresholds


@dataclass(frozen=True)
class _Facts:
    """What the rules share, worked out once per assessment."""

    inp: ProgressionInput
    t: Thresholds
    stage_checks: tuple[SessionPainCheck, ...]
    readings: tuple[PainReading, ...]

    @classmethod
    def gather(cls, inp: ProgressionInput, t: Thresholds) -> _Facts:
        sessions = [s for s in inp.sessions if s.performed_on <= inp.today]
        checks = check_session_pain(sessions, inp.baseline_pain_0_10, t)
        in_stage = tuple(c for c in checks if c.session.performed_on >= inp.stage_started_on)
        check_ins = [c for c in inp.check_ins if c.on <= inp.today]
        readings = tuple(r for r in pain_readings(sessions, check_ins) if r.on <= inp.today)
        return cls(inp, t, in_stage, readings)

    def week(self, weeks_back: int = 0, sources: Iterable[PainSource] = ()) -> list[PainReading]:
        """Readings from ``sources`` in the week ``weeks_back`` weeks before the last one."""
        wanted = set(sources)
        end = self.inp.today - timedelta(days=weeks_back * self.t.recent_days)
        start = end - timedelta(days=self.t.recent_days - 1)
        return [r for r in self.readings if start <= r.on <= end and r.source in wanted]

    def trend_weeks(self) -> tuple[float | None, float | None, int, int]:
        """Average resting pain of the last week and the week before, and their reading counts."""
        recent, previous = self.week(0, _RESTING), self.week(1, _RESTING)
        return _mean(recent), _mean(previous), len(recent), len(previous)


_RESTING: tuple[PainSource, ...] = ("next_morning", "check_in_average")
"""Readings of resting pain for the trend: next-morning pain and the check-in's average, the
nearest to the baseline question (usual pain). Pain now is left out so a check-in counts once."""

_SPIKE_SOURCES: tuple[PainSource, ...] = get_args(PainSource)
_PERSISTING_SOURCES: tuple[PainSource, ...] = ("next_morning", "check_in_now", "check_in_average")
"""Pain during exercise is left out of the persisting-spike referral: exercise pain is an
overload sign (regress rules), not a sign that pain is failing to settle at rest."""


def _mean(readings: Sequence[PainReading]) -> float | None:
    return fmean(r.pain_0_10 for r in readings) if readings else None


def _round(value: float | None) -> float | None:
    """A figure rounded to 2 decimals for display; comparisons use the exact value."""
    return None if value is None else round(value, 2)


def _judge(rule: Rule, against: bool | None, **figures: Figure) -> Reason:
    """A reason whose status says whether the rule goes ``against`` progressing: a trigger
    fired or a gate not met; ``None`` for a rule that does not apply to this patient."""
    status: Status
    if against is None:
        status = "not_applicable"
    elif rule in _GATES:
        status = "not_met" if against else "met"
    else:
        status = "fired" if against else "not_fired"
    return Reason(rule, status, _EFFECT[rule], MappingProxyType(figures))


def _latest(f: _Facts, measure: Callable[[SessionPainCheck], bool | None]) -> list[bool]:
    """The measure's verdicts for the latest ``recent_sessions`` stage sessions that logged it."""
    values = [v for c in f.stage_checks if (v := measure(c)) is not None]
    return values[-f.t.recent_sessions :]


def _rise_ok(c: SessionPainCheck) -> bool | None:
    return c.rise_within_limit


def _settled(c: SessionPainCheck) -> bool | None:
    return c.settled
