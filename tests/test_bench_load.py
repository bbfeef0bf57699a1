"""The load and CPU benchmarks start: their options parse and their help names what they measure.

They are run by hand, not in the suite (they take minutes and their figures depend on the
machine); this only keeps them from rotting unnoticed.
"""

import subprocess
import sys
from pathlib import Path

LOAD = Path(__file__).resolve().parents[1] / "bench" / "load.py"
TODAY_CPU = LOAD.with_name("today_cpu.py")


def test_it_prints_its_help() -> None:
    done = subprocess.run(
        [sys.executable, str(LOAD), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    for option in ("--duration", "--rate", "--database-url", "--p99-limit-ms", "--step-factor"):
        assert option in done.stdout


def test_it_refuses_a_rate_of_zero() -> None:
    done = subprocess.run(
        [sys.executable, str(LOAD), "--rate", "0"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "--rate" in done.stderr


def test_the_cpu_benchmark_prints_its_help() -> None:
    done = subprocess.run(
        [sys.executable, str(TODAY_CPU), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    for option in ("trees", "--requests", "--rounds", "--days"):
        assert option in done.stdout


def test_the_cpu_benchmark_refuses_zero_rounds() -> None:
    done = subprocess.run(
        [sys.executable, str(TODAY_CPU), "--rounds", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--rounds" in done.stderr
