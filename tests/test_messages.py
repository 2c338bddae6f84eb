"""What a user sees after a run: no empty folders, a summary line, one error per broken file, no
version given twice, and a reference that says where keys really land."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

BASE = {
    "overlays/general.yml": "timezone: UTC\n",
    "overlays/slack.yml": """\
        notifications:
          slack:
            enabled: true
            botName: spinnakerbot
            token: {secret: slack-token}
        """,
    "overlays/secrets.yml": """\
        secrets:
          slack-token:
            ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/slack-token
        """,
}


def test_a_disabled_service_leaves_no_empty_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", BASE)
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    assert (root / "out/services/rosco").is_dir()
    (root / "overlays/services.yml").write_text("services:\n  rosco:\n    enabled: false\n")
    result = runner.invoke(app, ["render", str(root)])
    assert result.exit_code == 0, result.output
    assert not (root / "out/services/rosco").exists()
    empty = [p for p in (root / "out").rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert empty == []


def test_a_folder_holding_a_users_file_stays(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", BASE)
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    (root / "out/services/rosco/NOTES.md").write_text("mine\n")
    (root / "overlays/services.yml").write_text("services:\n  rosco:\n    enabled: false\n")
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    assert [p.name for p in (root / "out/services/rosco").iterdir()] == ["NOTES.md"]


def test_validate_and_render_end_with_a_summary(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", BASE)
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == ("spinconf: valid: 3 overlay files read, 7 services rendered, 3 warnings")
    rendered = runner.invoke(app, ["render", str(root)])
    assert rendered.stderr.splitlines()[-1] == (
        "spinconf: rendered: 3 overlay files read, 7 services rendered, 3 warnings"
    )
    checked = runner.invoke(app, ["render", "--check", str(root)])
    assert checked.stderr.splitlines()[-1].startswith("spinconf: up to date: 3 overlay files read")
    # with --format json, stdout stays one JSON document; the summary goes to stderr
    as_json = runner.invoke(app, ["validate", str(root), "--format", "json"])
    assert [d["code"] for d in json.loads(as_json.stdout)["diagnostics"]] == [
        "front50-no-store",
        "localhost-address",
        "localhost-address",
    ]
    assert "spinconf: valid:" in as_json.stderr


def test_no_summary_when_invalid(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {**BASE, "overlays/general.yml": "timezon: UTC\n"})
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    assert "spinconf: valid:" not in result.output


def test_a_file_that_does_not_parse_gives_its_syntax_error_and_no_cascade(tmp_path: Path) -> None:
    # the file that references the secret is broken: nothing about the secret being unused
    root = make_project(tmp_path / "p", {**BASE, "overlays/slack.yml": "notifications:\n  slack: [unclosed\n"})
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [ln for ln in lines if "overlays/slack.yml" in ln], lines
    assert "[yaml-syntax]" in lines[0]


def test_other_files_problems_are_still_reported_next_to_a_syntax_error(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p", {**BASE, "overlays/broken.yml": "a: [\n", "overlays/general.yml": "timezon: UTC\n"}
    )
    result = runner.invoke(app, ["validate", str(root)])
    codes = sorted(ln.rsplit("[", 1)[1].rstrip("]") for ln in result.stderr.splitlines() if ln.startswith("overlays/"))
    assert codes == ["unknown-key", "yaml-syntax"]


@pytest.mark.parametrize(("overlay", "severity"), [("2025.2.0", "warning"), ("2025.2.4", "error")])
def test_version_in_an_overlay_and_versions_txt(tmp_path: Path, overlay: str, severity: str) -> None:
    root = make_project(
        tmp_path / "p",
        {**BASE, "overlays/general.yml": f"timezone: UTC\nversion: {overlay}\n", "versions.txt": "2025.2.0\n"},
    )
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == (1 if severity == "error" else 0)
    (line,) = [ln for ln in result.stderr.splitlines() if "[version-" in ln]
    assert line.startswith(f"overlays/general.yml:2:1: {severity}: version {overlay} here")
    assert "versions.txt" in line


def test_an_environment_may_set_its_own_version(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p", {**BASE, "environments/staging/v.yml": "version: 2025.2.4\n", "versions.txt": "2025.2.0\n"}
    )
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 0, result.output
    assert "version-" not in result.output
