"""A proposal's summary and reasons become facts, worded when shown in the reader's language.

Every stored reason already carried its rule, status and figures; this adds the few figures its
sentence needs that were only in the English text (the days looked at, the share of exercises
for a session to count, the readings counted, the stage) and drops the text once the figures say
it all. The English summary is read back into its headline and the rules that decided. Anything
not recognised keeps its text, shown as it was: nothing stored is lost.

The patterns are the sentences the progression core wrote before this migration, copied here so
the migration keeps working whatever the core says later.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations, models

SUMMARY_HELP = (
    "The one-line summary as a fact ({'code': headline, 'params': {'rules', 'stage'}}), worded "
    "when shown; or an older summary's text that could not be read as one."
)
REASONS_HELP = (
    "Every rule's verdict: {'rule', 'status', 'effect', 'figures'}, worded when shown; an older "
    "reason that could not be read as one keeps its 'text'."
)

LABELS = {
    "an open red flag": "red_flag",
    "severe resting pain for two weeks": "persisting_pain_spike",
    "no important improvement in the initial stage": "not_improving_in_initial_stage",
    "a pain spike": "pain_spike",
    "a flare-up": "flare_up",
    "pain rising too much during exercise": "repeated_pain_rise",
    "next-morning pain not settling": "repeated_next_morning_worsening",
    "pain worse than last week": "pain_worse_than_last_week",
    "already at the final stage": "next_stage_available",
    "time in stage": "min_days_in_stage",
    "adherence": "adherence",
    "no recent log": "logged_recently",
    "pain during exercise": "pain_rise_within_limit",
    "next-morning pain": "next_morning_settled",
    "improving pain trend": "improving_trend",
    "function": "function_not_worse",
}
"""The short labels the old summaries named the deciding rules with."""

STAGES = ("initial", "intermediate", "advanced")

SUMMARIES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Refer for clinical review: (?P<labels>.+)\."), "refer"),
    (re.compile(r"Hold and review: (?P<labels>.+)\."), "hold_and_review"),
    (re.compile(r"Hold: not yet met: (?P<labels>.+)\."), "hold_not_met"),
    (re.compile(r"Regress to the (?P<stage>\w+) stage: (?P<labels>.+)\."), "regress"),
    (
        re.compile(r"Hold \(already at the first stage, nothing lighter\): (?P<labels>.+)\."),
        "hold_first_stage",
    ),
    (re.compile(r"Hold \(maintain\): already at the final stage; all else is met\."), "maintain"),
    (re.compile(r"Progress to the (?P<stage>\w+) stage: every condition is met\."), "progress"),
]

NEEDS = {
    "red_flag": {"red_flag_open"},
    "persisting_pain_spike": {"spike_level", "baseline_pain", "weeks_required"},
    "not_improving_in_initial_stage": {
        "days_in_stage", "after_days", "recent_average_pain", "recent_readings", "window_days",
        "baseline_pain", "improvement_needed",
    },
    "pain_spike": {"highest_pain", "highest_on", "highest_source", "spike_level", "window_days"},
    "flare_up": {"last_flare_up_on", "window_days"},
    "repeated_pain_rise": {"sessions_above_limit", "sessions_checked", "regress_at", "max_rise"},
    "repeated_next_morning_worsening": {
        "sessions_not_settled", "sessions_checked", "regress_at", "tolerance",
    },
    "pain_worse_than_last_week": {
        "recent_average_pain", "previous_average_pain", "regress_at", "window_days",
    },
    "next_stage_available": {"next_stage"},
    "min_days_in_stage": {"days_in_stage", "required", "stage"},
    "adherence": {
        "sessions_done", "window_days", "sessions_prescribed", "required", "min_share_percent",
    },
    "logged_recently": {"last_log_on", "days_without_log", "alert_at"},
    "pain_rise_within_limit": {
        "sessions_checked", "sessions_above_limit", "largest_rise", "max_rise",
    },
    "next_morning_settled": {"sessions_checked", "sessions_not_settled", "tolerance"},
    "improving_trend": {
        "recent_average_pain", "previous_average_pain", "baseline_pain",
        "improvement_from_baseline", "improvement_needed", "window_days",
    },
    "function_not_worse": {"compared", "worse"},
}
"""The figures each rule's sentence is written from."""


