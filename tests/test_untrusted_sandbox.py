"""Issue 13, property: whatever links a pull request commits (in overlays/, in out/, as out/ itself),
spinconf changes nothing outside the project and its output folder, and reads nothing outside the
project (an audit hook on open and on directory listing watches every command in this process)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinconf.cli import app

runner = CliRunner()

# the events that read a file or list a folder (https://docs.python.org/3/library/audit_events.html)
_WATCHED = {"open", "os.listdir", "os.scandir"}
_seen: list[tuple[str, str]] | None = None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _seen is None or event not in _WATCHED or not args:
        return
    path = args[0]
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if isinstance(path, str):
        _seen.append((event, path))


sys.addaudithook(_hook)  # hooks cannot be removed: this one only records while a test asks it to


@contextmanager
def _watching() -> Iterator[list[tuple[str, str]]]:
    global _seen
    _seen = []
    try:
        yield _seen
    finally:
        _seen = None


def _snapshot(root: Path) -> dict[str, object]:
    """Everything below ``root`` without following links: bytes, link targets, link counts."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            if path.is_symlink():
                out[str(path)] = ("link", os.readlink(path))
            elif path.is_dir():
                out[str(path)] = ("dir", info.st_mode)
            else:
                out[str(path)] = (path.read_bytes(), info.st_nlink, info.st_mode)
    return out


OVERLAY = "timezone: Europe/Paris\n"
OUTSIDE = "timezone: America/Outside\nproviders:\n  kubernetes:\n    enabled: true\n"

# where a link may point: (kind, path relative to the sandbox)
TARGETS = [
    ("outside file", "outside/secret.yml"),
    ("outside folder", "outside/folder"),
    ("outside missing", "outside/nothing-here"),
    ("inside file", "project/shared/tz.yml"),
    ("inside folder", "project/shared"),
    ("sandbox root", "."),
    ("loop", "project/overlays/loop"),
    ("itself", ""),  # a link to itself
]
# where a link may be committed (relative to the project)
PLACES = [
    "overlays/link.yml",
    "overlays/linked-folder",
    "overlays/loop",
    "out/services/gate",
    "out/services/gate/gate.yml",
    "out/notes.txt",
    "out/docs",
    "out/manifest.json",
    "out",
    "overlays",
    "spinconf.yml",
    "versions.txt",
]

links = st.dictionaries(st.sampled_from(PLACES), st.sampled_from(TARGETS), min_size=1, max_size=4)
commands = st.sampled_from(
    [
        ["validate"],
        ["render"],
        ["render", "--check"],
        ["render", "--format", "json"],
        ["explain", "spinnaker", "global.spinnaker.timezone"],
    ]
)


def _build(sandbox: Path, chosen: dict[str, tuple[str, str]], rendered_first: bool) -> Path:
    outside = sandbox / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.yml").write_text(OUTSIDE)
    (outside / "folder" / "more.yml").write_text(OUTSIDE)
    (outside / "folder" / "gate.yml").write_text("keep me\n")
    project = sandbox / "project"
    (project / "overlays").mkdir(parents=True)
    (project / "shared").mkdir()
    (project / "shared" / "tz.yml").write_text(OVERLAY)
    (project / "overlays" / "general.yml").write_text(OVERLAY)
    (project / "versions.txt").write_text("2025.2.0\n")
    if rendered_first:
        assert runner.invoke(app, ["render", str(project)]).exit_code == 0
    # deepest places first, so a link on a folder replaces what was put below it
    for place, (_kind, target) in sorted(chosen.items(), key=lambda kv: -kv[0].count("/")):
        link = project / place
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.is_dir():
            shutil.rmtree(link)
        if any(p.is_symlink() for p in [link.parent, *link.parent.parents]):
            continue  # its folder is already a link: never create files through it
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(sandbox / target if target else link)
    return project


def _reads_outside(seen: list[tuple[str, str]], project: Path) -> list[tuple[str, str]]:
    sandbox = os.path.realpath(project.parent)
    inside = os.path.realpath(project)
    bad = []
    for event, path in seen:
        real = os.path.realpath(path)
        in_sandbox = real == sandbox or real.startswith(sandbox + os.sep)
        in_project = real == inside or real.startswith(inside + os.sep)
        if in_sandbox and not in_project:
            bad.append((event, path))
    return bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(links, commands, st.booleans())
def test_links_never_lead_spinconf_outside_the_project(
    chosen: dict[str, tuple[str, str]], command: list[str], rendered_first: bool
) -> None:
    with tempfile.TemporaryDirectory() as name:
        sandbox = Path(name)
        project = _build(sandbox, chosen, rendered_first)
        outside_before = _snapshot(sandbox / "outside")
        with _watching() as seen:
            result = runner.invoke(app, [command[0], *command[1:], str(project)])
        assert result.exit_code in (0, 1, 2), (result.output, result.exception)
        assert "internal error" not in result.output and "Traceback" not in result.output
        assert _snapshot(sandbox / "outside") == outside_before
        assert sorted(p.name for p in sandbox.iterdir()) == ["outside", "project"]
        assert _reads_outside(seen, project) == [], chosen
        assert "America/Outside" not in result.output


def test_the_audit_hook_sees_a_read_outside(tmp_path: Path) -> None:
    """The property above can fail: reading a linked file outside the project is recorded."""
    project = _build(tmp_path, {}, rendered_first=False)
    with _watching() as seen:
        (project.parent / "outside" / "secret.yml").read_text()
        list(os.scandir(project.parent / "outside"))
    assert [event for event, _ in _reads_outside(seen, project)] == ["open", "os.scandir"]
