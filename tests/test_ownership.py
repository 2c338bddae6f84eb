"""No silent empty config: render never writes over a file it did not write (issue 20, point 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import spinconf
from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

PROJECT = {
    "overlays/general.yml": "timezone: Europe/Paris\n",
    "versions.txt": "2025.2.0\n",
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_folder_holding_someone_elses_file_under_a_produced_name_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    out = root / "out"
    (out / "services" / "gate").mkdir(parents=True)
    (out / "services" / "gate" / "gate.yml").write_text("")  # kleat's empty placeholder, or a hand-made file
    before = _tree(out)
    result = runner.invoke(app, ["render", str(root)])
    assert result.exit_code == 1
    assert "did not write" in result.output and "services/gate/gate.yml" in result.output
    assert "Traceback" not in result.output
    assert _tree(out) == before


def test_rendering_again_over_its_own_files_is_allowed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    (root / "out" / "mine.txt").write_text("kept\n")  # a file under a name spinconf does not produce
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    assert (root / "out" / "mine.txt").read_text() == "kept\n"


def test_the_library_refuses_too(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    project = spinconf.load_project(root)
    files = spinconf.render_files(project)
    target = tmp_path / "elsewhere"
    (target / "services" / "clouddriver").mkdir(parents=True)
    (target / "services" / "clouddriver" / "clouddriver.yml").write_text("mine: true\n")
    with pytest.raises(ValueError, match="did not write"):
        spinconf.write_output(project, files, target)
    assert (target / "services" / "clouddriver" / "clouddriver.yml").read_text() == "mine: true\n"
    assert not (target / "manifest.json").exists()


def test_rendering_into_kleats_folder_is_refused(tmp_path: Path) -> None:
    # spinnaker-config's base/kleat/ holds an empty file per service, which its kustomization reads
    root = make_project(tmp_path / "p", PROJECT)
    kleat = tmp_path / "base" / "kleat"
    kleat.mkdir(parents=True)
    for name in ("clouddriver.yml", "gate.yml", "settings.js", "deck.env", "README.md"):
        (kleat / name).write_text("")
    before = _tree(kleat)
    result = runner.invoke(app, ["render", str(root), "--out", str(kleat)])
    assert result.exit_code == 1
    assert "clouddriver.yml" in result.output and "components:" in result.output
    assert _tree(kleat) == before
