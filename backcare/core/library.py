"""The exercise library's schema, and validation of its content files.

Each exercise lives in ``content/exercises/<slug>.toml`` written in the project's own words.
``parse_exercise`` turns one file's parsed TOML into an :class:`Exercise`, and raises
:class:`LibraryError` naming the file and the field when something is wrong. ``validate_library``
checks what no single file can: that every easier/harder link names an exercise that exists.

A translation of an exercise's words lives in ``content/exercises/<language>/<slug>.toml`` and
holds exactly the :data:`TEXT_FIELDS`; ``parse_translation`` checks it against the English file
(item *i* of each list translates item *i*), and ``load_translations`` reads one language's folder.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

__all__ = [
    "CATEGORIES",
    "CONTRAINDICATIONS",
    "EQUIPMENT",
    "POSITIONS",
    "STAGES",
    "SUPPORTS",
    "TEXT_FIELDS",
    "Dose",
    "Exercise",
    "ExerciseText",
    "KeyPose",
    "LibraryError",
    "load_library",
    "load_translations",
    "parse_exercise",
    "parse_translation",
    "validate_library",
]

Stage = Literal["initial", "intermediate", "advanced"]
Category = Literal["strength", "motor_control", "mobility", "stretch", "aerobic", "mind_body"]
Position = Literal["standing", "sitting", "supine", "prone", "quadruped", "side_lying"]
Equipment = Literal["wall", "chair", "swiss_ball", "band", "bike", "pool"]
DoseType = Literal["reps", "hold", "duration"]
Support = Literal[
    "floor",
    "chair_seat",
    "wall_behind",
    "ball_under_back",
    "ball_under_pelvis",
    "ball_under_feet",
    "ball_under_belly",
    "ball_behind_back",
    "bike_saddle",
    "water",
]


def gettext_noop(message: str) -> str:
    """Marks an English label for ``makemessages`` without Django; callers translate it."""
    return message


STAGES: tuple[Stage, ...] = get_args(Stage)
CATEGORIES: tuple[Category, ...] = get_args(Category)
POSITIONS: tuple[Position, ...] = get_args(Position)
EQUIPMENT: tuple[Equipment, ...] = get_args(Equipment)
DOSE_TYPES: tuple[DoseType, ...] = get_args(DoseType)
SUPPORTS: tuple[Support, ...] = get_args(Support)

CONTRAINDICATIONS: dict[str, str] = {
    "acute_radicular_pain": gettext_noop(
        "Leg pain spreading below the knee that is worse with this movement"
    ),
    "recent_spinal_surgery": gettext_noop("Spinal surgery in the last 12 weeks"),
    "osteoporosis": gettext_noop("Osteoporosis or low bone density"),
    "pregnancy": gettext_noop("Pregnancy (past the first trimester)"),
    "knee_pain": gettext_noop("Painful or unstable knee"),
    "shoulder_pain": gettext_noop("Painful shoulder when loading the arms"),
    "wrist_pain": gettext_noop("Painful wrist when taking weight on the hands"),
    "poor_balance": gettext_noop("Poor balance or a recent fall"),
    "uncontrolled_hypertension": gettext_noop("Uncontrolled high blood pressure"),
    "extension_intolerant": gettext_noop("Back pain that is worse bending backwards"),
    "flexion_intolerant": gettext_noop("Back pain that is worse bending forwards"),
    "open_wounds_or_infection": gettext_noop("Open wounds or skin infection (no pool)"),
}
"""Patient conditions an exercise can be unsuitable for. The clinician ticks these at intake and
the prescribing core leaves out every exercise listing one of them. Labels are our own wording,
in English; Django code shows them with ``gettext(label)``."""

JOINTS = (
    "hip",
    "knee",
    "ankle",
    "shoulder",
    "elbow",
    "hip_out",
    "knee_out",
    "shoulder_out",
)
"""Limb angles of a key pose. Each has a near-side value and an optional ``far_`` value."""


class LibraryError(ValueError):
    """A content file is invalid; the message names the file and the field."""

    def __init__(self, source: str, field_path: str, problem: str) -> None:
        self.source = source
        self.field_path = field_path
        self.problem = problem
        super().__init__(f"{source}: {field_path}: {problem}")


@dataclass(frozen=True)
class Dose:
    """Default dosage: sets × reps, sets × hold seconds, or minutes (aerobic)."""

    dose_type: DoseType
    sets: int = 1
    reps: int | None = None
    hold_s: int | None = None
    duration_min: int | None = None
    rest_s: int = 30
    days_per_week: int = 7

    def describe(self) -> str:
        """A short human reading of the dose, e.g. "3 × 10 reps"."""
        if self.dose_type == "reps":
            body = f"{self.sets} × {self.reps} reps"
        elif self.dose_type == "hold":
            body = f"{self.sets} × {self.hold_s} s hold"
        else:
            body = f"{self.duration_min} min"
        return f"{body}, {self.days_per_week} days a week"


@dataclass(frozen=True)
class KeyPose:
    """One key position of an exercise, as joint angles seen from the side; the ``*_out``,
    ``twist`` and ``facing`` angles turn the body out of that view where it cannot show a movement.

    The figure faces right (+x). Angles are in degrees:

    - ``trunk_deg``: the trunk (pelvis to neck) from vertical. 0 upright; +90 head forward with the
      face down (prone, hands and knees); -90 head behind with the face up (supine).
    - ``neck_deg``: the head relative to the trunk; + tips the chin down.
    - ``hip_deg``: hip flexion; 0 thigh in line with the trunk, + thigh forward, - extension.
    - ``knee_deg``: knee flexion; 0 straight, + shank folds back behind the thigh.
    - ``ankle_deg``: 0 foot at a right angle to the shank, + toes up, - pointed.
    - ``shoulder_deg``: shoulder flexion; 0 arm along the trunk towards the feet, 90 forward at a
      right angle to the trunk, 180 overhead.
    - ``elbow_deg``: elbow flexion; 0 straight.
    - ``hip_out_deg``, ``shoulder_out_deg``: abduction; the leg or arm raised sideways, away
      from the body's midline.
    - ``knee_out_deg``: a bent leg turned out at the hip, the knee moving away from the midline
      about the line from hip to ankle while the foot stays put (a knee falling out to the side,
      a clam opening); 0 knee in line with the hip and foot.
    - ``spine_deg``: the back's curve between pelvis and shoulders; positive rounds it
      (flexion), negative hollows it (extension). The trunk line from hip to shoulder, from which
      every other angle is measured, stays where it is, so hands and knees stay put.
    - ``twist_deg``: the shoulders, arms and head turned on the pelvis about the trunk's long
      axis; + turns the chest towards the near side (towards the viewer when side-on).
    - ``facing_deg``: the whole body turned about its long axis; 0 side-on, the near side towards
      the viewer; 90 the front towards the viewer. A trunk at 90 facing 90 lies on its far side
      with the near side up, seen from the front: how a side-lying exercise is drawn.

    Each limb angle has a near-side value and a ``far_`` value (the limb further from the viewer),
    which defaults to the near one. ``support`` says what carries the body, so the drawing can
    place the figure on the floor, a chair seat, against a wall or on a Swiss ball.
    """

    name: str
    trunk_deg: float
    hip_deg: float = 0
    knee_deg: float = 0
    ankle_deg: float = 0
    shoulder_deg: float = 0
    elbow_deg: float = 0
    far_hip_deg: float = 0
    far_knee_deg: float = 0
    far_ankle_deg: float = 0
    far_shoulder_deg: float = 0
    far_elbow_deg: float = 0
    neck_deg: float = 0
    support: Support = "floor"
    hip_out_deg: float = 0
    knee_out_deg: float = 0
    shoulder_out_deg: float = 0
    far_hip_out_deg: float = 0
    far_knee_out_deg: float = 0
    far_shoulder_out_deg: float = 0
    spine_deg: float = 0
    twist_deg: float = 0
    facing_deg: float = 0


@dataclass(frozen=True)
class Exercise:
    """One exercise of the library."""

    slug: str
    name: str
    summary: str
    stages: tuple[Stage, ...]
    category: Category
    position: Position
    equipment: tuple[Equipment, ...]
    dose: Dose
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    cautions: tuple[str, ...]
    contraindications: tuple[str, ...]
    key_poses: tuple[KeyPose, ...]
    easier: str | None = None
    harder: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


def _require(raw: Mapping[str, Any], key: str, kind: type | tuple[type, ...], src: str) -> Any:
    if key not in raw:
        raise LibraryError(src, key, "is missing")
    value = raw[key]
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise LibraryError(src, key, f"must be {_kind_name(kind)}, got {type(value).__name__}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def _text(raw: Mapping[str, Any], key: str, src: str) -> str:
    value: str = _require(raw, key, str, src)
    if not value.strip():
        raise LibraryError(src, key, "must not be empty")
    return value.strip()


def _texts(raw: Mapping[str, Any], key: str, src: str, *, minimum: int = 0) -> tuple[str, ...]:
    if key not in raw and minimum == 0:
        return ()
    values = _require(raw, key, list, src)
    for i, v in enumerate(values):
        if not isinstance(v, str) or not v.strip():
            raise LibraryError(src, f"{key}[{i}]", "must be non-empty text")
    if len(values) < minimum:
        raise LibraryError(src, key, f"needs at least {minimum} entries")
    return tuple(v.strip() for v in values)


def _choice(value: Any, allowed: tuple[str, ...], src: str, path: str) -> Any:
    if value is None:
        raise LibraryError(src, path, "is missing")
    if value not in allowed:
        raise LibraryError(src, path, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _choices(
    raw: Mapping[str, Any], key: str, allowed: tuple[str, ...], src: str
) -> tuple[Any, ...]:
    values = _require(raw, key, list, src) if key in raw else []
    return tuple(_choice(v, allowed, src, f"{key}[{i}]") for i, v in enumerate(values))


def _int(
    raw: Mapping[str, Any], key: str, src: str, low: int, high: int, *, prefix: str = ""
) -> int:
    if key not in raw:
        raise LibraryError(src, prefix + key, "is missing")
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise LibraryError(src, prefix + key, f"must be int, got {type(value).__name__}")
    if not low <= value <= high:
        raise LibraryError(src, prefix + key, f"must be between {low} and {high}, got {value}")
    return value


def _parse_dose(raw: Any, src: str) -> Dose:
    if not isinstance(raw, dict):
        raise LibraryError(src, "dose", "must be a table")
    dose_type = _choice(raw.get("type"), DOSE_TYPES, src, "dose.type")
    amount = _DOSE_AMOUNT[dose_type]
    allowed = {"type", "sets", "rest_s", "days_per_week", amount}
    for key in raw:
        if key not in allowed:
            raise LibraryError(src, f"dose.{key}", f"is not a field of a {dose_type!r} dose")
    dose: dict[str, int | None] = {"reps": None, "hold_s": None, "duration_min": None}
    low, high = _DOSE_RANGE[amount]
    dose[amount] = _int(raw, amount, src, low, high, prefix="dose.")
    return Dose(
        dose_type=dose_type,
        sets=_int(raw, "sets", src, 1, 10, prefix="dose.") if "sets" in raw else 1,
        rest_s=_int(raw, "rest_s", src, 0, 600, prefix="dose.") if "rest_s" in raw else 30,
        days_per_week=(
            _int(raw, "days_per_week", src, 1, 7, prefix="dose.") if "days_per_week" in raw else 7
        ),
        **dose,
    )


_DOSE_AMOUNT: dict[str, str] = {"reps": "reps", "hold": "hold_s", "duration": "duration_min"}
_DOSE_RANGE = {"reps": (1, 100), "hold_s": (1, 600), "duration_min": (1, 120)}
_TOP_LEVEL = {
    "slug",
    "name",
    "summary",
    "stages",
    "category",
    "position",
    "equipment",
    "dose",
    "steps",
    "cues",
    "mistakes",
    "cautions",
    "contraindications",
    "key_poses",
    "easier",
    "harder",
    "tags",
}


_POSE_ANGLES = (
    "trunk_deg",
    "neck_deg",
    "spine_deg",
    "twist_deg",
    "facing_deg",
    *(f"{side}{joint}_deg" for side in ("", "far_") for joint in JOINTS),
)


def _parse_pose(raw: Any, src: str, index: int) -> KeyPose:
    path = f"key_poses[{index}]"
    if not isinstance(raw, dict):
        raise LibraryError(src, path, "must be a table")
    unknown = set(raw) - set(_POSE_ANGLES) - {"name", "support"}
    if unknown:
        raise LibraryError(src, f"{path}.{sorted(unknown)[0]}", "is not a key pose field")
    if "name" not in raw:
        raise LibraryError(src, f"{path}.name", "is missing")
    name = _text(raw, "name", src)
    angles: dict[str, float] = {}
    for key in _POSE_ANGLES:
        if key not in raw:
            continue
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise LibraryError(src, f"{path}.{key}", "must be a number of degrees")
        if not -180 <= value <= 180:
            raise LibraryError(src, f"{path}.{key}", "must be between -180 and 180 degrees")
        angles[key] = float(value)
    if "trunk_deg" not in angles:
        raise LibraryError(src, f"{path}.trunk_deg", "is missing")
    for joint in JOINTS:  # the far limb mirrors the near one unless told otherwise
        angles.setdefault(f"far_{joint}_deg", angles.get(f"{joint}_deg", 0.0))
    support = _choice(raw.get("support", "floor"), SUPPORTS, src, f"{path}.support")
    return KeyPose(name=name, support=support, **angles)


@dataclass(frozen=True)
class ExerciseText:
    """The words of one exercise in one language: what a patient reads, nothing else.

    English comes from the exercise file itself; another language from
    ``content/exercises/<language>/<slug>.toml`` (same lists, same lengths, same order).
    """

    name: str
    summary: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    cautions: tuple[str, ...]

    @classmethod
    def of(cls, exercise: Exercise) -> ExerciseText:
        """The exercise's own (English) words."""
        return cls(
            name=exercise.name,
            summary=exercise.summary,
            steps=exercise.steps,
            cues=exercise.cues,
            mistakes=exercise.mistakes,
            cautions=exercise.cautions,
        )