def summary_fact(text: str, to_stage: str) -> dict[str, Any] | str:
    """The old summary as its headline and deciding rules, or the text when not recognised."""
    for pattern, headline in SUMMARIES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        labels = groups["labels"].split(", ") if groups.get("labels") else []
        if headline == "maintain":
            labels = ["already at the final stage"]
        rules = [LABELS.get(label) for label in labels]
        stage = groups.get("stage") or to_stage or None
        if None in rules or (stage is not None and stage not in STAGES):
            return text
        return {"code": headline, "params": {"rules": rules, "stage": stage}}
    return text


def _number(pattern: str, text: str) -> int | None:
    match = re.search(pattern, text)
    return int(match[1]) if match else None


def reason_facts(entry: dict[str, Any], window_days: int | None, stage: str) -> dict[str, Any]:
    """One old reason with the figures its sentence needs; its text dropped when they are all
    there. ``window_days`` is the week the clinic judged by (the pain-spike reason names it)."""
    entry = dict(entry)
    figures = dict(entry.get("figures", {}))
    text = str(entry.get("text", ""))
    rule = entry.get("rule")
    if rule in ("not_improving_in_initial_stage", "improving_trend", "pain_worse_than_last_week"):
        figures.setdefault("window_days", window_days)
    if rule == "not_improving_in_initial_stage":
        figures.setdefault("recent_readings", _number(r"\((\d+) readings;", text))
        if figures["window_days"] is None:  # the text names it when there were no readings
            figures["window_days"] = _number(r"in the last (\d+) days", text)
    if rule == "min_days_in_stage":
        figures.setdefault("stage", stage)
    if rule == "adherence":
        for key in list(figures):
            if window := re.fullmatch(r"sessions_last_(\d+)_days", key):
                figures["window_days"] = int(window[1])
                figures["sessions_done"] = figures.pop(key)
        figures.setdefault("min_share_percent", _number(r"when (\d+) % of its exercises", text))
    if rule == "function_not_worse":
        ends = "_worse_needed"
        codes = [key.removesuffix(ends) for key in figures if key.endswith(ends)]
        judged = [code for code in codes if figures[f"{code}_worse_needed"] is not None]
        worse = [
            code for code in judged
            if figures[f"{code}_worse_by"] >= figures[f"{code}_worse_needed"] - 1e-9
        ]
        figures |= {"compared": len(judged), "worse": ",".join(worse)}
    entry["figures"] = figures
    needs = NEEDS.get(str(rule))
    if needs is not None and all(_known(figures, key) for key in needs):
        entry.pop("text", None)
    return entry


def _known(figures: dict[str, Any], key: str) -> bool:
    return key in figures and (figures[key] is not None or key in _MAY_BE_NONE)


_MAY_BE_NONE = {
    "recent_average_pain", "previous_average_pain", "highest_pain", "highest_on",
    "highest_source", "last_flare_up_on", "next_stage", "required", "last_log_on",
    "largest_rise", "improvement_from_baseline",
}
"""Figures that are ``None`` when there was nothing to count (the sentence says so)."""


def to_facts(apps: Any, schema_editor: Any) -> None:
    Review = apps.get_model("reviews", "Review")
    for review in Review.objects.all().iterator():
        spike = next((r for r in review.reasons if r.get("rule") == "pain_spike"), {})
        window = spike.get("figures", {}).get("window_days")
        review.reasons = [reason_facts(r, window, review.from_stage) for r in review.reasons]
        review.summary_fact = summary_fact(review.summary, review.to_stage)
        review.save(update_fields=["reasons", "summary_fact"])


def to_text(apps: Any, schema_editor: Any) -> None:
    """Back to a text summary, only while no summary is a fact: blanking one would lose the
    proposal's headline. With facts stored, going back is refused; restore the backup taken
    before the upgrade (``backcare restore``)."""
    Review = apps.get_model("reviews", "Review")
    if any(not isinstance(r.summary_fact, str) and r.summary_fact
           for r in Review.objects.all().iterator()):
        raise RuntimeError(
            "Proposal summaries are stored as facts since this version; going back would lose "
            "them. Restore the backup taken before the upgrade (backcare restore)."
        )
    for review in Review.objects.all().iterator():
        review.summary = (review.summary_fact or "")[:500]
        review.save(update_fields=["summary"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="review",
            name="summary_fact",
            field=models.JSONField(default=dict, help_text=SUMMARY_HELP),
        ),
        migrations.RunPython(to_facts, to_text),
        migrations.RemoveField(model_name="review", name="summary"),
        migrations.RenameField(model_name="review", old_name="summary_fact", new_name="summary"),
        migrations.AlterField(
            model_name="review",
            name="reasons",
            field=models.JSONField(default=list, help_text=REASONS_HELP),
        ),
    ]
