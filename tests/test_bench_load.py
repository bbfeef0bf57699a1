"""The load benchmark starts: its options parse and its help names what it measures.

It is run by hand, not in the suite (it takes minutes and its figures depend on the machine);
this only keeps it from rotting unnoticed.
"""

import subprocess
import sys
from pathlib import Path

LOAD = Path(__file__).resolve().parents[1] / "bench" / "load.py"


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
