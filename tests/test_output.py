"""Writing out/: deterministic bytes, all or nothing, user files kept, stale generated files removed, --check."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.output import replace_tree
from tests.helpers import make_project

runner = CliRunner()

PROJECT = {
    "overlays/providers/kubernetes.yml": """\
        providers:
          kubernetes:
            enabled: true
            primaryAccount: prod
            accounts:
              - name: prod
                context: prod-ctx
        """,
    "overlays/general.yml": "timezone: Europe/Paris\n",
    "versions.txt": "2025.2.0\n",
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _render(root: Path, *args: str) -> int:
    return runner.invoke(app, ["render", str(root), *args]).exit_code


def test_render_writes_manifest_with_hashes(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert _render(root) == 0
    manifest = json.loads((root / "out" / "manifest.json").read_text())
    assert manifest["release"] == "2025.2.0"
    files = _tree(root / "out")
    assert "services/clouddriver/clouddriver.yml" in manifest["files"]
    import hashlib

    for rel, meta in manifest["files"].items():
        assert hashlib.sha256(files[rel]).hexdigest() == meta["sha256"]


def test_render_is_deterministic_across_hash_seeds_and_mtimes(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    outputs = []
    for seed in ("0", "1", "12345"):
        for path in (root / "overlays").rglob("*.yml"):
            os.utime(path, (int(seed) * 1000, int(seed) * 1000))
        out = tmp_path / f"out-{seed}"
        proc = subprocess.run(
            [sys.executable, "-m", "spinconf", "render", str(root), "--out", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(_tree(out))
    assert outputs[0] == outputs[1] == outputs[2]


def test_check_passes_on_fresh_output_and_fails_after_a_change_writing_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert _render(root) == 0
    assert _render(root, "--check") == 0
    before = _tree(root / "out")
    (root / "overlays" / "general.yml").write_text("timezone: America/New_York\n")
    result = runner.invoke(app, ["render", str(root), "--check"])
    assert result.exit_code == 1
    assert "changed: services/" in result.output
    assert _tree(root / "out") == before


def test_user_files_are_kept_and_stale_generated_files_removed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert _render(root) == 0
    (root / "out" / "NOTES.md").write_text("mine\n")
    (root / "out" / "services" / "clouddriver" / "extra.txt").write_text("mine too\n")
    assert (root / "out" / "services" / "igor").exists() is False
    # disable a service: its generated files must go, user files must stay
    (root / "overlays" / "services.yml").write_text("services:\n  rosco:\n    enabled: false\n")
    assert _render(root) == 0
    assert not (root / "out" / "services" / "rosco" / "rosco.yml").exists()
    assert (root / "out" / "NOTES.md").read_text() == "mine\n"
    assert (root / "out" / "services" / "clouddriver" / "extra.txt").read_text() == "mine too\n"
    assert _render(root, "--check") == 0
    manifest = json.loads((root / "out" / "manifest.json").read_text())
    assert "NOTES.md" not in manifest["files"] and "services/rosco/rosco.yml" not in manifest["files"]


def test_invalid_config_leaves_out_unchanged(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert _render(root) == 0
    before = _tree(root / "out")
    (root / "overlays" / "general.yml").write_text("timezone: [\n")
    assert _render(root) == 1
    assert _tree(root / "out") == before


def test_a_failure_midway_leaves_out_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    replace_tree(target, {"a.txt": b"old\n", "manifest.json": b'{"files": {"a.txt": {}}}\n'})
    before = _tree(target)
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        replace_tree(target, {"a.txt": b"new\n", "b.txt": b"new\n", "manifest.json": b"{}\n"})
    assert _tree(target) == before
    assert not list(tmp_path.glob(".out.spinconf-*"))


_KILL_SCRIPT = """
import sys, os
from pathlib import Path
from spinconf.output import replace_tree
n = int(sys.argv[2])
files = {f"services/s{i}/f{j}.yml": (sys.argv[3] * 2000).encode() for i in range(40) for j in range(5)}
files["manifest.json"] = b'{"files": {}}'
replace_tree(Path(sys.argv[1]), files)
"""


def test_killing_render_leaves_old_or_new_output(tmp_path: Path) -> None:
    """SIGKILL at random points: out/ is always the old or the new complete tree."""
    import random

    target = tmp_path / "out"
    subprocess.run([sys.executable, "-c", _KILL_SCRIPT, str(target), "0", "A"], check=True)
    old = _tree(target)
    rng = random.Random(7)
    outcomes = set()
    for trial in range(12):
        letter = "B" if trial % 2 == 0 else "A"
        proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(target), "0", letter])
        time.sleep(rng.uniform(0.03, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _tree(target)
        assert set(now) == set(old), "a partial tree was left behind"
        contents = {v[:1] for k, v in now.items() if k != "manifest.json"}
        assert len(contents) == 1, "a mix of old and new files"
        outcomes.add(contents.pop())
    # a later render cleans up what a killed one left beside out/
    subprocess.run([sys.executable, "-c", _KILL_SCRIPT, str(target), "0", "C"], check=True)
    assert not list(tmp_path.glob(".out.spinconf-*"))


def test_a_line_break_in_the_version_cannot_escape_the_header_comment(tmp_path: Path) -> None:
    import yaml

    root = make_project(
        tmp_path / "p",
        {**PROJECT, "versions.txt": "", "overlays/version.yml": 'version: "x\\ninjected: true\\u2028b"\n'},
    )
    from spinconf.render import render_project
    from tests.helpers import load

    project = load(root)
    files = render_project(project).files
    text = files["services/clouddriver/clouddriver.yml"].decode()
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert len(header) == 2 and "x?injected: true?b" in header[0]
    assert "injected" not in (yaml.safe_load(text) or {})


def test_out_that_is_a_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    (root / "notes").write_text("mine\n")
    result = runner.invoke(app, ["render", str(root), "--out", str(root / "notes")])
    assert result.exit_code == 2
    assert "is not a folder" in result.output
    assert (root / "notes").read_text() == "mine\n"
    assert not list(root.glob(".notes.spinconf-*"))
    with pytest.raises(NotADirectoryError):
        replace_tree(root / "notes", {"a.txt": b"x"})
    assert (root / "notes").read_text() == "mine\n"


def test_out_that_holds_the_project_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    before = _tree(root)
    for out in (root, tmp_path):
        result = runner.invoke(app, ["render", str(root), "--out", str(out)])
        assert result.exit_code == 2 and "holds the project itself" in result.output
    assert _tree(root) == before
