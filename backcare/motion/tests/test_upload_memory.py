"""Server memory of one motion upload stays bounded, for the largest valid one and for floods.

Issue 11, item 7: memory growth per request under 50 MB. Each upload is measured as resident
memory in a fresh process (``backcare.motion.tests.memory``), so native allocations count too.
Before the body was parsed as it streams in, the largest valid upload took +297 MB (at 30 fps),
and two million unknown fields +2,216 MB.
"""

from __future__ import annotations

import pytest

from backcare.motion.tests.memory import KINDS, measure_in_fresh_process

LIMIT_MB = 50
ANSWERS = {
    "largest": 201,
    "largest at 10 fps": 201,
    "empty frames": 413,
    "joints": 413,
    "fields": 422,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_it_answers_an_upload_with_under_50_mb_of_server_memory(kind: str) -> None:
    measure = measure_in_fresh_process(kind)

    assert measure.status == ANSWERS[kind]
    assert measure.growth_mb < LIMIT_MB, f"{kind}: +{measure.growth_mb:.0f} MB"
