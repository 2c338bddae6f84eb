"""Issue 13, point 4: no diagnostic line of any format can be read as a CI workflow command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

FORGED = "x\n::error file=README.md,line=1::forged\n.yml"
FORGED_MESSAGE = "{bad\r\n::warning::forged too\u2028::error::third}"


def _project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p", {"versions.txt": "2025.2.0\n"})
    (root / "overlays").mkdir()
    # a file name with line breaks, and a value echoed in a message (an unknown key)
    (root / "overlays" / FORGED).write_text("timezone: [\n")
    (root / "overlays" / "keys.yml").write_text(json.dumps({FORGED_MESSAGE: 1}) + "\n")
    return root


def _commands(output: str) -> list[str]:
    """The lines a GitHub runner would take as workflow commands (it trims leading blanks)."""
    return [line for line in output.splitlines() if line.lstrip().startswith("::")]


def _all_lines(output: str) -> list[str]:
    # every line break a log viewer might honour
    return output.replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n").split("\n")


def test_the_text_format_prints_no_workflow_command(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    assert [line for line in _all_lines(result.output) if line.lstrip().startswith("::")] == []
    escaped = "overlays/x\\x0a::error file=README.md,line=1::forged\\x0a.yml"
    assert f"{escaped}:2:1: error: YAML syntax error" in result.output
    assert "forged too\\u2028::error::third" in result.output


def test_the_github_format_prints_only_its_own_commands(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = runner.invoke(app, ["validate", str(root), "--format", "github"])
    assert result.exit_code == 1
    lines = [line for line in _all_lines(result.output) if line]
    assert lines and all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    forged = [line for line in lines if "README.md" in line]
    # GitHub's escaping: % CR LF as %25 %0D %0A, and ':' ',' in properties
    assert forged == [line for line in lines if "file=overlays/x%0A%3A%3Aerror file=README.md%2Cline=1%3A%3A" in line]
    assert len(forged) == 1


def test_a_folder_name_cannot_start_a_command_line(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p", {"::error::owned/a.yml": "timezone: [\n"}, settings="overlays: ['::error::owned']\n"
    )
    for args in ([], ["--env", "nope"]):
        result = runner.invoke(app, ["validate", str(root), *args])
        assert result.exit_code in (1, 2)
        assert _commands(result.output) == [], result.output


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_structured_formats_keep_the_name_exact_and_escaped(tmp_path: Path, fmt: str) -> None:
    root = _project(tmp_path)
    result = runner.invoke(app, ["validate", str(root), "--format", fmt])
    assert result.exit_code == 1
    assert _commands(result.output) == []
    assert all("\u2028" not in line for line in result.output.splitlines())
    doc = json.loads(result.output)
    if fmt == "json":
        files = {d["file"] for d in doc["diagnostics"]}
    else:
        files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert f"overlays/{FORGED}" in files


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_the_legacy_command_form_is_escaped_anywhere_in_a_line(tmp_path: Path, fmt: str) -> None:
    # GitHub's runner also reads `##[name]` anywhere in a line (the legacy form), not only at its start
    root = make_project(tmp_path / "p", {"versions.txt": "2025.2.0\n"})
    (root / "overlays").mkdir()
    (root / "overlays" / "a##[error]forged.yml").write_text("timezone: [\n")
    (root / "overlays" / "keys.yml").write_text('"##[warning]forged": 1\n')
    result = runner.invoke(app, ["validate", str(root), "--format", fmt])
    assert result.exit_code == 1
    assert "##[" not in result.output
    if fmt in ("json", "sarif"):
        assert "a##[error]forged.yml" in json.dumps(json.loads(result.output))  # the data itself is exact


def test_explain_prints_no_command_either(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        {"overlays/a.yml": 'profiles:\n  gate:\n    x: "ok\\n::error::forged ##[error]forged"\n'},
    )
    result = runner.invoke(app, ["explain", "gate", "x", str(root)])
    assert result.exit_code == 0, result.output
    assert _commands(result.output) == [] and "##[" not in result.output
