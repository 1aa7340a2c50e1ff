"""`python3 build.py test`, the README's test command: it runs the suite on pytest-xdist
workers unless its arguments say how to run, and its exit code is pytest's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sharedkit import BUILD_PY, ROOT, load_build_script

build = load_build_script()


def test_the_suite_runs_on_workers_grouped_by_the_suite_s_own_scheduler() -> None:
    args = build.pytest_arguments(["tests/cli", "-q", "-x"])
    assert args == ["-n", str(build.test_workers()), "--dist", "loadgroup", "tests/cli", "-q",
                    "-x"]


@pytest.mark.parametrize("given", [
    ["-p", "no:xdist"], ["-pno:xdist"], ["-n", "0"], ["-n3"], ["--numprocesses=2"],
    ["--dist=load"], ["tests/cli", "--pdb"], ["-s"], ["--co", "-q"], ["--version"],
    ["--sw"], ["-xs"], ["-sv"], ["-vxs"], ["-xh"],
])
def test_arguments_that_decide_how_to_run_are_passed_as_they_are(given: list[str]) -> None:
    assert build.pytest_arguments(given) == given


@pytest.mark.parametrize("given", [["-xv"], ["-ks"], ["-k", "s"], ["-vkslow"], ["-ms"],
                                   ["-rs"], ["-Werror"], ["tests/s"]])
def test_letters_that_are_a_value_or_a_path_do_not_turn_workers_off(given: list[str]) -> None:
    # `-ks` is -k with the expression "s", not -k and -s; `-rs` asks for skip reasons.
    assert build.pytest_arguments(given)[:1] == ["-n"], given


@pytest.mark.parametrize(("cpus", "workers"), [(1, 2), (2, 4), (3, 6), (4, 8), (64, 8)])
def test_two_workers_per_core_between_two_and_eight(cpus: int, workers: int) -> None:
    assert build.test_workers(cpus) == workers


def run_build_test(*args: str) -> subprocess.CompletedProcess[str]:
    # The child is a pytest run of its own: nothing of this run's worker reaches it.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run([sys.executable, str(BUILD_PY), "test", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_a_run_on_workers_that_collects_nothing_fails_with_5() -> None:
    done = run_build_test("tests/test_layout.py", "-k", "no_such_test", "-p", "no:cacheprovider")
    # On the workers build.py chose, and exit code 5 (no tests collected) is a failure,
    # returned as pytest gives it.
    assert f"{build.test_workers()} workers [0 items]" in done.stdout, done.stdout
    assert done.returncode == 5, done.stdout + done.stderr
