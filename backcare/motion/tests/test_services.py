"""Summaries of stored analyses, as the pages show them (no database: unsaved rows)."""

from __future__ import annotations

from typing import Any

from backcare.motion.models import MotionAnalysis
from backcare.motion.services import Span, summarise


def fault(rule: str, *frames: tuple[int, int]) -> dict[str, Any]:
    return {"rule": rule, "cue": f"Mind the {rule}.", "frames": [list(f) for f in frames]}


def test_it_groups_faults_by_rule_with_their_reps_and_seconds() -> None:
    reps = [
        {"faults": [fault("lean", (30, 45))]},
        {"faults": []},
        {"faults": [fault("lean", (150, 165), (170, 180)), fault("tilt", (160, 170))]},
    ]
    analysis = MotionAnalysis(fps=30.0, result={"mode": "reps", "reps": reps, "holds": []})

    summary = summarise(analysis)

    assert (summary.mode, summary.rep_count, summary.holds) == ("reps", 3, ())
    [lean, tilt] = summary.faults
    assert (lean.rule, lean.cue, lean.occurrences) == ("lean", "Mind the lean.", (1, 3))
    assert lean.spans == (
        Span(30, 45, 1.0, 1.5),
        Span(150, 165, 5.0, 5.5),
        Span(170, 180, 5.7, 6.0),
    )
    assert (tilt.occurrences, tilt.spans) == ((3,), (Span(160, 170, 5.3, 5.7),))


def test_it_summarises_holds_with_their_time_in_position() -> None:
    holds = [
        {
            "start_frame": 60,
            "end_frame": 960,
            "within_tolerance_s": 28.5,
            "met_target": False,
            "faults": [fault("sag", (300, 330))],
        },
        {
            "start_frame": 1200,
            "end_frame": 2150,
            "within_tolerance_s": 31.0,
            "met_target": True,
            "faults": [],
        },
    ]
    analysis = MotionAnalysis(fps=30.0, result={"mode": "hold", "reps": [], "holds": holds})

    summary = summarise(analysis)

    assert (summary.mode, summary.rep_count) == ("hold", 0)
    assert [(h.number, h.within_tolerance_s, h.met_target) for h in summary.holds] == [
        (1, 28.5, False),
        (2, 31.0, True),
    ]
    assert summary.holds[0].span == Span(60, 960, 2.0, 32.0)
    assert [(f.rule, f.occurrences) for f in summary.faults] == [("sag", (1,))]
