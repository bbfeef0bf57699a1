"""Server memory of one motion upload, per shape of body; prints figures, asserts nothing.

Run from the repository root (Linux; about half a minute)::

    uv run python bench/upload_memory.py

Each body is sent in a fresh Python process on its own temporary SQLite database, as
``backcare.motion.tests.memory`` describes: the figure is the growth of resident memory (peak
during the upload less before it), native allocations included. ``test_upload_memory.py``
asserts the same measure stays under 56 MB. The bodies:

- ``largest``: the largest valid upload, 18,000 BlazePose frames of six-decimal pixels (28 MB);
- ``largest at 10 fps``: the same at the lowest rate, which the engine resamples to 54,000 frames;
- ``empty frames``: ten million empty frames (30 MB), refused with 413 at frame 18,001;
- ``joints``: one frame of three million joints (30 MB), refused with 413 at joint 34;
- ``fields``: two million unknown fields (25 MB), refused with 422.

Parsed whole by pydantic (before issue 11, item 7 was closed), the largest upload took +297 MB
(+298 MB at 10 fps) and two million unknown fields +2,216 MB; the floods of frames and joints
took +1,547 MB and +1,371 MB until they were counted and refused unparsed (+5 MB, +6 MB). Parsed
as it streams in (ijson), the output is::

              largest:   28 MB body, answered 201, server memory +25 MB
    largest at 10 fps:   28 MB body, answered 201, server memory +47 MB
         empty frames:   30 MB body, answered 413, server memory +3 MB
               joints:   30 MB body, answered 413, server memory +3 MB
               fields:   25 MB body, answered 422, server memory +1 MB

Of the 47 MB at 10 fps, 19 MB are the landmarks themselves and the rest the engine's.
"""

from __future__ import annotations

from backcare.motion.tests.memory import KINDS, measure_in_fresh_process


def main() -> None:
    for kind in KINDS:
        measure = measure_in_fresh_process(kind)
        print(
            f"{kind:>17}: {measure.body_mb:4.0f} MB body, answered {measure.status}, "
            f"server memory +{measure.growth_mb:,.0f} MB"
        )


if __name__ == "__main__":
    main()
