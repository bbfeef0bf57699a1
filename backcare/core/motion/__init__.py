"""Motion engine: count repetitions, time holds and check form from pose landmarks.

Pure NumPy, no Django, no clock. The pipeline (``analyze``):

1. ``Landmarks`` (frames × joints × x, y, z, visibility, with a fps and a ``Skeleton``) →
2. ``prepare``: visibility gating, linear filling of short gaps, resampling to ``RATE_HZ``,
   zero-phase Butterworth smoothing → ``Track`` of the common points →
3. ``signals``: knee and hip flexion, trunk inclination, lateral tilt, rotation, pelvic tilt, knee
   valgus ratio, left/right asymmetry; ``facing``: which side faces the camera →
4. ``find_reps`` (hysteresis) or ``find_holds`` on the profile's signal, then the profile's form
   rules per rep → ``Analysis`` with reps, holds, faults with frames and cues, quality and
   confidence — or a refusal to judge when the landmarks are too poor.

Profiles (``MotionProfile``) are data in ``content/motion/<slug>.toml``; see ``docs/motion.md``.
"""

from backcare.core.motion.analyze import (
    FAULT_MIN_S,
    MIN_CONFIDENCE,
    MIN_RECORDING_S,
    Analysis,
    Fault,
    Hold,
    Rep,
    analyze,
    analyze_track,
    check_rule,
)
from backcare.core.motion.angles import SIGNALS, Facing, SignalName, facing, signals
from backcare.core.motion.clean import CUTOFF_HZ, MAX_GAP_S, RATE_HZ, VISIBILITY_MIN, Track, prepare
from backcare.core.motion.landmarks import Landmarks, MotionError
from backcare.core.motion.profile import (
    CHECKS,
    FormRule,
    HoldTarget,
    MotionProfile,
    RepPhases,
    load_profiles,
    parse_profile,
    unlinked_profiles,
)
from backcare.core.motion.reps import Window, find_holds, find_reps
from backcare.core.motion.skeleton import (
    BLAZEPOSE_33,
    COMMON_POINTS,
    KINECT_22,
    SKELETONS,
    Skeleton,
)
from backcare.core.motion.ui_prmd import UI_PRMD_FPS, Recording, parse_ui_prmd, read_ui_prmd

__all__ = [
    "BLAZEPOSE_33",
    "CHECKS",
    "COMMON_POINTS",
    "CUTOFF_HZ",
    "FAULT_MIN_S",
    "KINECT_22",
    "MAX_GAP_S",
    "MIN_CONFIDENCE",
    "MIN_RECORDING_S",
    "RATE_HZ",
    "SIGNALS",
    "SKELETONS",
    "UI_PRMD_FPS",
    "VISIBILITY_MIN",
    "Analysis",
    "Facing",
    "Fault",
    "FormRule",
    "Hold",
    "HoldTarget",
    "Landmarks",
    "MotionError",
    "MotionProfile",
    "Recording",
    "Rep",
    "RepPhases",
    "SignalName",
    "Skeleton",
    "Track",
    "Window",
    "analyze",
    "analyze_track",
    "check_rule",
    "facing",
    "find_holds",
    "find_reps",
    "load_profiles",
    "parse_profile",
    "parse_ui_prmd",
    "prepare",
    "read_ui_prmd",
    "signals",
    "unlinked_profiles",
]
