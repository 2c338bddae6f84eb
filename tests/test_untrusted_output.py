"""Issue 13, point 1 and 3: render never writes through a link, one render at a time, no user file lost,
and a failing disk is reported (exit 1), never an internal error."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import KUBERNETES, make_project

runner = CliRunner()

PROJECT = {
    "overlays/providers/kubernetes.yml": KUBERNETES,
    "overlays/gate.yml": """\
        services:
          gate:
            files:
              - source: cron
                target: /etc/cron.d/evil
        """,
    "cron": "* * * * * root touch /tmp/pwned\n",
    "versions.txt": "2025.2.0\n",
}


def _snapshot(root: Path) -> dict[str, object]:
    """Every entry below ``root`` (not following links): file bytes, link targets, folders."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = path.read_bytes()
    return out


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_folder_link_inside_out_is_never_written_through(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert _invoke("render", str(root))[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("outside\n")
    gate = root / "out" / "services" / "gate"
    for child in gate.rglob("*"):
        if child.is_file():
            child.unlink()
    for child in sorted(gate.rglob("*"), reverse=True):
        child.rmdir()
    gate.rmdir()
    gate.symlink_to(elsewhere, target_is_directory=True)
    before_out = _snapshot(root / "out")
    code, output = _invoke("render", str(root))
    assert code == 1
    assert "could not write" in output and "services/gate is a symbolic link" in output
    assert _snapshot(elsewhere) == {"keep.txt": b"outside\n"}
    assert _snapshot(root / "out") == before_out


def test_a_users_link_is_kept_as_a_link_and_never_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    secret = tmp_path / "secret.txt"
    secret.write_text("outside\n")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "x").write_text("x\n")
    assert _invoke("render", str(root))[0] == 0
    (root / "out" / "notes.txt").symlink_to(secret)
    (root / "out" / "docs").symlink_to(tmp_path / "dir", target_is_directory=True)
    assert _invoke("render", str(root))[0] == 0
    assert os.readlink(root / "out" / "notes.txt") == str(secret)
    assert os.readlink(root / "out" / "docs") == str(tmp_path / "dir")
    assert secret.stat().st_nlink == 1  # never hard-linked into the project
    assert (tmp_path / "dir" / "x").stat().st_nlink == 1
    assert secret.read_text() == "outside\n"


@pytest.mark.parametrize("how", ["settings", "--out"])
def test_an_output_folder_that_is_a_link_is_refused(tmp_path: Path, how: str) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("outside\n")
    (root / "out").symlink_to(elsewhere, target_is_directory=True)
    args = ["render", str(root)] if how == "settings" else ["render", str(root), "--out", str(root / "out")]
    code, output = _invoke(*args)
    assert code == 2, output
    assert "symbolic link" in output
    assert _snapshot(elsewhere) == {"keep.txt": b"outside\n"}
    assert (elsewhere / "keep.txt").stat().st_nlink == 1
    assert _invoke("render", str(root), "--check")[0] == 2


def test_check_does_not_read_through_a_link(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert _invoke("render", str(root))[0] == 0
    gate_yml = root / "out" / "services" / "gate" / "gate.yml"
    copy = tmp_path / "gate.yml"
    copy.write_bytes(gate_yml.read_bytes())
    gate_yml.unlink()
    gate_yml.symlink_to(copy)
    code, output = _invoke("render", str(root), "--check")
    assert code == 1 and "changed (a symbolic link, not followed): services/gate/gate.yml" in output


def test_a_second_render_while_one_holds_the_lock_fails_cleanly(tmp_path: Path) -> None:
    from spinconf.output import locked

    root = make_project(tmp_path / "p", PROJECT)
    assert _invoke("render", str(root))[0] == 0
    before = _snapshot(root / "out")
    with locked((root / "out").absolute()):
        code, output = _invoke("render", str(root))
    assert code == 1
    assert "another spinconf render is writing in" in output
    assert _snapshot(root / "out") == before
    assert _invoke("render", str(root))[0] == 0  # the lock is released


USER_FILES = 3000

_RACE = """
import sys
from pathlib import Path
from spinconf.output import replace_tree
files = {f"services/s{i}/f.yml": sys.argv[2].encode() * 100 for i in range(50)}
files["manifest.json"] = b'{"files": {' + b",".join(b'"%s": {}' % k.encode() for k in files) + b'}}'
try:
    replace_tree(Path(sys.argv[1]), files)
except Exception as exc:  # the lock's refusal is fine; anything else fails the test
    if type(exc).__name__ != "OutputError":
        raise
"""


def test_two_renders_at_once_lose_no_user_file(tmp_path: Path) -> None:
    target = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", _RACE, str(target), "A"], check=True, env=env)
    for i in range(USER_FILES):
        (target / "user" / str(i % 30)).mkdir(parents=True, exist_ok=True)
        (target / "user" / str(i % 30) / f"{i}.txt").write_text(str(i))
    procs = [
        subprocess.Popen([sys.executable, "-c", _RACE, str(target), letter], env=env, stderr=subprocess.PIPE)
        for letter in "BCDE"
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert len(list((target / "user").rglob("*.txt"))) == USER_FILES
    assert not list(tmp_path.glob(".out.spinconf-*"))


def test_leftovers_of_a_live_process_are_left_alone(tmp_path: Path) -> None:
    from spinconf.output import replace_tree

    target = tmp_path / "out"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".out.spinconf-new-{sleeper.pid}"
        live.mkdir()
        (live / "half.txt").write_text("being written\n")
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        gone = tmp_path / f".out.spinconf-new-{int(dead.stdout)}"
        gone.mkdir()
        replace_tree(target, {"a.txt": b"a\n"})
        assert (live / "half.txt").read_text() == "being written\n"
        assert not gone.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize(
    ("err", "reason"),
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
    ],
)
def test_a_failing_disk_is_reported_and_out_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, reason: str
) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert _invoke("render", str(root))[0] == 0
    (root / "overlays" / "general.yml").write_text("timezone: Europe/Paris\n")
    before = _snapshot(root / "out")
    real = Path.write_bytes
    calls = {"n": 0}

    def failing(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(err, os.strerror(err), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    code, output = _invoke("render", str(root))
    assert code == 1, output
    assert f"could not write out/: {reason}" in output.replace(str(root / "out"), "out")
    assert "internal error" not in output
    assert _snapshot(root / "out") == before


def test_a_folder_that_cannot_be_created_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "p", PROJECT)

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, output = _invoke("render", str(root))
    assert code == 1 and "Permission denied" in output and "internal error" not in output
    assert not (root / "out").exists()


def test_an_unreadable_baked_file_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "cron":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, output = _invoke("render", str(root))
    assert code == 1, output
    assert "overlays/gate.yml:4:9: error: cron cannot be read: Permission denied [service-file-missing]" in output
    assert not (root / "out").exists()


@pytest.mark.parametrize(
    ("out", "why"), [(".git/hooks", "is inside .git"), ("overlays", "holds the project's overlays")]
)
def test_out_may_not_replace_git_or_the_overlays(tmp_path: Path, out: str, why: str) -> None:
    root = make_project(tmp_path / "p", PROJECT, settings=f"out: {out}\n")
    (root / ".git" / "hooks").mkdir(parents=True)
    before = _snapshot(root)
    code, output = _invoke("render", str(root))
    assert code == 2, output
    assert why in output
    assert _snapshot(root) == before
