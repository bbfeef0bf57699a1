"""Landmark files: read the documented formats into ``Landmarks``, write an ``Analysis`` as JSON.

Three input formats, told apart by their content (gzip is undone first, whatever the name):

- **UI-PRMD CSV** (header ``subject,episode,correct,frame,waist_x,…``): the Kinect recordings of
  the UI-PRMD data set, one recording per ``(subject, episode, correct)``; see ``ui_prmd``.
- **Landmark CSV**, long format, header ``frame,joint,x,y,z,visibility`` (``visibility`` may be
  left out: 1.0). One row per seen landmark; ``joint`` is the skeleton's joint name or its index.
  A landmark that was not seen is left out (or given visibility 0); a frame number with no rows
  is a dropped frame. It carries no frame rate or skeleton: the caller gives them.
- **Landmark JSON**: ``{"fps": 30, "skeleton": "blazepose33", "frames": [[[x, y, z, v], …], …]}``,
  one list of ``[x, y, z, visibility]`` (or ``[x, y, z]``: visibility 1.0) per joint per frame,
  or ``null`` for a joint not seen.

Every error is a :class:`MotionError` whose message names the file and where the problem is
(line and column, frame and joint). NaN and infinite numbers are refused rather than read as
"not seen": a landmark that was not seen is left out, so a NaN is a writer's bug worth reporting.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from backcare.core.motion.analyze import Analysis
from backcare.core.motion.landmarks import Landmarks, MotionError
from backcare.core.motion.skeleton import SKELETONS, Skeleton
from backcare.core.motion.ui_prmd import UI_PRMD_HEADER, parse_ui_prmd

__all__ = [
    "CSV_HEADER",
    "MAX_FRAMES",
    "FileFormat",
    "LandmarkFile",
    "analysis_as_dict",
    "detect_format",
    "parse_landmark_csv",
    "parse_landmark_json",
    "read_landmark_file",
]

FileFormat = Literal["ui-prmd", "csv", "json"]

CSV_HEADER = ("frame", "joint", "x", "y", "z", "visibility")
"""The long landmark CSV's columns; the last may be left out."""

MAX_FRAMES = 360_000
"""Longest sequence read: 20 minutes at 300 fps, or 3 hours 20 minutes at 30 fps. Far more than
any exercise set; it bounds memory when a file's frame numbers are wrong (a frame 10⁹)."""


@dataclass(frozen=True, eq=False)
class LandmarkFile:
    """One recording read from a file, with what identifies it within the file."""

    landmarks: Landmarks
    label: str
    """Empty for files holding a single recording; "subject 1, episode 3, correct" for UI-PRMD."""
    subject: int | None = None
    episode: int | None = None
    correct: bool | None = None


def _skeleton(name: str, source: str) -> Skeleton:
    if name not in SKELETONS:
        raise MotionError(
            f"{source}: unknown skeleton {name!r}; known: {', '.join(sorted(SKELETONS))}"
        )
    return SKELETONS[name]


def detect_format(text: str) -> FileFormat:
    """Which of the documented formats ``text`` is in, from its first characters."""
    head = text.lstrip()
    if head.startswith(("{", "[")):
        return "json"
    first = head.partition("\n")[0].strip().lower().replace(" ", "")
    if first.startswith(",".join(UI_PRMD_HEADER[:4])):
        return "ui-prmd"
    return "csv"


