"""Repetitions with hysteresis and holds, on synthetic signals with known answers."""

import numpy as np
import pytest

from backcare.core.motion import find_holds, find_reps

ENTER, EXIT = 60.0, 30.0


def squats(reps: int, period: int = 90, rest: int = 30, peak: float = 100.0) -> np.ndarray:
    """Knee flexion: ``reps`` raised-cosine reps of ``period`` frames, rests of 5° between."""
    one = 5 + (peak - 5) * (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(period) / period))
    parts = [np.full(rest, 5.0)]
    for _ in range(reps):
        parts += [one, np.full(rest, 5.0)]
    return np.concatenate(parts)


def count(signal: np.ndarray, min_amplitude: float = 20.0) -> int:
    return len(
        find_reps(signal, enter=ENTER, exit=EXIT, min_frames=15, min_amplitude=min_amplitude)
    )


@pytest.mark.parametrize(
    ("reps", "period", "rest"),
    [(1, 90, 30), (3, 60, 10), (10, 90, 30), (12, 45, 1), (25, 120, 0)],
)
def test_it_counts_each_sinusoidal_rep_exactly(reps: int, period: int, rest: int) -> None:
    assert count(squats(reps, period, rest)) == reps


@pytest.mark.parametrize("seed", range(20))
def test_it_never_double_counts_jitter_around_the_enter_threshold(seed: int) -> None:
    rng = np.random.default_rng(seed)
    dwell = ENTER + rng.uniform(-12, 12, size=200)  # jitter ±12° < the 30° hysteresis gap
    rep = np.concatenate([np.linspace(5, ENTER, 40), dwell, np.linspace(ENTER, 5, 40)])
    signal = np.concatenate([np.full(20, 5.0), rep, np.full(20, 5.0), rep, np.full(20, 5.0)])
    assert count(signal) == 2


def test_a_single_threshold_would_have_double_counted_the_same_jitter() -> None:
    rng = np.random.default_rng(0)
    dwell = ENTER + rng.uniform(-12, 12, size=200)
    crossings = np.sum(np.diff((dwell >= ENTER).astype(int)) == 1)
    assert crossings > 10  # the test above is not trivial


def test_a_pause_at_the_bottom_is_still_one_rep() -> None:
    down = np.linspace(5, 100, 40)
    signal = np.concatenate([np.full(20, 5.0), down, np.full(150, 100.0), down[::-1], [5.0] * 20])
    reps = find_reps(signal, enter=ENTER, exit=EXIT, min_frames=15, min_amplitude=20)
    assert len(reps) == 1
    assert 59 <= reps[0].turn <= 210  # on the plateau at the bottom


def test_long_pauses_between_reps_do_not_change_the_count() -> None:
    assert count(squats(4, rest=600)) == 4


@pytest.mark.parametrize("peak", [40.0, 55.0, 59.9])
def test_partial_reps_that_never_reach_enter_are_not_counted(peak: float) -> None:
    signal = np.concatenate([squats(2), squats(3, peak=peak), squats(1)])
    assert count(signal) == 3


def test_a_rep_shorter_than_the_minimum_duration_is_not_counted() -> None:
    assert count(squats(3, period=10)) == 0
    assert count(squats(3, period=20)) == 3


def test_a_rep_with_too_little_amplitude_from_rest_is_not_counted() -> None:
    high_rest = squats(2) + 20.0  # rests at 25°, peaks at 120°: amplitude 95°
    assert count(high_rest, min_amplitude=100.0) == 0
    assert count(high_rest, min_amplitude=90.0) == 2


def test_a_rep_that_crosses_a_long_gap_is_dropped_and_the_others_kept() -> None:
    signal = squats(3, period=90, rest=30)
    signal[30 + 120 + 40 : 30 + 120 + 50] = np.nan  # the bottom of the second rep is unknown
    assert count(signal) == 2


def test_a_recording_that_starts_mid_rep_does_not_count_the_fragment() -> None:
    signal = squats(3)[75:]  # starts near the bottom of the first rep
    assert count(signal) == 2


def test_start_turn_and_end_are_where_the_rep_leaves_turns_and_returns() -> None:
    (rep,) = find_reps(
        squats(1, period=90, rest=30), enter=60, exit=30, min_frames=15, min_amplitude=20
    )
    assert rep.turn == 30 + 45
    assert 29 <= rep.start <= 40  # within 5° of the rest level, just before the rise
    assert 110 <= rep.end <= 121


def test_exit_must_be_below_enter() -> None:
    with pytest.raises(ValueError, match="exit must be below enter"):
        find_reps(squats(1), enter=30, exit=30, min_frames=1, min_amplitude=0)


def hold_signal(seconds: float, target: float = 90.0, fps: int = 30) -> np.ndarray:
    ramp = np.linspace(0, target, fps)
    return np.concatenate([ramp, np.full(int(seconds * fps), target), ramp[::-1]])


def test_it_times_a_hold_within_tolerance() -> None:
    holds = find_holds(hold_signal(20), target=90, tolerance=10, min_frames=30, bridge_frames=15)
    assert len(holds) == 1
    window, within = holds[0]
    assert 600 <= within <= 600 + 8  # 20 s, plus the few ramp frames already within 10°
    assert window.end - window.start + 1 == within


def test_a_brief_wobble_does_not_split_a_hold_but_is_not_counted() -> None:
    signal = hold_signal(20)
    signal[300:310] = 130.0  # a third of a second out of tolerance
    ((window, within),) = find_holds(
        signal, target=90, tolerance=10, min_frames=30, bridge_frames=15
    )
    assert within == (window.end - window.start + 1) - 10


def test_a_long_excursion_ends_one_hold_and_starts_another() -> None:
    signal = hold_signal(20)
    signal[300:360] = 130.0  # two seconds out
    holds = find_holds(signal, target=90, tolerance=10, min_frames=30, bridge_frames=15)
    assert len(holds) == 2


def test_passing_through_the_target_is_not_a_hold() -> None:
    signal = np.linspace(0, 180, 90)
    assert find_holds(signal, target=90, tolerance=10, min_frames=30, bridge_frames=15) == ()
