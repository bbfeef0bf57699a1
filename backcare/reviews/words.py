"""A progression proposal in words, in the reader's language.

The progression core returns facts: each rule's status and figures, and the headline and deciding
rules of the proposal (``core.progression``). A review stores them as JSON and this module writes
the sentences when the review is shown, so an old proposal reads in a newly chosen language too.
Only clinicians read proposals, so there is one wording, the clinician's, naming the numbers.
A reason stored as text before reasons were facts, and not recognised when they were converted,
keeps its text (``"text"``) and is shown as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from backcare.library.labels import label

__all__ = ["figures", "reason", "rule_name", "status_name", "summary"]


RULE_NAMES = {
    "red_flag": gettext_lazy("Red flag"),
    "persisting_pain_spike": gettext_lazy("Severe resting pain persisting"),
    "not_improving_in_initial_stage": gettext_lazy("Improvement in the initial stage"),
    "pain_spike": gettext_lazy("Pain spike"),
    "flare_up": gettext_lazy("Flare-up"),
    "repeated_pain_rise": gettext_lazy("Pain rising during exercise"),
    "repeated_next_morning_worsening": gettext_lazy("Next-morning pain not settling"),
    "pain_worse_than_last_week": gettext_lazy("Pain worse than last week"),
    "next_stage_available": gettext_lazy("Next stage"),
    "min_days_in_stage": gettext_lazy("Time in stage"),
    "adherence": gettext_lazy("Adherence"),
    "logged_recently": gettext_lazy("Recent log"),
    "pain_rise_within_limit": gettext_lazy("Pain during exercise"),
    "next_morning_settled": gettext_lazy("Next-morning pain"),
    "improving_trend": gettext_lazy("Pain trend"),
    "function_not_worse": gettext_lazy("Function"),
}
"""Each progression rule's name, as the reasons table heads its row."""

_SUMMARY_LABELS = {
    "red_flag": gettext_lazy("an open red flag"),
    "persisting_pain_spike": gettext_lazy("severe resting pain for two weeks"),
    "not_improving_in_initial_stage": gettext_lazy("no important improvement in the initial stage"),
    "pain_spike": gettext_lazy("a pain spike"),
    "flare_up": gettext_lazy("a flare-up"),
    "repeated_pain_rise": gettext_lazy("pain rising too much during exercise"),
    "repeated_next_morning_worsening": gettext_lazy("next-morning pain not settling"),
    "pain_worse_than_last_week": gettext_lazy("pain worse than last week"),
    "next_stage_available": gettext_lazy("already at the final stage"),
    "min_days_in_stage": gettext_lazy("time in stage"),
    "adherence": gettext_lazy("adherence"),
    "logged_recently": gettext_lazy("no recent log"),
    "pain_rise_within_limit": gettext_lazy("pain during exercise"),
    "next_morning_settled": gettext_lazy("next-morning pain"),
    "improving_trend": gettext_lazy("improving pain trend"),
    "function_not_worse": gettext_lazy("function"),
}
"""Short phrases for the rules that decided, in the proposal's one-line summary."""

STATUS_NAMES = {
    "met": pgettext_lazy("progression rule", "Met"),
    "not_met": pgettext_lazy("progression rule", "Not met"),
    "fired": pgettext_lazy("progression rule", "Triggered"),
    "not_fired": pgettext_lazy("progression rule", "Not triggered"),
    "not_applicable": pgettext_lazy("progression rule", "Does not apply"),
}

_SOURCES = {
    "during_exercise": gettext_lazy("during exercise"),
    "next_morning": gettext_lazy("next morning"),
    "check_in_now": gettext_lazy("pain now at a check-in"),
    "check_in_average": gettext_lazy("average pain at a check-in"),
}
"""Where a pain rating came from (``core.progression.PainSource``)."""

QUESTIONNAIRES = {"odi": "ODI", "rmdq": "Roland-Morris", "peg": "PEG", "psfs": "PSFS"}
"""Questionnaires by the short names clinicians use in every language."""


def rule_name(rule: str) -> str:
    """A rule's name in the active language."""
    return str(RULE_NAMES.get(rule, rule.replace("_", " ").capitalize()))


def status_name(status: str) -> str:
    """A rule's result ("Met", "Not triggered" …) in the active language."""
    return str(STATUS_NAMES.get(status, status))


