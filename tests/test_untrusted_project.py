"""Issue 13, point 2 and part of 5: reads and writes stay in the project; unreadable files are diagnostics."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

BASE = {
    "overlays/general.yml": "timezone: Europe/Paris\n",
    "versions.txt": "2025.2.0\n",
}
# a value only the outside file holds: it must never appear in any output
OUTSIDE_VALUE = "Outside/Secret_Zone_4711"


def _outside(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "leak.yml").write_text(f"timezone: {OUTSIDE_VALUE}\nnot_a_key: 1\n")
    return elsewhere


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ("out: ../elsewhere\n", "spinconf.yml:1:1"),
        ("out: {abs}\n", "spinconf.yml:1:1"),
        ("environments: ../elsewhere\n", "spinconf.yml:1:1"),
        ("overlays:\n  - overlays\n  - ../elsewhere\n", "spinconf.yml:3:5"),
        ("overlays: [overlays, {abs}]\n", "spinconf.yml:1:"),
    ],
)
def test_settings_paths_outside_the_project_are_errors(tmp_path: Path, settings: str, where: str) -> None:
    elsewhere = _outside(tmp_path)
    root = make_project(tmp_path / "p", BASE, settings=settings.replace("{abs}", str(elsewhere)))
    code, output = _invoke("render", str(root))
    assert code == 1, output
    assert where in output and "lies outside the project" in output
    assert OUTSIDE_VALUE not in output and "not_a_key" not in output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["leak.yml"]


@pytest.mark.parametrize("kind", ["file", "folder", "overlays"])
def test_an_overlay_link_to_outside_is_an_error_and_never_read(tmp_path: Path, kind: str) -> None:
    elsewhere = _outside(tmp_path)
    root = make_project(tmp_path / "p", {"versions.txt": "2025.2.0\n"})
    if kind == "file":
        (root / "overlays").mkdir()
        (root / "overlays" / "leak.yml").symlink_to(elsewhere / "leak.yml")
        where = "overlays/leak.yml:1:1"
    elif kind == "folder":
        (root / "overlays").mkdir()
        (root / "overlays" / "more").symlink_to(elsewhere, target_is_directory=True)
        where = "overlays/more:1:1"
    else:
        (root / "overlays").symlink_to(elsewhere, target_is_directory=True)
        where = "overlays:1:1"
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert f"{where}: error: a link to outside the project" in output
    assert OUTSIDE_VALUE not in output and "not_a_key" not in output


def test_a_link_inside_the_project_is_still_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {**BASE, "shared/tz.yml": "timezone: Europe/Paris\n"})
    (root / "overlays" / "general.yml").unlink()
    (root / "overlays" / "general.yml").symlink_to(root / "shared" / "tz.yml")
    code, output = _invoke("explain", "spinnaker", "global.spinnaker.timezone", str(root))
    assert code == 0, output
    assert "Europe/Paris" in output


@pytest.mark.parametrize("file", ["spinconf.yml", "versions.txt"])
def test_a_settings_file_linking_outside_is_not_read(tmp_path: Path, file: str) -> None:
    elsewhere = _outside(tmp_path)
    root = make_project(tmp_path / "p", {"overlays/general.yml": "timezone: Europe/Paris\n"})
    (root / file).symlink_to(elsewhere / "leak.yml")
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert f"{file}:1:1: error: {file} is a link to outside the project" in output
    assert OUTSIDE_VALUE not in output


@pytest.mark.parametrize("env", ["../../x", "..", ".", "a/b", "/tmp", "prod\n", ""])
def test_env_is_a_name_not_a_path(tmp_path: Path, env: str) -> None:
    root = make_project(tmp_path / "p", {**BASE, "environments/prod/x.yml": "timezone: UTC\n"})
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "leak.yml").write_text(f"timezone: {OUTSIDE_VALUE}\n")
    for command in ("validate", "render"):
        code, output = _invoke(command, str(root), "--env", env)
        assert code == 2, output
        assert "--env takes an environment name" in output
    assert not (root / "out").exists() and not (tmp_path / "out").exists()
    assert _invoke("render", str(root), "--env", "prod")[0] == 0


@pytest.mark.parametrize("file", ["spinconf.yml", "versions.txt"])
def test_an_unreadable_project_file_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str) -> None:
    root = make_project(tmp_path / "p", {**BASE, "spinconf.yml": "out: out\n"})
    real_read = Path.read_bytes
    real_text = Path.read_text

    def guard(path: Path) -> None:
        if path.name == file:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    def read_bytes(self: Path) -> bytes:
        guard(self)
        return real_read(self)

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        guard(self)
        return real_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert f"{file}:1:1: error: cannot read file: Permission denied [file-unreadable]" in output
    assert "internal error" not in output


def test_an_unreadable_overlay_folder_is_an_error_not_a_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "p", {**BASE, "overlays/hidden/x.yml": "timezone: UTC\n"})
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("hidden"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert "overlays/hidden/:1:1: error: cannot list folder: Permission denied" in output


def test_a_link_loop_in_overlays_is_an_error_not_a_crash(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", BASE)
    (root / "overlays" / "loop").symlink_to(root / "overlays" / "loop")
    (root / "overlays" / "a").symlink_to(root / "overlays" / "b")
    (root / "overlays" / "b").symlink_to(root / "overlays" / "a")
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert "overlays/loop:1:1: error: cannot read: Too many levels of symbolic links [file-unreadable]" in output
    assert "internal error" not in output


def test_link_loops_anywhere_are_errors_not_crashes(tmp_path: Path) -> None:
    files = {
        "versions.txt": "2025.2.0\n",
        "more/general.yml": "timezone: Europe/Paris\n",
        "more/gate.yml": "services:\n  gate:\n    files:\n      - source: loop-file\n        target: /opt/x\n",
        "more/deck.yml": "deck:\n  settingsLocalFile: loop-file\n",
    }
    root = make_project(tmp_path / "p", files, settings="overlays: [overlays, more]\n")
    (root / "overlays").symlink_to(root / "overlays", target_is_directory=True)
    (root / "loop-file").symlink_to(root / "loop-file")
    (root / "out").symlink_to(root / "out", target_is_directory=True)
    for args in (["validate"], ["render"], ["render", "--check"], ["render", "--out", str(root / "out")]):
        code, output = _invoke(*args, str(root)) if args[0] == "validate" else _invoke(args[0], str(root), *args[1:])
        assert code in (1, 2), output
        assert "internal error" not in output
        assert "overlays:1:1: error: cannot read: Too many levels of symbolic links" in output


def test_a_baked_file_or_settings_local_file_that_loops_is_an_error(tmp_path: Path) -> None:
    files = {
        "versions.txt": "2025.2.0\n",
        "overlays/gate.yml": "services:\n  gate:\n    files:\n      - source: loop-file\n        target: /opt/x\n",
        "overlays/deck.yml": "deck:\n  settingsLocalFile: loop-file\n",
    }
    root = make_project(tmp_path / "p", files)
    (root / "loop-file").symlink_to(root / "loop-file")
    (root / "out").symlink_to(root / "out", target_is_directory=True)
    code, output = _invoke("validate", str(root))
    assert code == 1, output
    assert "internal error" not in output
    assert "overlays/gate.yml:4:9: error: loop-file does not exist in the project [service-file-missing]" in output
    assert "overlays/deck.yml:2:3: error: deck.settingsLocalFile 'loop-file' does not exist" in output
    code, output = _invoke("render", str(root))
    assert code == 1 and "internal error" not in output, output
