"""Motion profiles: what the engine follows and checks for one exercise, stored as data.

Each profile lives in ``content/motion/<slug>.toml``, where ``<slug>`` is the exercise's slug in
``content/exercises``. A profile names the signal to follow (see ``angles.SIGNALS``) and either
rep phases (hysteresis thresholds) or a hold target, plus form rules, each with its threshold, a
short cue for the patient and the reason for the rule. The browser-side counter reads the same
files, so both count the same way. ``parse_profile`` raises :class:`LibraryError` naming the file
and the field, as the exercise library does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, model_validator

from backcare.core.content import (
    ContentModel,
    Degrees,
    LibraryError,
    Text,
    problem,
    read_toml,
    validate,
)
from backcare.core.motion.angles import SignalName

__all__ = [
    "CHECKS",
    "FormRule",
    "HoldTarget",
    "MotionProfile",
    "RepPhases",
    "load_profiles",
    "parse_profile",
    "unlinked_profiles",
]

Check = Literal["above", "below", "beyond", "peak_below", "peak_above"]
CHECKS: tuple[Check, ...] = get_args(Check)
"""How a rule tests its signal within a rep: ``above``/``below`` flag the frames past the
threshold, ``beyond`` the frames where the size of the value (either sign) is past it, for
signed signals such as sideways tilt. ``peak_below`` flags a rep whose highest value stays under
the threshold (not deep enough), ``peak_above`` one whose highest value goes over it."""

RATIO_SIGNALS = frozenset({"knee_ankle_ratio"})
"""Signals that are ratios, not degrees; a profile cannot count reps on them."""


@dataclass(frozen=True)
class RepPhases:
    """Hysteresis thresholds for one repetition of the followed signal."""

    enter_deg: float
    exit_deg: float
    min_duration_s: float
    min_amplitude_deg: float


@dataclass(frozen=True)
class HoldTarget:
    """A position to hold: the signal within ``tolerance_deg`` of ``target_deg``."""

    target_deg: float
    tolerance_deg: float
    target_s: float


@dataclass(frozen=True)
class FormRule:
    """One form check with its threshold, the cue shown to the patient and the reason."""

    key: str
    signal: SignalName
    check: Check
    threshold: float
    cue: str
    reason: str
    from_start: bool = False
    """Measure the change from the rep's first frame rather than the value itself: a camera
    or sensor seldom sees a body perfectly square, so tilts and turns are judged as changes."""


@dataclass(frozen=True)
class MotionProfile:
    """How the engine follows one exercise."""

    slug: str
    signal: SignalName
    reps: RepPhases | None
    hold: HoldTarget | None
    rules: tuple[FormRule, ...]
    source: str

    @property
    def mode(self) -> Literal["reps", "hold"]:
        """Whether the exercise is counted in repetitions or timed as a hold."""
        return "reps" if self.reps is not None else "hold"


class _RepsFile(ContentModel):
    """The ``[reps]`` table: a rep starts above ``enter_deg`` and ends back below ``exit_deg``."""

    what = "reps"
    enter_deg: Degrees
    exit_deg: Degrees
    min_duration_s: float = Field(ge=0, le=60)
    min_amplitude_deg: float = Field(ge=0, le=180)

    @model_validator(mode="after")
    def _exit_below_enter(self) -> _RepsFile:
        if self.exit_deg >= self.enter_deg:
            raise problem("must be below reps.enter_deg", key="exit_deg")
        return self


class _HoldFile(ContentModel):
    """The ``[hold]`` table."""

    what = "hold"
    target_deg: Degrees
    tolerance_deg: float = Field(ge=1, le=90)
    target_s: float = Field(ge=1, le=600)


class _RuleFile(ContentModel):
    """One ``[[rules]]`` table."""

    what = "a form rule"
    key: Text
    signal: SignalName
    check: Check
    threshold: Degrees
    cue: Text
    reason: Text
    from_start: bool = False


class _ProfileFile(ContentModel):
    """A whole ``content/motion/<slug>.toml`` file."""

    what = "a motion profile"
    slug: Text
    signal: SignalName
    reps: _RepsFile | None = None
    hold: _HoldFile | None = None
    rules: list[_RuleFile] = []
    source: Text

    @model_validator(mode="after")
    def _one_mode_on_degrees_with_unique_rules(self) -> _ProfileFile:
        if (self.reps is None) == (self.hold is None):
            raise problem("a profile needs exactly one of [reps] or [hold]", key="reps")
        if self.signal in RATIO_SIGNALS:
            raise problem("must be an angle in degrees, not a ratio", key="signal")
        keys = [rule.key for rule in self.rules]
        duplicate = next((key for key in keys if keys.count(key) > 1), None)
        if duplicate is not None:
            raise problem("key {key_name} is used twice", key="rules", key_name=repr(duplicate))
        return self


def parse_profile(raw: Mapping[str, Any], source: str) -> MotionProfile:
    """Validate one profile's parsed TOML; ``source`` (the file name) goes in every error."""
    file = validate(_ProfileFile, raw, source)
    reps, hold = file.reps, file.hold
    return MotionProfile(
        slug=file.slug,
        signal=file.signal,
        reps=None if reps is None else RepPhases(**reps.model_dump()),
        hold=None if hold is None else HoldTarget(**hold.model_dump()),
        rules=tuple(FormRule(**rule.model_dump()) for rule in file.rules),
        source=file.source,
    )


def load_profiles(folder: Path) -> dict[str, MotionProfile]:
    """Read and validate every ``*.toml`` profile in ``folder``; file names must match slugs."""
    profiles: dict[str, MotionProfile] = {}
    for path in sorted(folder.glob("*.toml")):
        profile = parse_profile(read_toml(path, path.name), path.name)
        if profile.slug != path.stem:
            raise LibraryError(path.name, "slug", f"must match the file name ({path.stem!r})")
        profiles[profile.slug] = profile
    return profiles


def unlinked_profiles(
    profiles: Mapping[str, MotionProfile], exercise_slugs: Collection[str]
) -> tuple[str, ...]:
    """Slugs of profiles with no exercise of the same slug in the library, sorted."""
    return tuple(sorted(slug for slug in profiles if slug not in exercise_slugs))
