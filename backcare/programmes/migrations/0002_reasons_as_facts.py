"""Reasons and notes become facts: the English sentences stored so far are read back into the
facts the prescribing core now returns (``{"code", "params"}``), so old programmes read in the
reader's language too. A sentence not recognised is kept as it was, as a string, and shown as it
is: nothing stored is lost.

The patterns are the sentences the prescribing core wrote before this migration, copied here so
the migration keeps working whatever the core says later.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations, models

HELP = (
    "Why, as a fact from the prescribing core ({'code', 'params'}), worded when shown; or the "
    "text of a reason older than facts that could not be read as one, shown as it is."
)

KINDS = {
    "Motor control": "motor_control",
    "Strength": "strength",
    "Mind-body work": "mind_body",
    "Mobility warm-up": "mobility",
    "Stretch (an adjunct)": "stretch",
    "Aerobic activity": "aerobic",
}
STAGES = ("initial", "intermediate", "advanced")
EQUIPMENT = ("wall", "chair", "swiss_ball", "band", "bike", "pool")
POSITIONS = ("standing", "sitting", "supine", "prone", "quadruped", "side_lying")
CATEGORIES = ("strength", "motor_control", "mobility", "stretch", "aerobic", "mind_body")
CAUTIONS = {
    "acute_radicular_pain": "Leg pain spreading below the knee that is worse with this movement",
    "recent_spinal_surgery": "Spinal surgery in the last 12 weeks",
    "osteoporosis": "Osteoporosis or low bone density",
    "pregnancy": "Pregnancy (past the first trimester)",
    "knee_pain": "Painful or unstable knee",
    "shoulder_pain": "Painful shoulder when loading the arms",
    "wrist_pain": "Painful wrist when taking weight on the hands",
    "poor_balance": "Poor balance or a recent fall",
    "uncontrolled_hypertension": "Uncontrolled high blood pressure",
    "extension_intolerant": "Back pain that is worse bending backwards",
    "flexion_intolerant": "Back pain that is worse bending forwards",
    "open_wounds_or_infection": "Open wounds or skin infection (no pool)",
}
CAUTION_BY_WORDS = {text.lower(): code for code, text in CAUTIONS.items()}

Fact = dict[str, Any]


def fact(code: str, **params: Any) -> Fact:
    return {"code": code, "params": params}


def item_fact(text: str) -> Fact | str:
    """An exercise's reason as a fact, or the text when it is not one the core wrote."""
    if not text:
        return {}
    if text == "Added by the clinician.":
        return fact("added")
    first, *rest = text.split("; ")
    match = re.fullmatch(
        r"(?P<kind>.+?) (?:for the (?P<stage>\w+) stage|from the (?P<earlier>\w+) stage, "
        r"as few (?P<own>\w+)-stage exercises fit)",
        first,
    )
    if match is None or match["kind"] not in KINDS:
        return text
    stage = match["stage"] or match["own"]
    params: dict[str, Any] = {
        "category": KINDS[match["kind"]], "stage": stage, "from_stage": match["earlier"],
        "preferred": False, "floor_free": False, "equipment": [], "high_risk": False,
    }
    if stage not in STAGES or (match["earlier"] or "initial") not in STAGES:
        return text
    for part in rest:
        if part == "the patient prefers this kind of work":
            params["preferred"] = True
        elif part == "floor-free option because the patient cannot lie down":
            params["floor_free"] = True
        elif part == "lighter start for high risk":
            params["high_risk"] = True
        elif uses := re.fullmatch(r"uses the (.+) the patient has", part):
            codes = [words.replace(" ", "_") for words in uses[1].split(", ")]
            if not set(codes) <= set(EQUIPMENT):
                return text
            params["equipment"] = codes
        else:
            return text
    return fact("exercise", **params)


AEROBIC = re.compile(
    r"(?P<why>The patient's preferred activity|Needs no equipment|Fits the patient's "
    r"constraints); (?P<minutes>\d+) min on (?P<days>\d+) days a week \(\d+ min\) to start, "
    r"building toward (?P<low>\d+) to (?P<high>\d+) min a week of moderate activity \(WHO 2020\)"
    r"(?P<shorter>; shorter start for high risk)?"
)
CHOICES = {
    "The patient's preferred activity": "preferred",
    "Needs no equipment": "no_equipment",
    "Fits the patient's constraints": "fits",
}


