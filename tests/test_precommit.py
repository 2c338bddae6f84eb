"""The pre-commit hook, through `pre-commit try-repo`, on a valid and an invalid project."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")


def _git_project(tmp_path: Path, fixture: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture, root)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "project"]):
        subprocess.run(cmd, cwd=root, check=True, env=env)
    return root


def _try_repo(root: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        ["pre-commit", "try-repo", str(REPO), "spinconf-validate", "--all-files"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def test_hook_passes_on_a_valid_project(tmp_path: Path, hook_home: Path) -> None:
    proc = _try_repo(_git_project(tmp_path, FIXTURES / "valid" / "named-lists-merge"), hook_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_hook_fails_on_an_invalid_project_showing_file_and_line(tmp_path: Path, hook_home: Path) -> None:
    proc = _try_repo(_git_project(tmp_path, FIXTURES / "invalid" / "merge-conflict"), hook_home)
    assert proc.returncode == 1
    assert "overlays/b.yml:2:1: error:" in proc.stdout


def test_hook_covers_every_environment(tmp_path: Path, hook_home: Path) -> None:
    # a typo only an environment holds: the hook runs a bare `spinconf validate`, which checks them all
    fixture = tmp_path / "fixture"
    shutil.copytree(REPO / "examples" / "environments", fixture)
    env_file = fixture / "environments" / "prod" / "ecs.yml"
    env_file.write_text(env_file.read_text().replace("desiredCount: 2", "desiredCont: 2"))
    proc = _try_repo(_git_project(tmp_path, fixture), hook_home)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "environments/prod/ecs.yml:9:3: error: unknown key 'desiredCont'" in proc.stdout
