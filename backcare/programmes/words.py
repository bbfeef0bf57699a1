"""A programme's reasons and notes in words, in the reader's language.

The prescribing core returns facts (``core.prescribing.Fact``: what, and the figures behind it)
and the programme stores them as JSON; ``say`` writes the sentence when it is shown, so an old
programme reads in a newly chosen language too. The clinician's wording names the rule and its
source; the patient's says what it means for them (``Audience``). Exercise names come from the
localised library (``Exercise.local``), codes from ``library.labels``. A reason stored as text
before reasons were facts, and not recognised when they were converted, is shown as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from backcare.library.labels import label, labels
from backcare.library.models import Exercise

__all__ = ["Audience", "exercise_names", "say"]

Audience = Literal["clinician", "patient"]

_PURPOSE = {
    "motor_control": (
        gettext_lazy("Motor control"),
        gettext_lazy("Trains the deep muscles that steady your back"),
    ),
    "strength": (gettext_lazy("Strength"), gettext_lazy("Builds strength")),
    "mind_body": (
        gettext_lazy("Mind-body work"),
        gettext_lazy("Slow, controlled work for body and breath"),
    ),
    "mobility": (gettext_lazy("Mobility warm-up"), gettext_lazy("Warms up and loosens your back")),
    "stretch": (gettext_lazy("Stretch (an adjunct)"), gettext_lazy("A stretch to finish with")),
    "aerobic": (gettext_lazy("Aerobic activity"), gettext_lazy("Gets you moving")),
}
"""What each category of exercise is for: the clinician's word, the patient's sentence."""


def say(stored: Any, who: Audience = "clinician") -> str:
    """A stored reason or note as a sentence in the active language.

    ``stored`` is a fact (``{"code": ..., "params": {...}}``) or, for a record older than facts,
    its text, shown as it was. Notes are written for the clinician; they read the same for both.
    """
    if isinstance(stored, str):
        return stored
    if not isinstance(stored, Mapping) or not stored:
        return ""
    write = _WRITERS[stored["code"]]
    return write(stored.get("params", {}), who)


def exercise_names(slugs: Iterable[str]) -> str:
    """Exercises by their names in the active language, in the order given."""
    slugs = list(slugs)
    found = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
    return ", ".join(found[s].local.name if s in found else _humane(s) for s in slugs)


def _humane(slug: str) -> str:
    """A slug no longer in the library, as words: ``side-plank`` → "Side plank"."""
    return slug.replace("-", " ").replace("_", " ").capitalize()


def _stage(code: str) -> str:
    """A stage inside a sentence ("the intermediate stage")."""
    return label(code).lower()


def _exercise(p: Mapping[str, Any], who: Audience) -> str:
    clinician, patient = _PURPOSE.get(p["category"], (label(p["category"]),) * 2)
    numbers = {"stage": _stage(p["stage"]), "from_stage": _stage(p.get("from_stage") or "")}
    if who == "patient":
        parts = [str(patient)]
        if p.get("from_stage"):
            parts.append(_("taken from an earlier stage to suit you"))
        if p.get("preferred"):
            parts.append(_("the kind of exercise you prefer"))
        if p.get("floor_free"):
            parts.append(_("done off the floor, as lying down is hard for you"))
        if p.get("equipment"):
            parts.append(_("uses equipment you have: %(equipment)s") % _equipment(p))
        if p.get("high_risk"):
            parts.append(_("a gentle start that you will build on"))
        return "; ".join(parts)
    if p.get("from_stage"):
        first = _("%(kind)s from the %(from_stage)s stage, as few %(stage)s-stage exercises fit")
    else:
        first = _("%(kind)s for the %(stage)s stage")
    parts = [first % (numbers | {"kind": clinician})]
    if p.get("preferred"):
        parts.append(_("the patient prefers this kind of work"))
    if p.get("floor_free"):
        parts.append(_("floor-free option because the patient cannot lie down"))
    if p.get("equipment"):
        parts.append(_("uses equipment the patient has: %(equipment)s") % _equipment(p))
    if p.get("high_risk"):
        parts.append(_("lighter start for high risk"))
    return "; ".join(parts)


def _equipment(p: Mapping[str, Any]) -> dict[str, str]:
    return {"equipment": labels(p["equipment"])}


def _aerobic(p: Mapping[str, Any], who: Audience) -> str:
    minutes, days = p["minutes"], p["days"]
    numbers = {
        "minutes": minutes,
        "days": days,
        "weekly": minutes * days,
        "low": p["target_min"],
        "high": p["target_max"],
    }
    if who == "patient":
        activity = {"activity": exercise_names([p["activity"]])}
        why = {
            "preferred": _("%(activity)s, the activity you chose"),
            "no_equipment": _("%(activity)s needs no equipment"),
        }.get(p["choice"], _("%(activity)s suits what you can do")) % activity
        sentence = ngettext(
            "%(why)s: %(minutes)s minutes on %(days)s day a week to start (%(weekly)s minutes), "
            "building up to %(low)s to %(high)s minutes a week, as health guidelines advise",
            "%(why)s: %(minutes)s minutes on %(days)s days a week to start (%(weekly)s minutes), "
            "building up to %(low)s to %(high)s minutes a week, as health guidelines advise",
            days,
        ) % (numbers | {"why": why})
        if p.get("high_risk_shorter"):
            sentence += _("; a gentle start that you will build on")
        return sentence
    why = {
        "preferred": _("The patient's preferred activity"),
        "no_equipment": _("Needs no equipment"),
    }.get(p["choice"], _("Fits the patient's constraints"))
    sentence = ngettext(
        "%(why)s; %(minutes)s min on %(days)s day a week (%(weekly)s min) to start, building "
        "toward %(low)s to %(high)s min a week of moderate activity (WHO 2020)",
        "%(why)s; %(minutes)s min on %(days)s days a week (%(weekly)s min) to start, building "
        "toward %(low)s to %(high)s min a week of moderate activity (WHO 2020)",
        days,
    ) % (numbers | {"why": why})
    if p.get("high_risk_shorter"):
        sentence += _("; shorter start for high risk")
    return sentence


def _constraint(rule: str, detail: list[str]) -> str:
    """Why a constraint rules an exercise out, for the clinician."""
    codes = {"codes": labels(detail, "; ")}
    if rule == "contraindication":
        return _("unsuitable with a caution the patient has (%(codes)s)") % codes
    if rule == "position":
        return _("the patient cannot take its position (%(codes)s)") % codes
    if rule == "equipment":
        return _("needs equipment the patient does not have (%(codes)s)") % codes
    return _("removed by the clinician or patient")


def _left_out(p: Mapping[str, Any], who: Audience) -> str:
    return _("Left out %(names)s: %(why)s.") % {
        "names": exercise_names(p["slugs"]),
        "why": _constraint(p["rule"], p.get("detail", [])),
    }


def _stretch_cap(p: Mapping[str, Any], who: Audience) -> str:
    count = p["max_stretches"]
    return ngettext(
        "At most %(count)s stretch: stretching alone works no better than no treatment (Owen et "
        "al. 2020), so stretches are only adjuncts.",
        "At most %(count)s stretches: stretching alone works no better than no treatment (Owen "
        "et al. 2020), so stretches are only adjuncts.",
        count,
    ) % {"count": count}


def _stretches_need_company(p: Mapping[str, Any], who: Audience) -> str:
    return _(
        "Left out %(names)s: with too few other exercises, stretches would make up the "
        "programme, and stretching alone does not help (Owen et al. 2020)."
    ) % {"names": exercise_names(p["slugs"])}


def _earlier_stage_fill(p: Mapping[str, Any], who: Audience) -> str:
    return _(
        "Few %(stage)s-stage exercises fit, so these come from an earlier stage: %(names)s."
    ) % {"stage": _stage(p["stage"]), "names": exercise_names(p["slugs"])}


def _too_few(p: Mapping[str, Any], who: Audience) -> str:
    return ngettext(
        "Only %(count)s exercise fits this stage and the patient's constraints (the aim is "
        "%(min)s to %(max)s); add suitable ones by hand or review the constraints.",
        "Only %(count)s exercises fit this stage and the patient's constraints (the aim is "
        "%(min)s to %(max)s); add suitable ones by hand or review the constraints.",
        p["count"],
    ) % {"count": p["count"], "min": p["min"], "max": p["max"]}


def _preference_unmet(p: Mapping[str, Any], who: Audience) -> str:
    return _(
        "No exercise of a preferred kind (%(kind)s) fits the patient's constraints, so that "
        "preference could not be met."
    ) % {"kind": label(p["category"])}


def _lighter_dose(p: Mapping[str, Any], who: Audience) -> str:
    return _(
        "High risk (STarT Back): fewer exercises and a lighter dose to start; build up steadily "
        "as confidence grows."
    )


def _psychological_care(p: Mapping[str, Any], who: Audience) -> str:
    return _(
        "High risk: combine this programme with psychologically informed care, such as a "
        "cognitive behavioural approach (NICE NG59; Hill et al. 2011 STarT Back)."
    )


def _preference_unused(p: Mapping[str, Any], who: Audience) -> str:
    why = p["why"]
    if why == "not_aerobic":
        because = _("it is not an aerobic activity in the library")
    elif why == "not_stage":
        because = _("it is not an activity for the %(stage)s stage") % {"stage": _stage(p["stage"])}
    else:
        because = _constraint(why, p.get("detail", []))
    return _("The preferred activity (%(name)s) was not used: %(why)s.") % {
        "name": exercise_names([p["activity"]]),
        "why": because,
    }


def _no_aerobic(p: Mapping[str, Any], who: Audience) -> str:
    return _(
        "No aerobic activity fits this stage and the patient's constraints; agree one with the "
        "patient (aim: %(low)s to %(high)s min a week in the long run, WHO 2020)."
    ) % {"low": p["target_min"], "high": p["target_max"]}


def _added(p: Mapping[str, Any], who: Audience) -> str:
    if who == "patient":
        return _("Added by your physiotherapist.")
    return _("Added by the clinician.")


_WRITERS: dict[str, Callable[[Mapping[str, Any], Audience], str]] = {
    "exercise": _exercise,
    "aerobic": _aerobic,
    "left_out": _left_out,
    "stretch_cap": _stretch_cap,
    "stretches_need_company": _stretches_need_company,
    "earlier_stage_fill": _earlier_stage_fill,
    "too_few_candidates": _too_few,
    "preference_unmet": _preference_unmet,
    "high_risk_lighter_dose": _lighter_dose,
    "high_risk_psychological_care": _psychological_care,
    "aerobic_preference_unused": _preference_unused,
    "no_aerobic": _no_aerobic,
    "added": _added,
}
"""One writer per ``core.prescribing.FactCode``."""