def aerobic_fact(text: str, activity: str | None) -> Fact | str:
    """The aerobic reason as a fact, or the text when it is not one the core wrote."""
    if not text:
        return {}
    match = AEROBIC.fullmatch(text)
    if match is None or activity is None:
        return text
    return fact(
        "aerobic", choice=CHOICES[match["why"]], activity=activity,
        minutes=int(match["minutes"]), days=int(match["days"]), target_min=int(match["low"]),
        target_max=int(match["high"]), high_risk_shorter=bool(match["shorter"]),
    )


def constraint(words: str) -> tuple[str, list[str]] | None:
    """A left-out exercise's reason as the rule and its codes."""
    if words == "removed by the clinician or patient":
        return "excluded_by_request", []
    if words.startswith("not suitable with "):
        labels = words.removeprefix("not suitable with ").split("; ")
        codes = [CAUTION_BY_WORDS.get(label) for label in labels]
        return None if None in codes else ("contraindication", codes)  # type: ignore[return-value]
    if position := re.fullmatch(r"the patient cannot take the (\S+) position", words):
        code = position[1].replace("-", "_")
        return ("position", [code]) if code in POSITIONS else None
    if needs := re.fullmatch(r"needs (.+), which the patient does not have", words):
        codes = [part.replace(" ", "_") for part in needs[1].split(" and ")]
        return ("equipment", codes) if set(codes) <= set(EQUIPMENT) else None
    return None


NOTES: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(
            r"Left out (?P<slugs>.+): with too few other exercises, stretches would make up the "
            r"programme, and stretching alone does not help \(Owen et al\. 2020\)\."
        ),
        lambda m: fact("stretches_need_company", slugs=m["slugs"].split(", ")),
    ),
    (
        re.compile(r"Left out (?P<slugs>[^:]+): (?P<why>.+)\."),
        lambda m: (
            (found := constraint(m["why"]))
            and fact("left_out", rule=found[0], slugs=m["slugs"].split(", "), detail=found[1])
        ),
    ),
    (
        re.compile(
            r"At most (?P<n>\d+) stretches: stretching alone works no better than no treatment "
            r"\(Owen et al\. 2020\), so stretches are only adjuncts\."
        ),
        lambda m: fact("stretch_cap", max_stretches=int(m["n"])),
    ),
    (
        re.compile(
            r"Few (?P<stage>\w+)-stage exercises fit, so these come from an earlier stage: "
            r"(?P<slugs>.+)\."
        ),
        lambda m: (
            m["stage"] in STAGES
            and fact("earlier_stage_fill", stage=m["stage"], slugs=m["slugs"].split(", "))
        ),
    ),
    (
        re.compile(
            r"Only (?P<n>\d+) exercises fit this stage and the patient's constraints \(the aim "
            r"is (?P<min>\d+) to (?P<max>\d+)\); add suitable ones by hand or review the "
            r"constraints\."
        ),
        lambda m: fact(
            "too_few_candidates", count=int(m["n"]), min=int(m["min"]), max=int(m["max"])
        ),
    ),
    (
        re.compile(
            r"No (?P<kind>.+) exercise fits the patient's constraints, so that preference could "
            r"not be met\."
        ),
        lambda m: (
            (code := m["kind"].replace("-", "_").replace(" ", "_")) in CATEGORIES
            and fact("preference_unmet", category=code)
        ),
    ),
    (
        re.compile(
            r"High risk \(STarT Back\): fewer exercises and a lighter dose to start; build up "
            r"steadily as confidence grows\."
        ),
        lambda m: fact("high_risk_lighter_dose"),
    ),
    (
        re.compile(
            r"High risk: combine this programme with psychologically informed care, such as a "
            r"cognitive behavioural approach \(NICE NG59; Hill et al\. 2011 STarT Back\)\."
        ),
        lambda m: fact("high_risk_psychological_care"),
    ),
    (
        re.compile(r"Preferred activity (?P<slug>\S+) not used: (?P<why>.+)\."),
        lambda m: _preference_unused(m["slug"], m["why"]),
    ),
    (
        re.compile(
            r"No aerobic activity fits this stage and the patient's constraints; agree one with "
            r"the patient \(aim: (?P<low>\d+) to (?P<high>\d+) min a week in the long run, WHO "
            r"2020\)\."
        ),
        lambda m: fact("no_aerobic", target_min=int(m["low"]), target_max=int(m["high"])),
    ),
]
"""Each note the core wrote, and the fact it becomes (a false value: not recognised)."""