def parse_exercise(raw: Mapping[str, Any], source: str) -> Exercise:
    """Validate one exercise's parsed TOML; ``source`` (the file name) goes in every error."""
    unknown = sorted(set(raw) - _TOP_LEVEL)
    if unknown:
        raise LibraryError(source, unknown[0], "is not a field of an exercise")
    slug = _text(raw, "slug", source)
    if not slug.replace("-", "").isalnum() or slug.lower() != slug:
        raise LibraryError(source, "slug", "must be lower-case letters, digits and hyphens")
    stages = _choices(raw, "stages", STAGES, source)
    if not stages:
        raise LibraryError(source, "stages", "needs at least one stage")
    poses_raw = _require(raw, "key_poses", list, source)
    if not poses_raw:
        raise LibraryError(source, "key_poses", "needs at least one key pose")
    unknown_tags = [
        c for c in _texts(raw, "contraindications", source) if c not in CONTRAINDICATIONS
    ]
    if unknown_tags:
        raise LibraryError(
            source, "contraindications", f"{unknown_tags[0]!r} is not a known contraindication"
        )
    easier = raw.get("easier")
    harder = raw.get("harder")
    for key, link in (("easier", easier), ("harder", harder)):
        if link is not None and (not isinstance(link, str) or not link):
            raise LibraryError(source, key, "must be the slug of another exercise")
        if link == slug:
            raise LibraryError(source, key, "must not link the exercise to itself")
    return Exercise(
        slug=slug,
        name=_text(raw, "name", source),
        summary=_text(raw, "summary", source),
        stages=stages,
        category=_choice(raw.get("category"), CATEGORIES, source, "category"),
        position=_choice(raw.get("position"), POSITIONS, source, "position"),
        equipment=_choices(raw, "equipment", EQUIPMENT, source),
        dose=_parse_dose(raw.get("dose"), source),
        steps=_texts(raw, "steps", source, minimum=2),
        cues=_texts(raw, "cues", source, minimum=1),
        mistakes=_texts(raw, "mistakes", source, minimum=1),
        cautions=_texts(raw, "cautions", source, minimum=1),
        contraindications=_texts(raw, "contraindications", source),
        key_poses=tuple(_parse_pose(p, source, i) for i, p in enumerate(poses_raw)),
        easier=easier,
        harder=harder,
        tags=_texts(raw, "tags", source),
    )