def summary(stored: Any) -> str:
    """The proposal's one-line summary: a stored fact worded now, or an older summary's text."""
    if isinstance(stored, str):
        return stored
    if not isinstance(stored, Mapping) or not stored:
        return ""
    params = stored.get("params", {})
    numbers = {
        "rules": ", ".join(str(_SUMMARY_LABELS.get(r, r)) for r in params.get("rules", [])),
        "stage": label(params.get("stage") or "").lower(),
    }
    headline = {
        "refer": _("Refer for clinical review: %(rules)s."),
        "hold_and_review": _("Hold and review: %(rules)s."),
        "regress": _("Regress to the %(stage)s stage: %(rules)s."),
        "hold_first_stage": _("Hold (already at the first stage, nothing lighter): %(rules)s."),
        "maintain": _("Hold (maintain): already at the final stage; all else is met."),
        "hold_not_met": _("Hold: not yet met: %(rules)s."),
        "progress": _("Progress to the %(stage)s stage: every condition is met."),
    }[stored["code"]]
    return headline % numbers


def reason(entry: Mapping[str, Any]) -> str:
    """One rule's verdict as a sentence with its numbers (an older reason's text as it was)."""
    if "text" in entry:
        return str(entry["text"])
    write = _WRITERS[entry["rule"]]
    return write(entry["status"], entry.get("figures", {}))


def num(value: Any) -> str:
    """A figure for a sentence: at most one decimal, no trailing zero; a dash for nothing."""
    if value is None:
        return "–"
    return f"{float(value):.1f}".removesuffix(".0")


def _points(value: Any) -> str:
    count = 1 if value == 1 else 2
    return ngettext("%(n)s point", "%(n)s points", count) % {"n": num(value)}


def _day(iso: str | None) -> str:
    return "–" if not iso else date_format(date.fromisoformat(iso), "j M Y")


def _stage(code: str | None) -> str:
    return label(code or "").lower()


Figures = Mapping[str, Any]


def _red_flag(status: str, f: Figures) -> str:
    if status == "fired":
        return _(
            "A red flag is open: self-directed exercise stops until a clinician has assessed it."
        )
    return _("No open red flag.")


def _persisting_pain_spike(status: str, f: Figures) -> str:
    weeks = f["weeks_required"]
    shown = ", ".join(num(f.get(f"week_{i + 1}_highest_resting_pain")) for i in range(weeks))
    numbers = {
        "level": num(f["spike_level"]),
        "baseline": num(f["baseline_pain"]),
        "weeks": weeks,
        "shown": shown,
    }
    if status == "fired":
        return (
            ngettext(
                "Resting pain reached %(level)s/10 or more, above the baseline of %(baseline)s/10, "
                "in the last week (highest: %(shown)s): it is not settling; assess and consider "
                "referral.",
                "Resting pain reached %(level)s/10 or more, above the baseline of "
                "%(baseline)s/10, in each of the last %(weeks)s weeks (highest, latest week first: "
                "%(shown)s): it is not settling; assess and consider referral.",
                weeks,
            )
            % numbers
        )
    return (
        ngettext(
            "Resting pain did not reach %(level)s/10 or more, above the baseline of "
            "%(baseline)s/10, in the last week (highest: %(shown)s).",
            "Resting pain did not reach %(level)s/10 or more, above the baseline of "
            "%(baseline)s/10, in each of the last %(weeks)s weeks (highest, latest week first: "
            "%(shown)s).",
            weeks,
        )
        % numbers
    )


def _not_improving(status: str, f: Figures) -> str:
    if status == "not_applicable":
        return _("Applies only in the initial stage.")
    days, after = f["days_in_stage"], f["after_days"]
    if days < after:
        return _("%(days)s of %(after)s days in the initial stage.") % {
            "days": days,
            "after": after,
        }
    if f["recent_average_pain"] is None:
        return _("No resting pain readings in the last %(window)s days to judge by.") % {
            "window": f["window_days"]
        }
    numbers = {
        "days": days,
        "recent": num(f["recent_average_pain"]),
        "baseline": num(f["baseline_pain"]),
        "count": f["recent_readings"],
        "needed": num(f["improvement_needed"]),
    }
    if status == "fired":
        return (
            _(
                "After %(days)s days in the initial stage, average resting pain is %(recent)s/10 "
                "against a baseline of %(baseline)s/10 (%(count)s readings; %(needed)s points is "
                "clinically important): no clinically important improvement. Re-assess and "
                "consider referral."
            )
            % numbers
        )
    return (
        _(
            "After %(days)s days in the initial stage, average resting pain is %(recent)s/10 "
            "against a baseline of %(baseline)s/10 (%(count)s readings; %(needed)s points is "
            "clinically important): a clinically important improvement."
        )
        % numbers
    )