def _preference_unused(slug: str, why: str) -> Fact | None:
    params: dict[str, Any] = {"activity": slug, "stage": None, "detail": []}
    if why == "it is not an aerobic activity in the library":
        return fact("aerobic_preference_unused", **params, why="not_aerobic")
    if stage := re.fullmatch(r"it is not an? (\w+)-stage activity", why):
        if stage[1] not in STAGES:
            return None
        return fact("aerobic_preference_unused", **params | {"stage": stage[1]}, why="not_stage")
    found = constraint(why)
    if found is None:
        return None
    return fact("aerobic_preference_unused", **params | {"detail": found[1]}, why=found[0])


def note_fact(note: Any) -> Fact | str:
    """A proposal note as a fact, or the note as it was when it is not one the core wrote."""
    if not isinstance(note, str):
        return note
    for pattern, to_fact in NOTES:
        if (match := pattern.fullmatch(note)) is not None:
            return to_fact(match) or note
    return note


def to_facts(apps: Any, schema_editor: Any) -> None:
    Programme = apps.get_model("programmes", "Programme")
    ProgrammeItem = apps.get_model("programmes", "ProgrammeItem")
    for item in ProgrammeItem.objects.all().iterator():
        item.reason_fact = item_fact(item.reason)
        item.save(update_fields=["reason_fact"])
    for programme in Programme.objects.select_related("aerobic_exercise").iterator():
        activity = programme.aerobic_exercise.slug if programme.aerobic_exercise else None
        programme.aerobic_reason_fact = aerobic_fact(programme.aerobic_reason, activity)
        programme.notes = [note_fact(note) for note in programme.notes]
        programme.save(update_fields=["aerobic_reason_fact", "notes"])


def to_text(apps: Any, schema_editor: Any) -> None:
    """Back to text fields, only while no reason is a fact: a fact needs today's code to be
    worded, and blanking it would lose why each exercise was chosen. With facts stored, going
    back is refused; restore the backup taken before the upgrade (``backcare restore``)."""
    Programme = apps.get_model("programmes", "Programme")
    ProgrammeItem = apps.get_model("programmes", "ProgrammeItem")
    facts = any(not isinstance(i.reason_fact, str) and i.reason_fact
                for i in ProgrammeItem.objects.all().iterator()) or any(
        (not isinstance(p.aerobic_reason_fact, str) and p.aerobic_reason_fact)
        or any(not isinstance(note, str) for note in p.notes)
        for p in Programme.objects.all().iterator()
    )
    if facts:
        raise RuntimeError(
            "Programme reasons are stored as facts since this version; going back would lose "
            "their words. Restore the backup taken before the upgrade (backcare restore)."
        )
    for item in ProgrammeItem.objects.all().iterator():
        item.reason = (item.reason_fact or "")[:300]
        item.save(update_fields=["reason"])
    for programme in Programme.objects.all().iterator():
        programme.aerobic_reason = (programme.aerobic_reason_fact or "")[:300]
        programme.save(update_fields=["aerobic_reason"])


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="programmeitem",
            name="reason_fact",
            field=models.JSONField(blank=True, default=dict, help_text=HELP),
        ),
        migrations.AddField(
            model_name="programme",
            name="aerobic_reason_fact",
            field=models.JSONField(blank=True, default=dict, help_text=HELP),
        ),
        migrations.RunPython(to_facts, to_text),
        migrations.RemoveField(model_name="programmeitem", name="reason"),
        migrations.RemoveField(model_name="programme", name="aerobic_reason"),
        migrations.RenameField(
            model_name="programmeitem", old_name="reason_fact", new_name="reason"
        ),
        migrations.RenameField(
            model_name="programme", old_name="aerobic_reason_fact", new_name="aerobic_reason"
        ),
        migrations.AlterField(
            model_name="programme",
            name="notes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Notes from the proposal, each stored as a reason is.",
            ),
        ),
    ]
