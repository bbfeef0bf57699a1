"""``backcare motion analyze FILE --exercise SLUG``: analyse a landmark file from the shell.

Reads the documented landmark formats (``backcare.core.motion.formats``, docs/motion.md), runs
the engine with the exercise's motion profile from ``content/motion`` and prints a table or JSON.
Needs no database. Any problem with the file, the exercise or its profile ends the command with
a ``CommandError`` naming it (exit status 1), never a traceback.
"""

from __future__ import annotations

import difflib
import json
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backcare.core.library import LibraryError, load_library
from backcare.core.motion import SKELETONS, Analysis, MotionError, MotionProfile, analyze
from backcare.core.motion import load_profiles as load_motion_profiles
from backcare.core.motion.formats import LandmarkFile, analysis_as_dict, read_landmark_file


def frame_rate(text: str) -> float:
    """``--fps``: a number of frames per second the engine accepts (1–1000)."""
    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a number of frames per second") from None
    if not 1.0 <= value <= 1000.0:
        raise ArgumentTypeError(f"must be between 1 and 1000, got {text}")
    return value


class Command(BaseCommand):
    help = "Motion coach tools. `motion analyze FILE --exercise SLUG` analyses a landmark file."
    requires_system_checks: list[str] = []  # reads files only: no database, URLs or templates

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        analyze_parser = actions.add_parser(
            "analyze",
            help="Count reps or time holds and check form in a landmark file.",
            description="Analyse a landmark file (UI-PRMD CSV, landmark CSV or landmark JSON, "
            "optionally gzipped; see docs/motion.md) against an exercise's motion profile.",
        )
        analyze_parser.add_argument("file", type=Path, help="the landmark file")
        analyze_parser.add_argument(
            "--exercise", required=True, metavar="SLUG", help="the exercise's slug"
        )
        analyze_parser.add_argument(
            "--format", choices=("table", "json"), default="table", help="output (table)"
        )
        analyze_parser.add_argument(
            "--skeleton",
            choices=sorted(SKELETONS),
            help="landmark layout of a landmark CSV (blazepose33); JSON and UI-PRMD state theirs",
        )
        analyze_parser.add_argument(
            "--fps", type=frame_rate, help="frame rate of a landmark CSV (required for it)"
        )
        analyze_parser.add_argument(
            "--subject", type=int, help="UI-PRMD only: analyse this subject's recordings"
        )
        analyze_parser.add_argument(
            "--episode", type=int, help="UI-PRMD only: analyse this episode (correct and incorrect)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "analyze":
            self.analyze(options)

    def analyze(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        profile = find_profile(options["exercise"])
        try:
            files = read_landmark_file(path, fps=options["fps"], skeleton=options["skeleton"])
        except MotionError as error:
            raise CommandError(str(error)) from None
        files = select(files, options["subject"], options["episode"], path.name)
        results = [(f, analyze(f.landmarks, profile)) for f in files]
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(path, profile, results), indent=2))
        else:
            self.stdout.write(as_table(path, profile, results))


def content_dir() -> Path:
    return Path(settings.CONTENT_DIR)


def find_profile(slug: str) -> MotionProfile:
    """The motion profile of exercise ``slug``, or a CommandError saying what is missing."""
    try:
        profiles = load_motion_profiles(content_dir() / "motion")
        exercises = load_library(content_dir() / "exercises")
    except LibraryError as error:
        raise CommandError(f"The content files are not valid: {error}") from None
    if slug in profiles:
        return profiles[slug]
    with_profile = ", ".join(sorted(profiles))
    if slug in exercises:
        raise CommandError(
            f"Exercise {slug!r} has no motion profile, so it cannot be analysed. "
            f"Exercises with one: {with_profile}."
        )
    near = difflib.get_close_matches(slug, [*exercises, *profiles], n=1)
    hint = f" Did you mean {near[0]!r}?" if near else ""
    raise CommandError(
        f"Unknown exercise {slug!r}.{hint} Exercises with a motion profile: {with_profile}."
    )