def _pain_spike(status: str, f: Figures) -> str:
    numbers = {
        "pain": num(f["highest_pain"]),
        "level": num(f["spike_level"]),
        "window": f["window_days"],
    }
    if status == "fired":
        source = _SOURCES.get(f["highest_source"], f["highest_source"])
        return _(
            "Pain reached %(pain)s/10 (%(source)s) on %(day)s, at or above the %(level)s/10 spike "
            "level, in the last %(window)s days: no progression until the clinician has reviewed "
            "it."
        ) % (numbers | {"source": source, "day": _day(f["highest_on"])})
    if f["highest_pain"] is None:
        return _("No pain of %(level)s/10 or more in the last %(window)s days.") % numbers
    return (
        _("No pain of %(level)s/10 or more in the last %(window)s days (highest %(pain)s/10).")
        % numbers
    )


def _flare_up(status: str, f: Figures) -> str:
    if status == "fired":
        return _("A flare-up was reported on %(day)s: hold until it settles.") % {
            "day": _day(f["last_flare_up_on"])
        }
    return _("No flare-up reported in the last %(window)s days.") % {"window": f["window_days"]}


def _repeated_pain_rise(status: str, f: Figures) -> str:
    return ngettext(
        "Pain during exercise rose more than %(limit)s above the pain before the session in "
        "%(above)s of the last %(checked)s session with it logged (regress at %(needed)s).",
        "Pain during exercise rose more than %(limit)s above the pain before the session in "
        "%(above)s of the last %(checked)s sessions with it logged (regress at %(needed)s).",
        f["sessions_checked"],
    ) % {
        "limit": _points(f["max_rise"]),
        "above": f["sessions_above_limit"],
        "checked": f["sessions_checked"],
        "needed": f["regress_at"],
    }


def _repeated_next_morning(status: str, f: Figures) -> str:
    return ngettext(
        "Next-morning pain was more than %(tolerance)s above the pain before the session after "
        "%(worse)s of the last %(checked)s session with it logged (regress at %(needed)s).",
        "Next-morning pain was more than %(tolerance)s above the pain before the session after "
        "%(worse)s of the last %(checked)s sessions with it logged (regress at %(needed)s).",
        f["sessions_checked"],
    ) % {
        "tolerance": _points(f["tolerance"]),
        "worse": f["sessions_not_settled"],
        "checked": f["sessions_checked"],
        "needed": f["regress_at"],
    }


def _pain_worse(status: str, f: Figures) -> str:
    if f["recent_average_pain"] is None or f["previous_average_pain"] is None:
        return _("Not enough resting pain readings to compare the last week with the week before.")
    return _(
        "Average resting pain %(recent)s/10 in the last %(window)s days against %(previous)s/10 "
        "the week before (regress at a rise of %(points)s)."
    ) % {
        "recent": num(f["recent_average_pain"]),
        "previous": num(f["previous_average_pain"]),
        "window": f["window_days"],
        "points": num(f["regress_at"]),
    }


def _next_stage(status: str, f: Figures) -> str:
    if f["next_stage"]:
        return _("The next stage is %(stage)s.") % {"stage": _stage(f["next_stage"])}
    return _(
        "Already at the final stage: keep going with the programme (maintain) and review the "
        "dose and the aerobic minutes toward 150 to 300 a week (WHO 2020)."
    )


def _min_days(status: str, f: Figures) -> str:
    if f["required"] is None:
        return _("No minimum time at the final stage.")
    return _("%(days)s days in the %(stage)s stage (at least %(required)s needed).") % {
        "days": f["days_in_stage"],
        "stage": _stage(f["stage"]),
        "required": f["required"],
    }


def _adherence(status: str, f: Figures) -> str:
    return _(
        "%(done)s sessions done in the last %(window)s days (%(prescribed)s prescribed, at least "
        "%(required)s needed; a session counts when %(share)s %% of its exercises were done)."
    ) % {
        "done": f["sessions_done"],
        "window": f["window_days"],
        "prescribed": f["sessions_prescribed"],
        "required": f["required"],
        "share": f["min_share_percent"],
    }


def _logged_recently(status: str, f: Figures) -> str:
    if f["last_log_on"] is None:
        where = _("no log yet")
    else:
        where = _("last log %(day)s") % {"day": _day(f["last_log_on"])}
    return ngettext(
        "%(days)s day since the last session or check-in (%(where)s; alert at %(alert)s).",
        "%(days)s days since the last session or check-in (%(where)s; alert at %(alert)s).",
        f["days_without_log"],
    ) % {"days": f["days_without_log"], "where": where, "alert": f["alert_at"]}


