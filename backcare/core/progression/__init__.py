"""Progression: a patient's logs → progress / hold / regress / refer, with every rule's numbers.

The engine proposes; the clinician approves or refuses. ``assess_progression`` evaluates every
rule on every call and returns them all as ``Reason``s, so the clinician sees which conditions are
met, which are not and the figures behind each, not only the rule that decided.

Precedence, highest first (the first tier with a rule fired or a gate not met decides):

1. **refer**: an open red flag; resting pain at the spike level, above baseline, in each of the
   last two weeks; no clinically important improvement after six weeks in the initial stage.
2. **hold and review**: a pain spike (any pain ≥ 7/10) or a reported flare-up in the last week.
   This outranks regress: in a spike the clinician looks before the programme changes.
3. **regress** to the previous stage (at the initial stage: hold, there is nothing lighter):
   pain during exercise repeatedly above the limit, next-morning pain repeatedly not settling,
   or weekly pain up by the MCID.
4. **hold**: any progression gate not met (final stage, time in stage, adherence, a recent log,
   pain during exercise within the limit, next-morning pain settled, improving trend, function
   not worse).
5. **progress** to the next stage.

Words used throughout:

- *The last N days* are the N calendar days ending with ``today`` (today − N + 1 … today). Logs
  dated after ``today`` are ignored (a device clock may be wrong).
- *Pain before a session* is the latest next-morning pain logged after an earlier session, else
  the baseline pain: the log has no pre-session rating, and the morning after the previous
  session is the nearest resting rating before this one (``check_session_pain``).
- A next-morning pain is dated the day after its session.
- *Resting pain readings* (the trend) are next-morning pains and the check-in's average pain; the
  pain-spike rule also counts pain during exercise and the check-in's pain now.
- A *clinically important* change (MCID) is the project's one rule, ``instruments.classify_change``
  with the clinic's ``Thresholds.change``: for 0-10 pain by default 2 points or 30 % of the
  baseline, whichever is smaller (``COMBINE_DEFAULT = "either"``).

Sources (each threshold's help text repeats the one it depends on):

- Ostelo RWJG et al. "Interpreting change scores for pain and functional status in low back pain:
  towards international consensus regarding minimal important change", Spine 2008;33(1):90-94:
  a minimal important change of 2 points on 0-10 pain, or 30 % from baseline.
- Silbernagel KG et al. "Continued sports activity, using a pain-monitoring model, during
  rehabilitation in patients with Achilles tendinopathy", Am J Sports Med 2007;35(6):897-906:
  the pain-monitoring model — some pain during exercise is acceptable within a limit, it must
  settle by the next morning, and pain must not increase from week to week.
- Smith BE et al. "Should exercises be painful in the management of chronic musculoskeletal pain?
  A systematic review and meta-analysis", Br J Sports Med 2017;51:1679-1687: exercise that hurts
  a little is not worse than pain-free exercise in the short term, so a limited rise is allowed.
- Oliveira CB et al. "Clinical practice guidelines for the management of non-specific low back
  pain in primary care: an updated overview", Eur Spine J 2018;27:2791-2803: guidelines advise
  re-assessing patients who are not improving after some weeks of conservative care.
- backcare DESIGN §3: the progression heuristics (pain rise ≤ 2/10, settle by the next morning,
  improving trend, adherence gate, minimum time in stage, red flag or pain ≥ 7/10 blocks
  progression and alerts). Practice, low-grade evidence: defaults each clinic may change.

The modules, each imported through this package:

- ``model``: the input (sessions, check-ins, questionnaire scores), ``Rule``, ``Reason`` and
  ``Proposal``.
- ``thresholds``: ``Thresholds`` with each threshold's range, reason and source
  (``THRESHOLD_HELP``); the clinically important change is ``instruments.ChangeThresholds``.
- ``pain``: pain readings, each session's pain against the pain before it, and
  ``clinically_important_improvement`` (``instruments.classify_change`` for 0-10 pain).
- ``adherence``: sessions done against sessions prescribed.
- ``precedence``: the tiers above, each rule's decision, headline and alert.
- ``facts``: what the rules share, worked out once per assessment.
- ``triggers`` and ``gates``: one evaluation per rule, each returning a ``Reason``.
- ``decide``: ``assess_progression``.
"""

from __future__ import annotations

from backcare.core.progression.adherence import adherence
from backcare.core.progression.decide import assess_progression
from backcare.core.progression.model import (
    ALERTS,
    DECISIONS,
    AdherenceFigure,
    Alert,
    CheckIn,
    Decision,
    Figure,
    Headline,
    InstrumentScore,
    PainReading,
    ProgressionInput,
    Proposal,
    Reason,
    Rule,
    SessionPainCheck,
    SessionSummary,
    Status,
)
from backcare.core.progression.pain import (
    check_session_pain,
    clinically_important_improvement,
    pain_readings,
)
from backcare.core.progression.thresholds import THRESHOLD_HELP, Thresholds

__all__ = [
    "ALERTS",
    "DECISIONS",
    "THRESHOLD_HELP",
    "AdherenceFigure",
    "Alert",
    "CheckIn",
    "Decision",
    "Figure",
    "Headline",
    "InstrumentScore",
    "PainReading",
    "ProgressionInput",
    "Proposal",
    "Reason",
    "Rule",
    "SessionPainCheck",
    "SessionSummary",
    "Status",
    "Thresholds",
    "adherence",
    "assess_progression",
    "check_session_pain",
    "clinically_important_improvement",
    "pain_readings",
]