def _number(cell: str, line: int, column: str, source: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise MotionError(
            f"{source}: line {line}, column {column}: {cell.strip()!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise MotionError(
            f"{source}: line {line}, column {column}: {cell.strip()} is not a finite number; "
            "leave out a landmark that was not seen (or give it visibility 0)"
        )
    return value


def parse_landmark_csv(
    text: str, *, fps: float, skeleton: Skeleton, source: str = "landmark CSV"
) -> Landmarks:
    """Parse the long landmark CSV (``frame,joint,x,y,z[,visibility]``)."""
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise MotionError(f"{source}: the file is empty")
    header = tuple(c.strip().lower() for c in lines[0].split(","))
    if header not in (CSV_HEADER, CSV_HEADER[:5]):
        raise MotionError(
            f"{source}: line 1 should be the header {','.join(CSV_HEADER)} "
            f"(visibility may be left out), got {lines[0].strip()[:80]!r}"
        )
    columns = len(header)
    joints = {name: i for i, name in enumerate(skeleton.joints)}
    rows: list[tuple[int, int, float, float, float, float]] = []
    seen: dict[tuple[int, int], int] = {}
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split(",")
        if len(cells) != columns:
            raise MotionError(
                f"{source}: line {line_no}: expected {columns} columns, got {len(cells)}"
            )
        frame_cell, joint_cell = cells[0].strip(), cells[1].strip()
        if not frame_cell.isdigit():
            raise MotionError(
                f"{source}: line {line_no}, column frame: {frame_cell!r} is not a frame number "
                "(a whole number from 0)"
            )
        frame = int(frame_cell)
        if joint_cell.isdigit() and int(joint_cell) < len(skeleton.joints):
            joint = int(joint_cell)
        elif joint_cell in joints:
            joint = joints[joint_cell]
        else:
            raise MotionError(
                f"{source}: line {line_no}, column joint: {joint_cell!r} is not a joint of "
                f"{skeleton.name} (a name such as {skeleton.joints[0]!r}, or an index "
                f"0–{len(skeleton.joints) - 1})"
            )
        if (frame, joint) in seen:
            raise MotionError(
                f"{source}: line {line_no}: frame {frame}, joint {skeleton.joints[joint]} "
                f"already given on line {seen[frame, joint]}"
            )
        seen[frame, joint] = line_no
        x, y, z = (_number(cells[k], line_no, CSV_HEADER[k], source) for k in (2, 3, 4))
        v = _number(cells[5], line_no, "visibility", source) if columns == 6 else 1.0
        if not 0.0 <= v <= 1.0:
            raise MotionError(
                f"{source}: line {line_no}, column visibility: {v:g} is not between 0 and 1"
            )
        rows.append((frame, joint, x, y, z, v))
    if not rows:
        raise MotionError(f"{source}: the file has a header but no landmark rows")
    data = np.array(rows, dtype=np.float64)
    first, last = int(data[:, 0].min()), int(data[:, 0].max())
    if last - first + 1 > MAX_FRAMES:
        raise MotionError(
            f"{source}: frames {first}–{last} span more than {MAX_FRAMES:,} frames; "
            "check the frame column"
        )
    values = np.full((last - first + 1, len(skeleton.joints), 4), np.nan)
    values[..., 3] = 0.0
    values[data[:, 0].astype(np.int64) - first, data[:, 1].astype(np.int64)] = data[:, 2:]
    return _landmarks(values, fps, skeleton, source)


def parse_landmark_json(
    text: str,
    *,
    fps: float | None = None,
    skeleton: Skeleton | None = None,
    source: str = "landmark JSON",
) -> Landmarks:
    """Parse the landmark JSON; ``fps``/``skeleton`` given here must agree with the file's."""

    def refuse_constant(name: str) -> float:
        raise MotionError(
            f"{source}: {name} is not a number JSON allows; use null for a joint not seen"
        )

    try:
        raw = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise MotionError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    if not isinstance(raw, dict):
        raise MotionError(f"{source}: the top level must be an object with fps, skeleton, frames")
    unknown = sorted(set(raw) - {"fps", "skeleton", "frames"})
    if unknown:
        raise MotionError(f"{source}: unknown field {unknown[0]!r} (fields: fps, skeleton, frames)")
    for key in ("fps", "skeleton", "frames"):
        if key not in raw:
            raise MotionError(f"{source}: the field {key!r} is missing")
    file_fps = raw["fps"]
    if isinstance(file_fps, bool) or not isinstance(file_fps, int | float):
        raise MotionError(f"{source}: fps must be a number, got {json.dumps(file_fps)}")
    if fps is not None and not math.isclose(fps, file_fps):
        raise MotionError(f"{source}: the file says fps {file_fps:g}, but {fps:g} was given")
    if not isinstance(raw["skeleton"], str):
        raise MotionError(f'{source}: skeleton must be a name such as "blazepose33"')
    file_skeleton = _skeleton(raw["skeleton"], source)
    if skeleton is not None and skeleton != file_skeleton:
        raise MotionError(
            f"{source}: the file says skeleton {file_skeleton.name}, but {skeleton.name} was given"
        )
    frames = raw["frames"]
    if not isinstance(frames, list):
        raise MotionError(f"{source}: frames must be a list of frames")
    if not frames:
        raise MotionError(f"{source}: frames is empty")
    if len(frames) > MAX_FRAMES:
        raise MotionError(f"{source}: more than {MAX_FRAMES:,} frames")
    count = len(file_skeleton.joints)
    values = np.full((len(frames), count, 4), np.nan)
    values[..., 3] = 0.0
    for f, frame in enumerate(frames):
        if not isinstance(frame, list) or len(frame) != count:
            got = f"{len(frame)} joints" if isinstance(frame, list) else json.dumps(frame)[:40]
            raise MotionError(
                f"{source}: frame {f} must list {count} joints for {file_skeleton.name}, got {got}"
            )
        for j, joint in enumerate(frame):
            if joint is None:
                continue
            where = f"{source}: frame {f}, joint {j} ({file_skeleton.joints[j]})"
            if not isinstance(joint, list) or len(joint) not in (3, 4):
                raise MotionError(f"{where}: must be [x, y, z, visibility], [x, y, z] or null")
            if any(isinstance(n, bool) or not isinstance(n, int | float) for n in joint):
                raise MotionError(f"{where}: {json.dumps(joint)[:60]} holds something not a number")
            if len(joint) == 4 and not 0.0 <= joint[3] <= 1.0:
                raise MotionError(f"{where}: visibility {joint[3]:g} is not between 0 and 1")
            values[f, j] = joint if len(joint) == 4 else [*joint, 1.0]
    return _landmarks(values, float(file_fps), file_skeleton, source)


def _landmarks(values: Any, fps: float, skeleton: Skeleton, source: str) -> Landmarks:
    try:
        return Landmarks(values, fps, skeleton)
    except MotionError as error:
        raise MotionError(f"{source}: {error}") from None


def _ui_prmd(text: str, source: str) -> list[LandmarkFile]:
    body = text.partition("\n")[2]
    if not body.strip():
        raise MotionError(f"{source}: the file has a header but no frames")
    first_row = body.partition("\n")[0]
    cells = len(first_row.split(","))
    if cells != len(UI_PRMD_HEADER):
        raise MotionError(f"{source}: line 2: expected {len(UI_PRMD_HEADER)} columns, got {cells}")
    recordings = parse_ui_prmd(text, source)
    out = []
    line = 2
    for r in recordings:
        label = (
            f"subject {r.subject}, episode {r.episode}, {'correct' if r.correct else 'incorrect'}"
        )
        bad = np.argwhere(np.isnan(r.landmarks.values[..., :3]))
        if bad.size:
            frame, joint, axis = (int(v) for v in bad[0])
            column = 5 + 3 * joint + axis
            raise MotionError(
                f"{source}: line {line + frame}, column {column} "
                f"({UI_PRMD_HEADER[column - 1]}): not a number (NaN) in {label}"
            )
        line += r.landmarks.frame_count
        out.append(LandmarkFile(r.landmarks, label, r.subject, r.episode, r.correct))
    return out


def read_landmark_file(
    path: Path, *, fps: float | None = None, skeleton: str | None = None
) -> list[LandmarkFile]:
    """Read any documented format; ``fps``/``skeleton`` fill in (or must agree with) the file's.

    The landmark CSV needs ``fps`` (it records none) and uses ``skeleton`` (default
    ``blazepose33``). UI-PRMD files are always Kinect 22 at 30 fps, and a JSON file states its own,
    so a different value given for them is an error rather than silently ignored.
    """
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise MotionError(f"{source}: cannot read the file ({error.strerror})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise MotionError(f"{source}: a damaged gzip file ({error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MotionError(
            f"{source}: not a text file (byte {error.start} is not UTF-8); expected CSV or JSON"
        ) from None
    if not text.strip():
        raise MotionError(f"{source}: the file is empty")
    chosen = _skeleton(skeleton, "--skeleton") if skeleton is not None else None
    kind = detect_format(text)
    if kind == "json":
        return [
            LandmarkFile(parse_landmark_json(text, fps=fps, skeleton=chosen, source=source), "")
        ]
    if kind == "csv":
        if fps is None:
            raise MotionError(
                f"{source}: a landmark CSV does not record its frame rate; give the fps"
            )
        csv_skeleton = chosen if chosen is not None else SKELETONS["blazepose33"]
        landmarks = parse_landmark_csv(text, fps=fps, skeleton=csv_skeleton, source=source)
        return [LandmarkFile(landmarks, "")]
    if fps is not None and fps != 30.0:
        raise MotionError(f"{source}: UI-PRMD files are recorded at 30 fps; do not give another")
    if chosen is not None and chosen.name != "kinect22":
        raise MotionError(f"{source}: UI-PRMD files use the kinect22 skeleton, not {chosen.name}")
    return _ui_prmd(text, source)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN: a measure that could not be taken is null
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def analysis_as_dict(analysis: Analysis) -> dict[str, Any]:
    """``analysis`` as plain JSON-ready data: dataclasses → dicts, tuples → lists, NaN → None.

    Each rep also gets its ``duration_s`` (a property, so not a dataclass field).
    """
    data: dict[str, Any] = _clean(asdict(analysis))
    for rep, out in zip(analysis.reps, data["reps"], strict=True):
        out["duration_s"] = round(rep.duration_s, 3)
    return data
