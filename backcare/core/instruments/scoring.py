"""Scoring rules: answers keyed by item → a score with its unit, range, direction and notes.

Each rule knows only the structure of its instrument (how many items, what each answer may be,
how they add up), never an item's wording: the text belongs to the instrument's owner and is
imported by the deploying clinic (DESIGN §6). Items are named by position: ``item1`` … ``itemN``,
and ``activity1`` … ``activity5`` for the patient-named activities of the PSFS.

Answers arrive keyed by the clinic's questionnaire link-ids; ``apply_mapping`` turns them into
item keys, and ``ScoringRule.score`` checks and scores them. An answer is

- for a yes/no item: ``True`` (yes / agree) or ``False``; 1 and 0 are accepted too;
- for a scale item: a whole number (``3`` or ``3.0``) within the item's range; for a scale of
  labelled options, the option's position counted from 0 (the least severe option).

``None`` or a missing key means not answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from backcare.core.prescribing import RiskGroup

__all__ = [
    "CODES",
    "ODI_MIN_ANSWERED",
    "ODI_SECTION_MAX",
    "PSFS_MAX_ACTIVITIES",
    "RULES",
    "START_BACK_BOTHERSOME_FROM",
    "START_BACK_HIGH_MIN_PSYCHOSOCIAL",
    "START_BACK_LOW_MAX_TOTAL",
    "START_BACK_PSYCHOSOCIAL_ITEMS",
    "URN_PREFIX",
    "AnswerKind",
    "Code",
    "Item",
    "Score",
    "ScoringError",
    "ScoringRule",
    "Unit",
    "apply_mapping",
    "find_rule",
    "start_back_risk",
]

Code = Literal["start_back", "odi", "rmdq", "peg", "psfs"]
CODES: tuple[Code, ...] = get_args(Code)
"""Stable codes of the scoring rules; stored with every score, so they never change."""

AnswerKind = Literal["yes_no", "scale"]
Unit = Literal["points", "%", "mean 0–10"]

URN_PREFIX = "urn:backcare:instrument:"
"""Canonical URL of each rule (``urn:backcare:instrument:<code>``). A clinic's imported FHIR
Questionnaire can name it in ``derivedFrom``; a clinic's own canonical URLs are matched through
``find_rule(..., clinic_urls=...)``. No owner publishes an official FHIR canonical for these
instruments, so we do not invent one in their name."""


class ScoringError(ValueError):
    """An answer that cannot be scored, naming the item it belongs to."""

    def __init__(self, item: str, problem: str) -> None:
        super().__init__(f"{item}: {problem}")
        self.item = item
        self.problem = problem


@dataclass(frozen=True)
class Item:
    """One item's structure: its key, the kind of answer and the range of a scale answer."""

    key: str
    kind: AnswerKind
    high: int = 1
    required: bool = True
    low: int = 0


@dataclass(frozen=True)
class Score:
    """A scored questionnaire: the value on its scale, what the scale means, and how it was got."""

    code: Code
    value: float
    unit: Unit
    range: tuple[float, float]
    higher_is_worse: bool
    subscales: Mapping[str, float]
    interpretation: str | None
    answered: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Result:
    value: float
    subscales: Mapping[str, float] = field(default_factory=dict)
    interpretation: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoringRule:
    """How one instrument is scored. ``min_answered`` counts the items that must be answered."""

    code: Code
    name: str
    items: tuple[Item, ...]
    unit: Unit
    range: tuple[float, float]
    higher_is_worse: bool
    min_answered: int
    source: str
    compute: Callable[[Mapping[str, int]], _Result] = field(repr=False, compare=False)

    @property
    def canonical_urls(self) -> tuple[str, ...]:
        """The canonical URLs this rule answers to."""
        return (URN_PREFIX + self.code,)

    def validate(self, answers: Mapping[str, object]) -> tuple[ScoringError, ...]:
        """Every problem with the answers: unknown keys, then item by item (empty if scorable)."""
        return self._read(answers)[1]

    def score(self, answers: Mapping[str, object]) -> Score:
        """Score answers keyed by item; raises the first ``ScoringError`` when they are invalid."""
        values, errors = self._read(answers)
        if errors:
            raise errors[0]
        result = self.compute(values)
        return Score(
            code=self.code,
            value=result.value,
            unit=self.unit,
            range=self.range,
            higher_is_worse=self.higher_is_worse,
            subscales=result.subscales,
            interpretation=result.interpretation,
            answered=len(values),
            notes=result.notes,
        )

    def _read(
        self, answers: Mapping[str, object]
    ) -> tuple[dict[str, int], tuple[ScoringError, ...]]:
        keys = {item.key for item in self.items}
        errors = [
            ScoringError(key, f"not an item of {self.name}") for key in answers if key not in keys
        ]
        values: dict[str, int] = {}
        for item in self.items:
            raw = answers.get(item.key)
            if raw is None:
                if item.required:
                    errors.append(ScoringError(item.key, "required but not answered"))
                continue
            try:
                values[item.key] = _read_answer(item, raw)
            except ScoringError as error:
                errors.append(error)
        unanswered = [item.key for item in self.items if answers.get(item.key) is None]
        if not errors and len(values) < self.min_answered:
            errors.append(
                ScoringError(
                    unanswered[0],
                    f"not answered; {self.name} needs at least {self.min_answered} of "
                    f"{len(self.items)} items answered, got {len(values)}",
                )
            )
        return values, tuple(errors)


