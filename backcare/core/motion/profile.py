"""Motion profiles: what the engine follows and checks for one exercise, stored as data.

Each profile lives in ``content/motion/<slug>.toml``, where ``<slug>`` is the exercise's slug in
``content/exercises``. A profile names the signal to follow (see ``angles.SIGNALS``) and either
rep phases (hysteresis thresholds) or a hold target, plus form rules, each with its threshold, a
short cue for the patient and the reason for the rule. The browser-side counter reads the same
files, so both count the same way. ``parse_profile`` raises :class:`LibraryError` naming the file
and the field, as the exercise library does.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from backcare.core.library import LibraryError
from backcare.core.motion.angles import SIGNALS, SignalName

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


_TOP = {"slug", "signal", "reps", "hold", "rules", "source"}
_REPS = ("enter_deg", "exit_deg", "min_duration_s", "min_amplitude_deg")
_HOLD = ("target_deg", "tolerance_deg", "target_s")
_RULE = {"key", "signal", "check", "threshold", "cue", "reason", "from_start"}


def _number(
    raw: Mapping[str, Any], key: str, src: str, path: str, low: float, high: float
) -> float:
    if key not in raw:
        raise LibraryError(src, f"{path}{key}", "is missing")
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LibraryError(src, f"{path}{key}", f"must be a number, got {type(value).__name__}")
    if not low <= value <= high:
        raise LibraryError(src, f"{path}{key}", f"must be between {low} and {high}, got {value}")
    return float(value)


def _text(raw: Mapping[str, Any], key: str, src: str, path: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(src, f"{path}{key}", "must be non-empty text")
    return value.strip()


def _signal(raw: Mapping[str, Any], src: str, path: str) -> SignalName:
    value = raw.get("signal")
    if value not in SIGNALS:
        raise LibraryError(src, f"{path}signal", f"{value!r} is not one of {', '.join(SIGNALS)}")
    signal: SignalName = value
    return signal


def _table(raw: Mapping[str, Any], key: str, fields: Collection[str], src: str) -> dict[str, Any]:
    table = raw[key]
    if not isinstance(table, dict):
        raise LibraryError(src, key, "must be a table")
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise LibraryError(src, f"{key}.{unknown[0]}", f"is not a field of {key}")
    return table


def _parse_rule(raw: Any, src: str, index: int) -> FormRule:
    path = f"rules[{index}]."
    if not isinstance(raw, dict):
        raise LibraryError(src, f"rules[{index}]", "must be a table")
    unknown = sorted(set(raw) - _RULE)
    if unknown:
        raise LibraryError(src, f"{path}{unknown[0]}", "is not a field of a form rule")
    check = raw.get("check")
    if check not in CHECKS:
        raise LibraryError(src, f"{path}check", f"{check!r} is not one of {', '.join(CHECKS)}")
    from_start = raw.get("from_start", False)
    if not isinstance(from_start, bool):
        raise LibraryError(src, f"{path}from_start", "must be true or false")
    return FormRule(
        from_start=from_start,
        key=_text(raw, "key", src, path),
        signal=_signal(raw, src, path),
        check=check,
        threshold=_number(raw, "threshold", src, path, -180, 180),
        cue=_text(raw, "cue", src, path),
        reason=_text(raw, "reason", src, path),
    )


def parse_profile(raw: Mapping[str, Any], source: str) -> MotionProfile:
    """Validate one profile's parsed TOML; ``source`` (the file name) goes in every error."""
    unknown = sorted(set(raw) - _TOP)
    if unknown:
        raise LibraryError(source, unknown[0], "is not a field of a motion profile")
    slug = _text(raw, "slug", source, "")
    signal = _signal(raw, source, "")
    if ("reps" in raw) == ("hold" in raw):
        raise LibraryError(source, "reps", "a profile needs exactly one of [reps] or [hold]")
    if signal in RATIO_SIGNALS:
        raise LibraryError(source, "signal", "must be an angle in degrees, not a ratio")
    reps = hold = None
    if "reps" in raw:
        t = _table(raw, "reps", _REPS, source)
        reps = RepPhases(
            enter_deg=_number(t, "enter_deg", source, "reps.", -180, 180),
            exit_deg=_number(t, "exit_deg", source, "reps.", -180, 180),
            min_duration_s=_number(t, "min_duration_s", source, "reps.", 0, 60),
            min_amplitude_deg=_number(t, "min_amplitude_deg", source, "reps.", 0, 180),
        )
        if reps.exit_deg >= reps.enter_deg:
            raise LibraryError(source, "reps.exit_deg", "must be below reps.enter_deg")
    else:
        t = _table(raw, "hold", _HOLD, source)
        hold = HoldTarget(
            target_deg=_number(t, "target_deg", source, "hold.", -180, 180),
            tolerance_deg=_number(t, "tolerance_deg", source, "hold.", 1, 90),
            target_s=_number(t, "target_s", source, "hold.", 1, 600),
        )
    rules_raw = raw.get("rules", [])
    if not isinstance(rules_raw, list):
        raise LibraryError(source, "rules", "must be a list of tables ([[rules]])")
    rules = tuple(_parse_rule(r, source, i) for i, r in enumerate(rules_raw))
    keys = [r.key for r in rules]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate is not None:
        raise LibraryError(source, "rules", f"key {duplicate!r} is used twice")
    return MotionProfile(
        slug=slug,
        signal=signal,
        reps=reps,
        hold=hold,
        rules=rules,
        source=_text(raw, "source", source, ""),
    )


def load_profiles(folder: Path) -> dict[str, MotionProfile]:
    """Read and validate every ``*.toml`` profile in ``folder``; file names must match slugs."""
    profiles: dict[str, MotionProfile] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise LibraryError(path.name, "(file)", f"is not valid TOML: {error}") from error
        profile = parse_profile(raw, path.name)
        if profile.slug != path.stem:
            raise LibraryError(path.name, "slug", f"must match the file name ({path.stem!r})")
        profiles[profile.slug] = profile
    return profiles


def unlinked_profiles(
    profiles: Mapping[str, MotionProfile], exercise_slugs: Collection[str]
) -> tuple[str, ...]:
    """Slugs of profiles with no exercise of the same slug in the library, sorted."""
    return tuple(sorted(slug for slug in profiles if slug not in exercise_slugs))
