"""The exercise library's schema, and validation of its content files.

Each exercise lives in ``content/exercises/<slug>.toml`` written in the project's own words.
``parse_exercise`` checks one file's parsed TOML against the file's pydantic model
(``_ExerciseFile``; how errors read: ``backcare.core.content``) and turns it into an
:class:`Exercise`, or raises :class:`LibraryError` naming the file and the field.
``validate_library`` checks what no single file can: that every easier/harder link names an
exercise that exists.

A translation of an exercise's words lives in ``content/exercises/<language>/<slug>.toml`` and
holds exactly the :data:`TEXT_FIELDS`; ``parse_translation`` checks it against the English file
(item *i* of each list translates item *i*), and ``load_translations`` reads one language's folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field, model_validator

from backcare.core.content import (
    ContentModel,
    Degrees,
    LibraryError,
    Text,
    problem,
    read_toml,
    validate,
)

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


def _slug(text: str) -> str:
    if not text.replace("-", "").isalnum() or not text.isascii() or text.lower() != text:
        raise problem("must be lower-case letters, digits and hyphens, got {text}", text=repr(text))
    return text


def _contraindication(tag: str) -> str:
    if tag not in CONTRAINDICATIONS:
        raise problem("{tag} is not a known contraindication", tag=repr(tag))
    return tag


Slug = Annotated[str, AfterValidator(_slug)]
Contraindication = Annotated[str, AfterValidator(_contraindication)]

_DOSE_AMOUNT: dict[DoseType, str] = {"reps": "reps", "hold": "hold_s", "duration": "duration_min"}


class _DoseFile(ContentModel):
    """The ``[dose]`` table: its ``type`` says which one amount it holds."""

    what = "a dose"
    type: DoseType
    sets: int = Field(1, ge=1, le=10)
    rest_s: int = Field(30, ge=0, le=600)
    days_per_week: int = Field(7, ge=1, le=7)
    reps: int | None = Field(None, ge=1, le=100)
    hold_s: int | None = Field(None, ge=1, le=600)
    duration_min: int | None = Field(None, ge=1, le=120)

    @model_validator(mode="after")
    def _one_amount(self) -> _DoseFile:
        amount = _DOSE_AMOUNT[self.type]
        if getattr(self, amount) is None:
            raise problem("is missing", key=amount)
        for other in sorted(set(_DOSE_AMOUNT.values()) - {amount}):
            if getattr(self, other) is not None:
                raise problem("is not a field of a {kind} dose", key=other, kind=repr(self.type))
        return self

    def to_dose(self) -> Dose:
        return Dose(
            dose_type=self.type,
            sets=self.sets,
            reps=self.reps,
            hold_s=self.hold_s,
            duration_min=self.duration_min,
            rest_s=self.rest_s,
            days_per_week=self.days_per_week,
        )


class _PoseFile(ContentModel):
    """A ``[[key_poses]]`` table; a far limb's angle left out is the near limb's."""

    what = "a key pose"
    name: Text
    support: Support = "floor"
    trunk_deg: Degrees
    neck_deg: Degrees = 0
    spine_deg: Degrees = 0
    twist_deg: Degrees = 0
    facing_deg: Degrees = 0
    hip_deg: Degrees = 0
    knee_deg: Degrees = 0
    ankle_deg: Degrees = 0
    shoulder_deg: Degrees = 0
    elbow_deg: Degrees = 0
    hip_out_deg: Degrees = 0
    knee_out_deg: Degrees = 0
    shoulder_out_deg: Degrees = 0
    far_hip_deg: Degrees | None = None
    far_knee_deg: Degrees | None = None
    far_ankle_deg: Degrees | None = None
    far_shoulder_deg: Degrees | None = None
    far_elbow_deg: Degrees | None = None
    far_hip_out_deg: Degrees | None = None
    far_knee_out_deg: Degrees | None = None
    far_shoulder_out_deg: Degrees | None = None

    def to_pose(self) -> KeyPose:
        angles = self.model_dump(exclude={"name", "support"})
        for joint in JOINTS:  # the far limb mirrors the near one unless told otherwise
            if angles[f"far_{joint}_deg"] is None:
                angles[f"far_{joint}_deg"] = angles[f"{joint}_deg"]
        return KeyPose(name=self.name, support=self.support, **angles)


class _ExerciseFile(ContentModel):
    """A whole ``content/exercises/<slug>.toml`` file."""

    what = "an exercise"
    slug: Slug
    name: Text
    summary: Text
    stages: list[Stage] = Field(min_length=1)
    category: Category
    position: Position
    equipment: list[Equipment] = []
    dose: _DoseFile
    steps: list[Text] = Field(min_length=2)
    cues: list[Text] = Field(min_length=1)
    mistakes: list[Text] = Field(min_length=1)
    cautions: list[Text] = Field(min_length=1)
    contraindications: list[Contraindication] = []
    key_poses: list[_PoseFile] = Field(min_length=1)
    easier: Slug | None = None
    harder: Slug | None = None
    tags: list[Text] = []

    @model_validator(mode="after")
    def _no_link_to_itself(self) -> _ExerciseFile:
        for key, link in (("easier", self.easier), ("harder", self.harder)):
            if link == self.slug:
                raise problem("must not link the exercise to itself", key=key)
        return self


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
    file = validate(_ExerciseFile, raw, source)
    return Exercise(
        slug=file.slug,
        name=file.name,
        summary=file.summary,
        stages=tuple(file.stages),
        category=file.category,
        position=file.position,
        equipment=tuple(file.equipment),
        dose=file.dose.to_dose(),
        steps=tuple(file.steps),
        cues=tuple(file.cues),
        mistakes=tuple(file.mistakes),
        cautions=tuple(file.cautions),
        contraindications=tuple(file.contraindications),
        key_poses=tuple(pose.to_pose() for pose in file.key_poses),
        easier=file.easier,
        harder=file.harder,
        tags=tuple(file.tags),
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
        exercise = parse_exercise(read_toml(path, path.name), path.name)
        if path.stem != exercise.slug:
            raise LibraryError(path.name, "slug", f"must match the file name ({path.stem!r})")
        exercises.append(exercise)
    return validate_library(exercises)


TEXT_FIELDS = ("name", "summary", "steps", "cues", "mistakes", "cautions")
"""The words a translation file holds: exactly these keys, nothing clinical (dose, poses, stages,
contraindications) — those stay in the English file, so a translation can never change what is
prescribed, only how it reads."""


class _TranslationFile(ContentModel):
    """A whole ``content/exercises/<language>/<slug>.toml`` file: the :data:`TEXT_FIELDS`."""

    what = "a translation"
    name: Text
    summary: Text
    steps: list[Text] = Field(min_length=1)
    cues: list[Text] = Field(min_length=1)
    mistakes: list[Text] = Field(min_length=1)
    cautions: list[Text] = Field(min_length=1)


def parse_translation(raw: Mapping[str, Any], source: str, exercise: Exercise) -> ExerciseText:
    """Validate one translation file against its English exercise; errors name file and field.

    Every list must have as many items as the English one, because item *i* is read as the
    translation of English item *i* (a missing caution would otherwise silently vanish).
    """
    file = validate(_TranslationFile, raw, source)
    for key in ("steps", "cues", "mistakes", "cautions"):
        given: list[str] = getattr(file, key)
        english: tuple[str, ...] = getattr(exercise, key)
        if len(given) != len(english):
            raise LibraryError(
                source, key, f"has {len(given)} entries but the English file has {len(english)}"
            )
    return ExerciseText(
        name=file.name,
        summary=file.summary,
        steps=tuple(file.steps),
        cues=tuple(file.cues),
        mistakes=tuple(file.mistakes),
        cautions=tuple(file.cautions),
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
        raw = read_toml(path, source)
        exercise = library.get(path.stem)
        if exercise is None:
            raise LibraryError(source, "(file)", f"translates unknown exercise {path.stem!r}")
        found[path.stem] = (raw, parse_translation(raw, source, exercise))
    return found