def _read_answer(item: Item, raw: object) -> int:
    if item.kind == "yes_no" and isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, bool):
        raise ScoringError(item.key, f"expected a whole number {item.low}–{item.high}, got yes/no")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if not isinstance(raw, int):
        expected = "yes/no (true/false)" if item.kind == "yes_no" else "a whole number"
        shown = repr(raw) if isinstance(raw, float) else type(raw).__name__
        raise ScoringError(item.key, f"expected {expected}, got {shown}")
    if not item.low <= raw <= item.high:
        raise ScoringError(item.key, f"{raw} is out of range {item.low}–{item.high}")
    return raw


def apply_mapping(
    answers_by_link_id: Mapping[str, object], mapping: Mapping[str, str]
) -> dict[str, object]:
    """Re-key answers from the clinic's link-ids to item keys (``mapping``: link-id → item key).

    Link-ids the mapping does not name are left out: a clinic's form may carry questions that are
    not scored (a date, a comment); ``None`` answers are left out as unanswered. Two answered
    link-ids landing on one item is a mapping fault.
    """
    by_item: dict[str, object] = {}
    link_of: dict[str, str] = {}
    for link_id, answer in answers_by_link_id.items():
        key = mapping.get(link_id)
        if key is None or answer is None:
            continue
        if key in by_item:
            raise ScoringError(
                key,
                f"answered by two link-ids ({link_of[key]!r} and {link_id!r}); check the mapping",
            )
        by_item[key] = answer
        link_of[key] = link_id
    return by_item


def find_rule(reference: str, *, clinic_urls: Mapping[str, str] | None = None) -> ScoringRule:
    """The rule for a code or canonical URL (``|version`` ignored); ``clinic_urls`` maps a
    clinic's own Questionnaire canonical URLs to codes."""
    url = reference.split("|", 1)[0]
    code = (clinic_urls or {}).get(url, url)
    code = code.removeprefix(URN_PREFIX)
    if code not in RULES:
        raise LookupError(f"no scoring rule for {reference!r}")
    return RULES[code]


def _keys(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(1, count + 1))


# --- STarT Back ------------------------------------------------------------------------------

_START_BACK_SOURCE = (
    "Hill JC et al. Arthritis Rheum 2008;59(5):632-641 (development and scoring); Hill JC et al. "
    "Lancet 2011;378:1560-1571 (stratified care). Instrument © Keele University."
)

START_BACK_BOTHERSOME_FROM = 3
"""Item 9 (bothersomeness, five options scored 0–4 by position) counts 1 point from its fourth
option on: the top two of the five options score 1, the rest 0 (Hill et al. 2008)."""

START_BACK_PSYCHOSOCIAL_ITEMS: tuple[str, ...] = _keys("item", 9)[4:]
"""Items 5–9 form the psychosocial subscale (0–5): fear, anxiety, catastrophising, low mood and
bothersomeness (Hill et al. 2008)."""

START_BACK_LOW_MAX_TOTAL = 3
"""A total of 0–3 is low risk (Hill et al. 2008 cut-offs, used in the STarT Back trial, 2011)."""

START_BACK_HIGH_MIN_PSYCHOSOCIAL = 4
"""With a total of 4 or more, a psychosocial subscale of 4–5 is high risk and 0–3 medium risk
(Hill et al. 2008). High-risk patients did better with psychologically informed physiotherapy
(Hill et al. 2011)."""


def start_back_risk(total: int, psychosocial: int) -> RiskGroup:
    """STarT Back risk group from the total (0–9) and the psychosocial subscale (0–5)."""
    if total <= START_BACK_LOW_MAX_TOTAL:
        return "low"
    if psychosocial >= START_BACK_HIGH_MIN_PSYCHOSOCIAL:
        return "high"
    return "medium"


