"""Writing out/: deterministic bytes, all or nothing, user files kept, stale generated files removed, --check."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.output import replace_tree
from tests.helpers import KUBERNETES, make_project

runner = CliRunner()

PROJECT = {
    "overlays/providers/kubernetes.yml": KUBERNETES,
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
import os, shutil, signal, sys
from pathlib import Path
import spinconf.output as output

target, letter, stop_at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
if sys.argv[4:] == ["no-exchange"]:  # a system without renameat2: the two-rename path
    output._exchange = lambda a, b: False
state = {"step": 0, "inside": 0}


def pause(label):
    # one numbered point between two file system changes; the chosen one waits to be killed
    state["step"] += 1
    if state["step"] == stop_at:
        print(label, flush=True)
        signal.pause()


def wrap(owner, name):
    real = getattr(owner, name)

    def wrapper(*args, **kwargs):
        if state["inside"]:  # what rmtree does inside is one change, not hundreds
            return real(*args, **kwargs)
        pause("before " + name)
        state["inside"] += 1
        try:
            result = real(*args, **kwargs)
        finally:
            state["inside"] -= 1
        pause("after " + name)
        return result

    setattr(owner, name, wrapper)


for name in ("rename", "replace", "unlink", "remove", "rmdir", "link", "symlink"):
    wrap(os, name)
wrap(shutil, "rmtree")
wrap(shutil, "move")
wrap(output, "_exchange")
files = {f"services/s{i}/f{j}.yml": (letter * 2000).encode() for i in range(40) for j in range(5)}
files["manifest.json"] = ('{"files": {}, "letter": "%s"}' % letter).encode()
output.replace_tree(target, files)
print("done", flush=True)
"""


def _kill_run(target: Path, letter: str, stop_at: int = 0, *extra: str) -> str:
    """Run the kill script; stop it at point ``stop_at`` (0: never) with SIGKILL. Returns where it stopped."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(target), letter, str(stop_at), *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    label = proc.stdout.readline().strip()
    if label != "done":
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if label == "done":
        assert proc.returncode == 0
    else:
        assert proc.returncode == -signal.SIGKILL, (label, proc.returncode)
    return label


def test_killing_render_leaves_old_or_new_output(tmp_path: Path) -> None:
    """SIGKILL at every point between two file system changes of a render: out/ is the old or the new tree."""
    target = tmp_path / "out"
    assert _kill_run(target, "A") == "done"
    old = _tree(target)
    assert _kill_run(tmp_path / "expected", "B") == "done"
    new = _tree(tmp_path / "expected")
    assert old != new and set(old) == set(new)  # every file differs: old and new are told apart
    outcomes: list[tuple[str, str]] = []
    for stop_at in range(1, 50):
        label = _kill_run(target, "B", stop_at)
        if label == "done":
            break
        now = _tree(target)
        assert now in (old, new), f"killed {label} (point {stop_at}): out/ is neither the old nor the new tree"
        outcomes.append((label, "new" if now == new else "old"))
        # a full render back to the old tree also clears what the killed one left beside out/,
        # so every point is counted from the same start
        assert _kill_run(target, "A") == "done"
        assert _tree(target) == old and not list(tmp_path.glob(".out.spinconf-*"))
    else:
        pytest.fail("the render never finished")
    kinds = [kind for _, kind in outcomes]
    # kills landed on both sides of the swap: before it out/ is old, after it new, never back
    assert kinds[0] == "old" and kinds[-1] == "new", outcomes
    assert kinds == sorted(kinds, key=lambda k: k == "new"), outcomes
    # and at the swap itself: the last point that left the old tree and the first that left the new one
    # sit on either side of one call, the exchange
    switch = kinds.index("new")
    assert outcomes[switch - 1][0].startswith("before ") and outcomes[switch][0].startswith("after "), outcomes
    assert outcomes[switch - 1][0].removeprefix("before ") == outcomes[switch][0].removeprefix("after "), outcomes
    # a later render cleans up what a killed one left beside out/
    assert _kill_run(target, "C") == "done"
    assert not list(tmp_path.glob(".out.spinconf-*"))
    assert {v[:1] for k, v in _tree(target).items() if k != "manifest.json"} == {b"C"}


def test_without_an_atomic_exchange_a_killed_render_is_recovered_by_the_next(tmp_path: Path) -> None:
    """Two renames: a kill between them leaves out/ missing and the old tree beside it; the next run restores it,
    so files the operator keeps in out/ survive."""
    target = tmp_path / "out"
    assert _kill_run(target, "A", 0, "no-exchange") == "done"
    (target / "NOTES.md").write_text("mine\n")
    old = _tree(target)
    missing_seen = False
    for stop_at in range(1, 50):
        label = _kill_run(target, "B", stop_at, "no-exchange")
        if label == "done":
            break
        if not target.exists():
            missing_seen = True
            leftovers = sorted(tmp_path.glob(".out.spinconf-old-*"))
            assert len(leftovers) == 1 and _tree(leftovers[0]) == old, label
        else:
            now = _tree(target)
            assert now == old or {v[:1] for k, v in now.items() if k.startswith("services/")} == {b"B"}, label
            assert now["NOTES.md"] == b"mine\n", label
        assert _kill_run(target, "A", 0, "no-exchange") == "done"
        assert _tree(target) == old, label  # NOTES.md carried over, the old render's files back
        assert not list(tmp_path.glob(".out.spinconf-*"))
    else:
        pytest.fail("the render never finished")
    assert missing_seen  # a kill did land between the two renames


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