def validate_library(exercises: Iterable[Exercise]) -> dict[str, Exercise]:
    """Check the library as a whole: unique slugs and resolvable easier/harder links."""
    by_slug: dict[str, Exercise] = {}
    for exercise in exercises:
        if exercise.slug in by_slug:
            raise LibraryError(exercise.slug, "slug", "is used by two exercises")
        by_slug[exercise.slug] = exercise
    for exercise in by_slug.values():
        for key, link in (("easier", exercise.easier), ("harder", exercise.harder)):
            if link is not None and link not in by_slug:
                raise LibraryError(exercise.slug, key, f"links to unknown exercise {link!r}")
    return by_slug


def load_library(folder: Path) -> dict[str, Exercise]:
    """Read and validate every ``*.toml`` file in ``folder``; the file name must match the slug."""
    exercises = []
    for path in sorted(folder.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise LibraryError(path.name, "(file)", f"is not valid TOML: {error}") from error
        exercise = parse_exercise(raw, path.name)
        if path.stem != exercise.slug:
            raise LibraryError(path.name, "slug", f"must match the file name ({path.stem!r})")
        exercises.append(exercise)
    return validate_library(exercises)


TEXT_FIELDS = ("name", "summary", "steps", "cues", "mistakes", "cautions")
"""The words a translation file holds: exactly these keys, nothing clinical (dose, poses, stages,
contraindications) — those stay in the English file, so a translation can never change what is
prescribed, only how it reads."""


def parse_translation(raw: Mapping[str, Any], source: str, exercise: Exercise) -> ExerciseText:
    """Validate one translation file against its English exercise; errors name file and field.

    Every list must have as many items as the English one, because item *i* is read as the
    translation of English item *i* (a missing caution would otherwise silently vanish).
    """
    unknown = sorted(set(raw) - set(TEXT_FIELDS))
    if unknown:
        raise LibraryError(source, unknown[0], "is not a field of a translation")
    name = _text(raw, "name", source)
    summary = _text(raw, "summary", source)
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("steps", "cues", "mistakes", "cautions"):
        english: tuple[str, ...] = getattr(exercise, key)
        values = _texts(raw, key, source, minimum=1)  # minimum: the key is required
        if len(values) != len(english):
            raise LibraryError(
                source, key, f"has {len(values)} entries but the English file has {len(english)}"
            )
        lists[key] = values
    return ExerciseText(
        name=name,
        summary=summary,
        steps=lists["steps"],
        cues=lists["cues"],
        mistakes=lists["mistakes"],
        cautions=lists["cautions"],
    )


def load_translations(
    folder: Path, library: Mapping[str, Exercise]
) -> dict[str, tuple[dict[str, Any], ExerciseText]]:
    """Read and validate every ``<slug>.toml`` translation in ``folder``, keyed by slug.

    Each value is the file's parsed TOML (to store) and its validated text. A file for a slug the
    library does not have is an error, so a renamed exercise cannot leave a stray translation. A
    missing folder means no translations (the English words are shown).
    """
    found: dict[str, tuple[dict[str, Any], ExerciseText]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.toml")):
        source = f"{folder.name}/{path.name}"
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise LibraryError(source, "(file)", f"is not valid TOML: {error}") from error
        exercise = library.get(path.stem)
        if exercise is None:
            raise LibraryError(source, "(file)", f"translates unknown exercise {path.stem!r}")
        found[path.stem] = (raw, parse_translation(raw, source, exercise))
    return found