def _start_back(values: Mapping[str, int]) -> _Result:
    points = dict(values)
    points["item9"] = int(values["item9"] >= START_BACK_BOTHERSOME_FROM)
    total = sum(points.values())
    psychosocial = sum(points[key] for key in START_BACK_PSYCHOSOCIAL_ITEMS)
    return _Result(
        value=float(total),
        subscales={"psychosocial": float(psychosocial)},
        interpretation=start_back_risk(total, psychosocial),
    )


# --- Oswestry Disability Index ---------------------------------------------------------------

ODI_SECTION_MAX = 5
"""Each of the ten ODI sections scores 0–5 (Fairbank & Pynsent 2000)."""

ODI_MIN_ANSWERED = 8
"""At least 8 of the 10 sections must be answered. Fairbank & Pynsent 2000 score a missed (or
not applicable) section by dropping it from the denominator, total / (5 × sections answered);
the section most often left out is the sex-life one. They set no hard limit; we accept up to two
missing so the percentage still rests on most of the disability picture and stays comparable
between visits. Practice default."""


def _odi(values: Mapping[str, int]) -> _Result:
    answered = len(values)
    missing = [key for key in _keys("item", 10) if key not in values]
    notes: tuple[str, ...] = ()
    if missing:
        notes = (
            f"{len(missing)} of 10 sections unanswered ({', '.join(missing)}); the percentage "
            f"is of the {answered} answered.",
        )
    return _Result(value=sum(values.values()) / (ODI_SECTION_MAX * answered) * 100, notes=notes)


# --- PSFS ------------------------------------------------------------------------------------

PSFS_MAX_ACTIVITIES = 5
"""The patient names one to five activities they find hard and rates each 0–10 (0 = unable,
10 = as before the problem); the score is the mean (Stratford et al. 1995). Follow-up ratings
must be of the same activities for the change to mean anything."""


def _mean(values: Mapping[str, int]) -> _Result:
    return _Result(value=sum(values.values()) / len(values))


RULES: Mapping[str, ScoringRule] = {
    rule.code: rule
    for rule in (
        ScoringRule(
            code="start_back",
            name="STarT Back",
            items=(
                *(Item(key, "yes_no") for key in _keys("item", 8)),
                Item("item9", "scale", high=4),
            ),
            unit="points",
            range=(0, 9),
            higher_is_worse=True,
            min_answered=9,
            source=_START_BACK_SOURCE,
            compute=_start_back,
        ),
        ScoringRule(
            code="odi",
            name="Oswestry Disability Index 2.1a",
            items=tuple(
                Item(key, "scale", high=ODI_SECTION_MAX, required=False)
                for key in _keys("item", 10)
            ),
            unit="%",
            range=(0, 100),
            higher_is_worse=True,
            min_answered=ODI_MIN_ANSWERED,
            source=(
                "Fairbank JCT, Pynsent PB. Spine 2000;25(22):2940-2952. Instrument © J Fairbank."
            ),
            compute=_odi,
        ),
        ScoringRule(
            code="rmdq",
            name="Roland-Morris Disability Questionnaire",
            items=tuple(Item(key, "yes_no") for key in _keys("item", 24)),
            unit="points",
            range=(0, 24),
            higher_is_worse=True,
            min_answered=24,
            source=(
                "Roland M, Morris R. Spine 1983;8(2):141-144. The paper form counts an unticked "
                "statement as no; an electronic form records every answer, so a missing one is "
                "an error rather than a silent no."
            ),
            compute=lambda values: _Result(value=float(sum(values.values()))),
        ),
        ScoringRule(
            code="peg",
            name="PEG",
            items=tuple(Item(key, "scale", high=10) for key in _keys("item", 3)),
            unit="mean 0–10",
            range=(0, 10),
            higher_is_worse=True,
            min_answered=3,
            source="Krebs EE et al. J Gen Intern Med 2009;24(6):733-738.",
            compute=_mean,
        ),
        ScoringRule(
            code="psfs",
            name="Patient-Specific Functional Scale",
            items=tuple(
                Item(key, "scale", high=10, required=False)
                for key in _keys("activity", PSFS_MAX_ACTIVITIES)
            ),
            unit="mean 0–10",
            range=(0, 10),
            higher_is_worse=False,
            min_answered=1,
            source="Stratford P et al. Physiother Can 1995;47(4):258-263.",
            compute=_mean,
        ),
    )
}
"""The registry: one scoring rule per instrument, keyed by its stable code."""
