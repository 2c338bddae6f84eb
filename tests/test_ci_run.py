"""`.ci/run` tests what a new user gets: a virtualenv of its own, the README's command, pytest's verdict."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO

CI_RUN = REPO / ".ci" / "run"

# `python3` as .ci/run finds it: makes a "virtualenv" whose python3 logs each call and answers
# for pytest with $PYTEST_EXIT (so this test runs no installation and no nested test suite)
FAKE_PYTHON = """#!/bin/sh
echo "$0 $*" >> "$CALLS"
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python3" && exit 0
fi
if [ "$1 $2" = "-m pytest" ]; then exit "$PYTEST_EXIT"; fi
exit 0
"""


def readme_test_command() -> str:
    text = (REPO / "README.md").read_text()
    (command,) = re.findall(r"^(python3 -m pip install -e '\.\[test\]' && .*)$", text, re.MULTILINE)
    return command


def run_ci(tmp_path: Path, pytest_exit: int) -> tuple[int, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    calls = tmp_path / f"calls-{pytest_exit}.txt"
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "CALLS": str(calls),
        "PYTEST_EXIT": str(pytest_exit),
        "TMPDIR": str(tmp_path),
        "PYTHONPATH": "/somewhere/else",
        "HOME": os.environ.get("HOME", "/root"),
    }
    proc = subprocess.run(["bash", str(CI_RUN)], env=env, capture_output=True, text=True, check=False, timeout=60)
    return proc.returncode, calls.read_text().splitlines()


def test_ci_runs_the_readme_command_in_a_new_virtualenv(tmp_path: Path) -> None:
    assert readme_test_command() in CI_RUN.read_text()
    code, calls = run_ci(tmp_path, 0)
    assert code == 0
    venv_call, *rest = calls
    assert re.fullmatch(rf"{tmp_path}/bin/python3 -m venv {tmp_path}/tmp\.\w+/venv", venv_call)
    venv = venv_call.split()[-1]
    # every later step runs the new virtualenv's python, in the README's order
    assert [c.split(" ", 1)[0] for c in rest] == [f"{venv}/bin/python3"] * 3
    assert [c.split(" ", 1)[1] for c in rest] == [
        "-m pip install -e .[test]",
        "-m spinconf render --check .",
        "-m pytest",
    ]
    assert not any(Path(tmp_path).glob("tmp.*")), "the virtualenv is removed afterwards"


@pytest.mark.parametrize(("pytest_exit", "expected"), [(1, 1), (2, 2), (5, 1)])
def test_pytests_verdict_is_the_ci_verdict(tmp_path: Path, pytest_exit: int, expected: int) -> None:
    # 5 is "no test collected": never a pass
    code, _ = run_ci(tmp_path, pytest_exit)
    assert code == expected
