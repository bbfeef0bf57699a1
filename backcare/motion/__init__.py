"""Stored motion analyses: the engine's verdict on a recording of a logged exercise.

The patient's device runs the pose model, so video never leaves it; the app uploads only the
landmark sequence for one logged exercise (``api.py``). The server runs ``backcare.core.motion``
on it and keeps the result (reps, holds, faults, quality, confidence) attached to the exercise
log. The landmarks themselves are not stored: privacy by design, only the verdict is kept.
"""
