"""`spinconf init`: a new project that validates at once, with pre-commit, a Makefile and CI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import assert_modeline_schema_accepts, render_ok

runner = CliRunner()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "spinnaker"
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return root


def test_new_project_validates_and_renders(project: Path) -> None:
    result = runner.invoke(app, ["validate", str(project)])
    assert result.exit_code == 0, result.output
    _, rendered = render_ok(project)
    assert "services/front50/front50.yml" in rendered.files


def test_new_project_has_the_files_a_team_needs(project: Path) -> None:
    files = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    for rel in ("versions.txt", "Makefile", ".pre-commit-config.yaml", ".github/workflows/spinconf.yml", "README.md"):
        assert rel in files
    overlays = sorted(f for f in files if f.startswith("overlays/"))
    assert {"overlays/storage.yml", "overlays/secrets.yml", "overlays/security/authn.yml", "overlays/ecs.yml"} <= set(
        overlays
    )
    for rel in overlays:
        assert_modeline_schema_accepts(project / rel)


def test_pre_commit_runs_the_installed_spinconf(project: Path) -> None:
    (repo,) = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "spinconf-validate",
        "spinconf validate",
        "system",
        False,
    )


def test_commented_examples_are_valid_once_uncommented(project: Path, tmp_path: Path) -> None:
    # what init shows as an example must work when an operator uncomments it
    root = tmp_path / "p"
    shutil.copytree(project, root)
    examples = ("secrets.yml", "security/authn.yml", "notifications/slack.yml", "observability.yml")
    for rel in (f"overlays/{name}" for name in examples):
        path = root / rel
        path.write_text("".join(uncomment(line) for line in path.read_text().splitlines(keepends=True)))
    assert "\n    oauth2:\n" in (root / "overlays/security/authn.yml").read_text()
    assert "\n  datadog:\n" in (root / "overlays/observability.yml").read_text()
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output


def uncomment(line: str) -> str:
    """``# key: value`` / ``#   nested:`` example lines lose their ``# ``; prose (capitalised) stays a comment."""
    body = line[2:]
    is_example = line.startswith("# ") and ":" in body and (body[:1] == " " or body[:1].islower())
    return body if is_example and not body.startswith("yaml-language-server") else line


def test_makefile_builds_each_service_with_its_task_definition_tag(project: Path, tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = tmp_path / "p"
    shutil.copytree(project, root)
    for svc in ("gate", "orca"):
        (root / "out/services" / svc).mkdir(parents=True)
    (root / "out/ecs").mkdir()
    taskdef = {"containerDefinitions": [{"name": "gate", "image": "reg.example/spinnaker/gate:2025.2.0-0123abcd"}]}
    (root / "out/ecs/gate.taskdef.json").write_text(json.dumps(taskdef))
    proc = subprocess.run(
        ["make", "-n", "push", "REGISTRY=reg.example/spinnaker"], cwd=root, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "docker build -t reg.example/spinnaker/gate:2025.2.0-0123abcd out/services/gate" in lines
    assert "docker push reg.example/spinnaker/gate:2025.2.0-0123abcd" in lines
    # no task definition: the release from versions.txt
    assert "docker build -t reg.example/spinnaker/orca:2025.2.0 out/services/orca" in lines


def test_refuses_a_non_empty_directory_without_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not empty" in result.output and "--force" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    forced = runner.invoke(app, ["init", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "versions.txt").is_file()


def test_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    result = runner.invoke(app, ["init", str(tmp_path / "f"), "--force"])
    assert result.exit_code == 1
    assert "is a file" in result.output
