"""The offline validators the ECS tests rely on fail when they should: a bad pair, a crash, no output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.targets.ecs_validation import assert_hadolint_clean, assert_valid_task_definitions

TASKDEF = {
    "family": "spinnaker-orca",
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "cpu": "256",
    "memory": "512",
    "containerDefinitions": [{"name": "orca", "image": "example.com/orca:1", "essential": True}],
}


def test_a_valid_task_definition_passes() -> None:
    assert_valid_task_definitions([TASKDEF])


def test_cfn_lint_finds_a_fargate_pair_aws_does_not_offer() -> None:
    with pytest.raises(AssertionError, match="E3047"):
        assert_valid_task_definitions([{**TASKDEF, "memory": "1536"}])


@pytest.mark.parametrize(
    "script",
    [
        "#!/bin/sh\nexit 1\n",  # a crash that prints nothing
        "#!/bin/sh\necho '[]'\nexit 1\n",  # an empty report with a failing exit
        "#!/bin/sh\necho 'Traceback (most recent call last):'\nexit 0\n",  # output that is no report
    ],
)
def test_a_cfn_lint_that_did_not_lint_fails_the_test(
    script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "cfn-lint"
    fake.write_text(script)
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(AssertionError, match="cfn-lint exit"):
        assert_valid_task_definitions([TASKDEF])


def test_hadolint_fails_on_a_warning_and_on_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_hadolint_clean("FROM example.com/orca:1\nUSER spinnaker\n")
    with pytest.raises(AssertionError):
        assert_hadolint_clean("FROM example.com/orca:latest\nRUN cd /tmp && ls\n")  # DL3007, DL3003
    fake = tmp_path / "hadolint"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(AssertionError):
        assert_hadolint_clean("FROM example.com/orca:1\n")
