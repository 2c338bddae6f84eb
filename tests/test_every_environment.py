"""Without --env, a project with environments/ means all of them (SPEC sections 1 and 7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import REPO, make_project

runner = CliRunner()
EXAMPLE = REPO / "examples" / "environments"


def two_environments(root: Path) -> Path:
    """A base that needs its environments (no timezone check trips), and two environments."""
    return make_project(
        root,
        {
            "overlays/a.yml": "timezone: UTC\n",
            "environments/prod/a.yml": "timezone: Europe/Paris\n",
            "environments/staging/a.yml": "timezone: Europe/Berlin\n",
        },
    )


def copy_example(tmp_path: Path) -> Path:
    root = tmp_path / "environments"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("out"))
    return root


def test_bare_validate_accepts_a_base_complete_only_with_its_environments() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output


def test_a_typo_in_an_environment_fails_a_bare_validate(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    env_file = root / "environments/prod/ecs.yml"
    env_file.write_text(env_file.read_text().replace("desiredCount: 2", "desiredCont: 2"))
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if "unknown-key" in ln]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("environments/prod/ecs.yml:9:3: error: unknown key 'desiredCont'")


def test_a_problem_of_the_base_is_reported_once_naming_the_environments(tmp_path: Path) -> None:
    root = two_environments(tmp_path / "p")
    (root / "overlays/b.yml").write_text("timezon: UTC\n")
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if "[unknown-key]" in ln]
    assert lines == [
        "overlays/b.yml:1:1: error: unknown key 'timezon' under the top level; did you mean 'timezone'? "
        "(`spinconf fix` renames it) (environments prod, staging) [unknown-key]"
    ], result.output


def test_a_problem_of_one_environment_names_it(tmp_path: Path) -> None:
    root = two_environments(tmp_path / "p")
    (root / "environments/staging/a.yml").write_text("timezone: [not, a, zone]\n")
    result = runner.invoke(app, ["validate", str(root), "--format", "json"])
    assert result.exit_code == 1
    import json

    (diag,) = [d for d in json.loads(result.stdout)["diagnostics"] if d["severity"] == "error"]
    assert diag["file"] == "environments/staging/a.yml"
    assert diag["message"].endswith("(environment staging)")


def test_env_can_be_repeated(tmp_path: Path) -> None:
    root = two_environments(tmp_path / "p")
    (root / "environments/dev").mkdir()
    (root / "environments/dev/a.yml").write_text("timezone: [not, a, zone]\n")
    (root / "environments/staging/a.yml").write_text("timezon: UTC\n")
    result = runner.invoke(app, ["validate", str(root), "--env", "staging", "--env", "prod"])
    assert result.exit_code == 1
    assert "environments/staging/a.yml:1:1: error: unknown key 'timezon'" in result.output
    assert "environments/dev" not in result.output  # only the environments named
    rendered = runner.invoke(app, ["render", str(root), "--env", "prod", "--env", "dev"])
    assert rendered.exit_code == 1
    assert "environments/dev/a.yml" in rendered.output
    assert not (root / "out").exists()  # all or nothing, across environments too


def test_bare_render_writes_and_checks_every_environment(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    result = runner.invoke(app, ["render", str(root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "out").iterdir()) == ["prod", "staging"]
    for env in ("prod", "staging"):
        manifest = yaml.safe_load((root / "out" / env / "manifest.json").read_text())
        assert manifest["environment"] == env
        assert (root / "out" / env / "services/gate/gate.yml").is_file()
    check = runner.invoke(app, ["render", "--check", str(root)])
    assert check.exit_code == 0, check.output
    # a change that only prod sees fails the bare check, naming prod's output
    env_file = root / "environments/prod/ecs.yml"
    env_file.write_text(env_file.read_text().replace("cpu: 2048", "cpu: 4096"))
    check = runner.invoke(app, ["render", "--check", str(root)])
    assert check.exit_code == 1
    assert "out/prod" in check.output and "out/staging" not in check.output.replace("out/prod", "")


def test_unknown_environment_among_several_is_a_usage_error(tmp_path: Path) -> None:
    root = two_environments(tmp_path / "p")
    result = runner.invoke(app, ["validate", str(root), "--env", "prod", "--env", "nope"])
    assert result.exit_code == 2
    assert "no environment 'nope'" in result.output


@pytest.mark.parametrize("command", ["validate", "render"])
def test_a_project_without_environments_is_unchanged(tmp_path: Path, command: str) -> None:
    root = make_project(tmp_path / "p", {"overlays/a.yml": "timezone: UTC\n"})
    result = runner.invoke(app, [command, str(root)])
    assert result.exit_code == 0, result.output
    if command == "render":
        assert (root / "out/manifest.json").is_file()