def _pain_rise_within_limit(status: str, f: Figures) -> str:
    if not f["sessions_checked"]:
        return _("No pain during exercise logged in this stage yet.")
    return ngettext(
        "Largest rise of pain during exercise over the pain before the session: %(largest)s in "
        "the last %(checked)s session (limit %(limit)s); %(above)s above the limit.",
        "Largest rise of pain during exercise over the pain before the session: %(largest)s in "
        "the last %(checked)s sessions (limit %(limit)s); %(above)s above the limit.",
        f["sessions_checked"],
    ) % {
        "largest": num(f["largest_rise"]),
        "checked": f["sessions_checked"],
        "limit": num(f["max_rise"]),
        "above": f["sessions_above_limit"],
    }


def _next_morning_settled(status: str, f: Figures) -> str:
    checked = f["sessions_checked"]
    if not checked:
        return _("No next-morning pain logged in this stage yet.")
    return ngettext(
        "Next-morning pain settled (at most %(tolerance)s above the pain before the session) "
        "after %(settled)s of the last %(checked)s session.",
        "Next-morning pain settled (at most %(tolerance)s above the pain before the session) "
        "after %(settled)s of the last %(checked)s sessions.",
        checked,
    ) % {
        "tolerance": _points(f["tolerance"]),
        "settled": checked - f["sessions_not_settled"],
        "checked": checked,
    }


def _improving_trend(status: str, f: Figures) -> str:
    recent, previous = f["recent_average_pain"], f["previous_average_pain"]
    if recent is None:
        return _("No resting pain readings (next morning, check-in average) in the last week.")
    numbers = {
        "recent": num(recent),
        "window": f["window_days"],
        "drop": num(abs(f["improvement_from_baseline"])),
        "baseline": num(f["baseline_pain"]),
        "needed": num(f["improvement_needed"]),
    }
    if previous is None:
        trend = (
            _(
                "Average resting pain %(recent)s/10 in the last %(window)s days, no readings the "
                "week before"
            )
            % numbers
        )
    else:
        trend = _(
            "Average resting pain %(recent)s/10 in the last %(window)s days, %(previous)s/10 the "
            "week before"
        ) % (numbers | {"previous": num(previous)})
    if f["improvement_from_baseline"] >= 0:
        change = _("%(drop)s points below the baseline of %(baseline)s/10") % numbers
    else:
        change = _("%(drop)s points above the baseline of %(baseline)s/10") % numbers
    verdict = _("improving") if status == "met" else _("not improving")
    return _("%(trend)s; %(change)s (%(needed)s is clinically important): %(verdict)s.") % (
        numbers | {"trend": trend, "change": change, "verdict": verdict}
    )


def _function(status: str, f: Figures) -> str:
    if status == "not_applicable":
        return _("No questionnaire with two scores and a known MCID to compare.")
    if status == "not_met":
        worse = [
            _("%(name)s %(first)s → %(latest)s")
            % {
                "name": QUESTIONNAIRES.get(code, code.upper()),
                "first": num(f[f"{code}_first"]),
                "latest": num(f[f"{code}_latest"]),
            }
            for code in f["worse"].split(",")
            if code
        ]
        return _("Worse by at least the clinically important change: %(scores)s.") % {
            "scores": ", ".join(worse)
        }
    return ngettext(
        "No questionnaire worse than its first score by its MCID (%(count)s compared).",
        "No questionnaire worse than its first score by its MCID (%(count)s compared).",
        f["compared"],
    ) % {"count": f["compared"]}


_WRITERS: dict[str, Callable[[str, Figures], str]] = {
    "red_flag": _red_flag,
    "persisting_pain_spike": _persisting_pain_spike,
    "not_improving_in_initial_stage": _not_improving,
    "pain_spike": _pain_spike,
    "flare_up": _flare_up,
    "repeated_pain_rise": _repeated_pain_rise,
    "repeated_next_morning_worsening": _repeated_next_morning,
    "pain_worse_than_last_week": _pain_worse,
    "next_stage_available": _next_stage,
    "min_days_in_stage": _min_days,
    "adherence": _adherence,
    "logged_recently": _logged_recently,
    "pain_rise_within_limit": _pain_rise_within_limit,
    "next_morning_settled": _next_morning_settled,
    "improving_trend": _improving_trend,
    "function_not_worse": _function,
}
"""One writer per ``core.progression.Rule``: its status and figures → a sentence."""


# --- the figures, labelled --------------------------------------------------------------------