def select(
    files: list[LandmarkFile], subject: int | None, episode: int | None, name: str
) -> list[LandmarkFile]:
    """The UI-PRMD recordings matching ``--subject``/``--episode``; refuses them elsewhere."""
    if subject is None and episode is None:
        return files
    if files[0].subject is None:
        raise CommandError(f"{name}: --subject and --episode apply only to UI-PRMD files")
    chosen = [
        f
        for f in files
        if (subject is None or f.subject == subject) and (episode is None or f.episode == episode)
    ]
    if not chosen:
        subjects = sorted({f.subject for f in files if f.subject is not None})
        episodes = sorted({f.episode for f in files if f.episode is not None})
        raise CommandError(
            f"{name}: no recording for subject {subject}, episode {episode} "
            f"(subjects {subjects[0]}–{subjects[-1]}, episodes {episodes[0]}–{episodes[-1]})"
        )
    return chosen


def as_json(
    path: Path, profile: MotionProfile, results: list[tuple[LandmarkFile, Analysis]]
) -> dict[str, Any]:
    return {
        "file": path.name,
        "exercise": profile.slug,
        "recordings": [
            {
                "label": f.label,
                "subject": f.subject,
                "episode": f.episode,
                "correct": f.correct,
                "skeleton": f.landmarks.skeleton.name,
                "fps": f.landmarks.fps,
                "frames": f.landmarks.frame_count,
                "analysis": analysis_as_dict(a),
            }
            for f, a in results
        ],
    }


def as_table(
    path: Path, profile: MotionProfile, results: list[tuple[LandmarkFile, Analysis]]
) -> str:
    blocks = [table_block(path, profile, f, a) for f, a in results]
    if len(results) > 1:
        judged = [a for _, a in results if a.judged]
        total = (
            sum(len(a.reps) for a in judged)
            if profile.mode == "reps"
            else sum(len(a.holds) for a in judged)
        )
        blocks.append(
            f"{len(results)} recordings, {len(judged)} judged, {total} {profile.mode} in all."
        )
    return "\n\n".join(blocks)


def _frames(spans: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)


def table_block(path: Path, profile: MotionProfile, f: LandmarkFile, a: Analysis) -> str:
    lm = f.landmarks
    title = f"{path.name}" + (f" ({f.label})" if f.label else "")
    lines = [
        f"{title}: {profile.slug}, {lm.skeleton.name}, {lm.fps:g} fps, {lm.frame_count} frames "
        f"({a.duration_s:g} s), facing {a.facing}",
    ]
    if not a.judged:
        lines.append(f"cannot judge: {a.reason}")
        lines.append(f"confidence {a.confidence:.2f}")
        return "\n".join(lines)
    quality = "-" if a.quality is None else f"{a.quality}/100"
    lines.append(f"confidence {a.confidence:.2f}   quality {quality}")
    faults: list[tuple[str, Any]] = []
    if profile.mode == "reps":
        lines.append(f"{len(a.reps)} rep{'' if len(a.reps) == 1 else 's'}")
        if a.reps:
            lines.append("  rep  start   turn    end   ROM deg   out s  back s  faults")
            for n, rep in enumerate(a.reps, start=1):
                names = ", ".join(x.rule for x in rep.faults) or "-"
                lines.append(
                    f"  {n:>3}  {rep.start_frame:>5}  {rep.turn_frame:>5}  {rep.end_frame:>5}"
                    f"  {rep.range_of_motion_deg:>8.1f}  {rep.out_s:>6.2f}  {rep.back_s:>6.2f}"
                    f"  {names}"
                )
                faults += [(f"rep {n}", x) for x in rep.faults]
    else:
        target = profile.hold
        assert target is not None
        plural = "" if len(a.holds) == 1 else "s"
        lines.append(
            f"{len(a.holds)} hold{plural} (target {target.target_deg:g} ± "
            f"{target.tolerance_deg:g} deg for {target.target_s:g} s)"
        )
        if a.holds:
            lines.append("  hold  start    end  within s  target met  faults")
            for n, hold in enumerate(a.holds, start=1):
                names = ", ".join(x.rule for x in hold.faults) or "-"
                met = "yes" if hold.met_target else "no"
                lines.append(
                    f"  {n:>4}  {hold.start_frame:>5}  {hold.end_frame:>5}"
                    f"  {hold.within_tolerance_s:>8.1f}  {met:>10}  {names}"
                )
                faults += [(f"hold {n}", x) for x in hold.faults]
    if faults:
        lines.append("faults")
        for where, fault in faults:
            lines.append(
                f"  {where}: {fault.rule} (worst {fault.worst:g}) at frames "
                f"{_frames(fault.frames)}: {fault.cue}"
            )
    if a.unchecked_rules:
        lines.append(f"not checked (signal not measured here): {', '.join(a.unchecked_rules)}")
    return "\n".join(lines)
