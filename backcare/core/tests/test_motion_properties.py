"""Property tests: for any plausible set of reps, noise below the hysteresis gap, pauses and
short dropped stretches, the counter finds exactly the reps that were done."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backcare.core.motion import find_reps

ENTER, EXIT = 60.0, 30.0
GAP = ENTER - EXIT


def session(reps: int, period: int, rest: int, peak: float, jitter: float, seed: int) -> np.ndarray:
    """Knee flexion for ``reps`` raised-cosine reps with uniform noise of ±``jitter``°."""
    one = 5 + (peak - 5) * (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(period) / period))
    parts = [np.full(rest, 5.0)]
    for _ in range(reps):
        parts += [one, np.full(rest, 5.0)]
    signal = np.concatenate(parts)
    noise = np.random.default_rng(seed).uniform(-jitter, jitter, size=signal.size)
    return signal + noise


@settings(max_examples=150, deadline=None)
@given(
    reps=st.integers(0, 15),
    period=st.integers(30, 150),
    rest=st.integers(0, 60),
    peak=st.floats(ENTER + 10, 140),
    jitter=st.floats(0, GAP / 2 - 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_it_counts_exactly_the_reps_done_whatever_the_noise_below_the_gap(
    reps: int, period: int, rest: int, peak: float, jitter: float, seed: int
) -> None:
    signal = session(reps, period, rest, peak, jitter, seed)
    found = find_reps(signal, enter=ENTER, exit=EXIT, min_frames=15, min_amplitude=20.0)
    assert len(found) == reps
    for rep in found:
        assert rep.start <= rep.turn <= rep.end


@settings(max_examples=100, deadline=None)
@given(
    reps=st.integers(1, 10),
    peak=st.floats(EXIT + 1, ENTER - 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_it_never_counts_partial_reps_that_stay_below_enter(
    reps: int, peak: float, seed: int
) -> None:
    signal = session(reps, 90, 30, peak, 0.5, seed)
    assert find_reps(signal, enter=ENTER, exit=EXIT, min_frames=15, min_amplitude=0.0) == ()