FIGURE_NAMES = {
    "red_flag_open": gettext_lazy("Red flag open"),
    "spike_level": gettext_lazy("Spike level (0–10)"),
    "baseline_pain": gettext_lazy("Baseline pain (0–10)"),
    "weeks_required": gettext_lazy("Weeks it must last"),
    "days_in_stage": gettext_lazy("Days in the stage"),
    "after_days": gettext_lazy("Judged after (days)"),
    "recent_average_pain": gettext_lazy("Average resting pain, last week"),
    "previous_average_pain": gettext_lazy("Average resting pain, week before"),
    "recent_readings": gettext_lazy("Readings, last week"),
    "previous_readings": gettext_lazy("Readings, week before"),
    "window_days": gettext_lazy("Days looked at"),
    "improvement_needed": gettext_lazy("Important improvement (points)"),
    "highest_pain": gettext_lazy("Highest pain (0–10)"),
    "highest_on": gettext_lazy("Highest on"),
    "highest_source": gettext_lazy("Highest from"),
    "readings_at_or_above_level": gettext_lazy("Readings at or above the spike level"),
    "flare_ups": gettext_lazy("Flare-ups"),
    "last_flare_up_on": gettext_lazy("Last flare-up"),
    "sessions_above_limit": gettext_lazy("Sessions above the limit"),
    "sessions_checked": gettext_lazy("Sessions looked at"),
    "regress_at": gettext_lazy("Regress at"),
    "max_rise": gettext_lazy("Largest rise allowed (points)"),
    "sessions_not_settled": gettext_lazy("Sessions not settled"),
    "tolerance": gettext_lazy("Rise allowed next morning (points)"),
    "rise": gettext_lazy("Rise (points)"),
    "next_stage": gettext_lazy("Next stage"),
    "required": gettext_lazy("Needed"),
    "stage": gettext_lazy("Stage"),
    "sessions_done": gettext_lazy("Sessions done"),
    "sessions_prescribed": gettext_lazy("Sessions prescribed"),
    "sessions_logged": gettext_lazy("Sessions logged"),
    "exercises_done": gettext_lazy("Exercises done"),
    "exercises_prescribed": gettext_lazy("Exercises prescribed"),
    "min_share_percent": gettext_lazy("Share of exercises for a session to count (%)"),
    "last_log_on": gettext_lazy("Last log"),
    "days_without_log": gettext_lazy("Days without a log"),
    "alert_at": gettext_lazy("Alert at (days)"),
    "largest_rise": gettext_lazy("Largest rise (points)"),
    "improvement_from_baseline": gettext_lazy("Improvement from baseline (points)"),
    "improvement_percent": gettext_lazy("Improvement from baseline (%)"),
    "compared": gettext_lazy("Questionnaires compared"),
    "worse": gettext_lazy("Worse"),
}
"""Each figure's name, as the reasons table lists it."""

_PER_WEEK = re.compile(r"week_(\d+)_highest_resting_pain")
_PER_QUESTIONNAIRE = re.compile(r"(.+)_(first|latest|worse_by|mcid|worse_needed)")
_QUESTIONNAIRE_FIGURES = {
    "first": gettext_lazy("%(name)s: first score"),
    "latest": gettext_lazy("%(name)s: latest score"),
    "worse_by": gettext_lazy("%(name)s: worse by"),
    "mcid": gettext_lazy("%(name)s: important change (points)"),
    "worse_needed": gettext_lazy("%(name)s: worsening that counts"),
}


def figures(entry: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A reason's figures as (name, value) in the active language, in the order stored."""
    return [(_figure_name(k), _figure_value(k, v)) for k, v in entry.get("figures", {}).items()]


def _figure_name(key: str) -> str:
    if key in FIGURE_NAMES:
        return str(FIGURE_NAMES[key])
    if week := _PER_WEEK.fullmatch(key):
        return _("Highest resting pain, week %(n)s (latest first)") % {"n": week[1]}
    if questionnaire := _PER_QUESTIONNAIRE.fullmatch(key):
        code, what = questionnaire.groups()
        name = QUESTIONNAIRES.get(code, code.upper())
        return str(_QUESTIONNAIRE_FIGURES[what]) % {"name": name}
    if window := re.fullmatch(r"sessions_last_(\d+)_days", key):
        return _("Sessions done, last %(n)s days") % {"n": window[1]}
    return key.replace("_", " ").capitalize()


def _figure_value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key.endswith("_on"):
        return _day(value)
    if key == "highest_source":
        return str(_SOURCES.get(value, value))
    if key in ("next_stage", "stage"):
        return label(value)
    if key == "worse":
        return ", ".join(QUESTIONNAIRES.get(code, code.upper()) for code in value.split(","))
    if isinstance(value, int | float):
        return num(value)
    return str(value)
