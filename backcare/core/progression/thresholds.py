"""A clinic's progression thresholds, each with its allowed range, reason and source.

``THRESHOLD_HELP`` collects the help texts for the clinic's settings page. The clinically
important change is not defined here: ``Thresholds.change`` holds the clinic's
``instruments.ChangeThresholds``, the project's one definition of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from backcare.core.i18n import _
from backcare.core.instruments import ChangeThresholds
from backcare.core.library import Stage


def _about(low: float | None, high: float | None, help: str) -> dict[str, object]:
    """A threshold's allowed range and help text (its reason and source), as field metadata."""
    return {"low": low, "high": high, "help": help}


@dataclass(frozen=True)
class Thresholds:
    """A clinic's progression thresholds, defaults from DESIGN §3.

    Each field's ``help`` metadata states its reason and source (collected in ``THRESHOLD_HELP``
    for the clinic's settings page) and ``low``/``high`` its allowed range.
    """

    max_pain_rise_during_0_10: int = field(
        default=2,
        metadata=_about(
            0,
            10,
            _(
                "Pain during exercise may be at most this many points above the pain before the "
                "session "
                "(a rise of exactly 2 is within the limit). DESIGN §3 practice heuristic; a "
                "limited rise "
                "is acceptable (pain-monitoring model, Silbernagel et al. 2007; Smith et al. 2017)."
            ),
        ),
    )
    next_morning_tolerance_0_10: int = field(
        default=1,
        metadata=_about(
            0,
            10,
            _(
                "Next-morning pain counts as settled when it is at most this many points above "
                "the pain "
                "before the session. The heuristic is 'settles by the next morning' (Silbernagel "
                "et al. "
                "2007); 1 point is allowed because a one-point change in a single 0-10 rating is "
                "day-to-day variation, half the 2-point MCID (Ostelo 2008), and counting it would "
                "regress patients whose pain merely fluctuates. Set 0 for the strict reading."
            ),
        ),
    )
    pain_spike_0_10: int = field(
        default=7,
        metadata=_about(
            1,
            10,
            _(
                "Any pain at or above this level in the last week (during exercise, next morning, "
                "or the "
                "check-in's pain now or average) blocks progression and alerts the clinician "
                "(DESIGN "
                "§3). The check-in's worst pain is not counted: many patients rate their worst "
                "pain 7 "
                "or more at intake, so it would block progression for most of them."
            ),
        ),
    )
    spike_refer_weeks: int = field(
        default=2,
        metadata=_about(
            1,
            None,
            _(
                "Resting pain at the spike level and above the baseline in each of this many "
                "recent "
                "weeks proposes referral: severe pain that does not settle at rest needs a "
                "clinician's "
                "assessment, not a programme change. Practice default."
            ),
        ),
    )
    adherence_min_sessions: int = field(
        default=6,
        metadata=_about(
            1,
            None,
            _(
                "Sessions done in the adherence window needed to progress, never more than were "
                "prescribed in it: progress only on a programme that is actually being done. "
                "DESIGN §3 "
                "practice default (≥ 6 sessions in 14 days)."
            ),
        ),
    )
    adherence_window_days: int = field(
        default=14,
        metadata=_about(
            1, None, _("The adherence window in days (DESIGN §3: ≥ 6 sessions in 14 days).")
        ),
    )
    min_share_of_exercises_done: float = field(
        default=0.5,
        metadata=_about(
            0,
            1,
            _(
                "A logged session counts as done when at least this share of its prescribed "
                "exercises "
                "were done, so one exercise of eight is not a session. Practice default."
            ),
        ),
    )
    min_days_in_initial: int = field(
        default=14,
        metadata=_about(
            0,
            None,
            _(
                "Days in the initial stage before progressing: two weeks to calm symptoms and "
                "learn the "
                "movements. Practice default (DESIGN §3: minimum time in stage)."
            ),
        ),
    )
    min_days_in_intermediate: int = field(
        default=21,
        metadata=_about(
            0,
            None,
            _(
                "Days in the intermediate stage before progressing: three weeks, as loading and "
                "stabilisation work takes longer to adapt to. Practice default (DESIGN §3)."
            ),
        ),
    )
    recent_days: int = field(
        default=7,
        metadata=_about(
            1,
            None,
            _(
                "Length of 'the last week' in days: the pain-spike and flare-up window, and each "
                "of the "
                "two weeks the trend compares. Practice default matching the weekly check-in."
            ),
        ),
    )
    change: ChangeThresholds = field(
        default_factory=ChangeThresholds,
        metadata=_about(
            None,
            None,
            _(
                # xgettext:no-python-format ("30 % of" is no placeholder)
                "The minimal clinically important change in 0-10 pain, as the project defines it "
                "once in "
                "instruments.change (Ostelo 2008: 2 points, or 30 % of the baseline; combined as "
                "ChangeThresholds.combine says, by default 'either', the smaller of the two, "
                "following "
                "DESIGN §3 '2 points ... or ≥ 30 % from baseline'). A clinic may choose 'both', "
                "the "
                "larger of the two and the cautious reading for one patient, or other points or "
                "percentage. It judges the fall in pain from the baseline (improving trend; "
                "referral "
                "when the initial stage brings no improvement), a rise on the week before (by its "
                "points: the percentage is of the baseline) and a questionnaire getting worse."
            ),
        ),
    )
    recent_sessions: int = field(
        default=5,
        metadata=_about(
            1,
            None,
            _(
                "How many of the stage's latest sessions with the measure logged the pain-during "
                "and "
                "next-morning rules look at: about a week of sessions. Practice default."
            ),
        ),
    )
    regress_pain_rise_sessions: int = field(
        default=3,
        metadata=_about(
            1,
            None,
            _(
                "Regress when pain during exercise was above the limit in at least this many of "
                "the "
                "recent sessions: consistently too much load, not one bad day. Practice default."
            ),
        ),
    )
    regress_next_morning_sessions: int = field(
        default=2,
        metadata=_about(
            1,
            None,
            _(
                "Regress when next-morning pain did not settle after at least this many of the "
                "recent "
                "sessions; fewer than for pain during, as pain lasting to the next morning is the "
                "stronger overload sign in the pain-monitoring model (Silbernagel et al. 2007)."
            ),
        ),
    )
    refer_not_improving_after_days: int = field(
        default=42,
        metadata=_about(
            1,
            None,
            _(
                "In the initial stage, no clinically important improvement from baseline after "
                "this "
                "many days proposes referral for re-assessment. Guidelines advise re-assessing "
                "patients "
                "who are not improving after some weeks of care (Oliveira et al. 2018); six weeks "
                "is a "
                "practice default."
            ),
        ),
    )
    no_log_days: int = field(
        default=7,
        metadata=_about(
            1,
            None,
            _(
                "Days with no session and no check-in (counted from the later of the last log and "
                "the "
                "stage start) before the patient counts as dropping out: hold and alert. Practice "
                "default."
            ),
        ),
    )

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            low, high = spec.metadata["low"], spec.metadata["high"]
            if (low is not None and value < low) or (high is not None and value > high):
                span = f"{low:g} to {high:g}" if high is not None else f"at least {low:g}"
                raise ValueError(f"{spec.name} must be {span}, got {value!r}")
        if not isinstance(self.change, ChangeThresholds):
            raise TypeError(f"change must be a ChangeThresholds, got {self.change!r}")
        for name in ("regress_pain_rise_sessions", "regress_next_morning_sessions"):
            if getattr(self, name) > self.recent_sessions:
                raise ValueError(f"{name} cannot be more than recent_sessions")

    def min_days_in(self, stage: Stage) -> int | None:
        """Minimum days in ``stage`` before progressing; ``None`` at the final stage."""
        return {
            "initial": self.min_days_in_initial,
            "intermediate": self.min_days_in_intermediate,
        }.get(stage)


THRESHOLD_HELP: Mapping[str, str] = MappingProxyType(
    {spec.name: spec.metadata["help"] for spec in fields(Thresholds)}
)
"""Help text (reason and source) of every threshold, for the clinic's settings page."""

_DEFAULTS = Thresholds()
