"""Edges of spinconf.output that the mutation run showed no test pinned down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spinconf import output
from spinconf.output import OutputError, first_link, replace_tree


def _old_tree(target: Path) -> None:
    replace_tree(target, {"a.yml": b"old\n", output.MANIFEST: b'{"files": {"a.yml": ""}}'})


def test_failed_second_rename_puts_the_old_tree_back(tmp_path, monkeypatch):
    target = tmp_path / "out"
    _old_tree(target)
    (target / "notes.txt").write_text("mine\n")
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the new tree into place
            raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="No space"):
        replace_tree(target, {"a.yml": b"new\n"})
    monkeypatch.setattr(os, "rename", real_rename)
    assert (target / "a.yml").read_bytes() == b"old\n"
    assert (target / "notes.txt").read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _leftover(target: Path, suffix: str) -> Path:
    leftover = target.parent / f".{target.name}.spinconf-new-{suffix}"
    leftover.mkdir(parents=True)
    (leftover / "x").write_text("x")
    return leftover


def test_leftover_without_a_process_id_is_removed(tmp_path):
    target = tmp_path / "out"
    leftover = _leftover(target, "abc")
    replace_tree(target, {"a.yml": b"a\n"})
    assert not leftover.exists()


def test_leftover_whose_id_is_no_process_is_removed(tmp_path):
    target = tmp_path / "out"
    leftover = _leftover(target, "9" * 30)  # too large for a process id: OverflowError
    replace_tree(target, {"a.yml": b"a\n"})
    assert not leftover.exists()


def test_leftover_of_another_users_process_is_kept(tmp_path, monkeypatch):
    target = tmp_path / "out"
    leftover = _leftover(target, "4242")

    def kill(pid, sig):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "kill", kill)
    replace_tree(target, {"a.yml": b"a\n"})
    assert leftover.exists()


def test_leftover_of_a_live_process_is_kept_and_the_process_left_alone(tmp_path):
    target = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        leftover = _leftover(target, str(child.pid))
        replace_tree(target, {"a.yml": b"a\n"})
        assert leftover.exists()
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=0.5)  # only probed (signal 0), never signalled
    finally:
        child.kill()
        child.wait()


def test_linked_folder_names_the_link_itself(tmp_path):
    target = tmp_path / "out"
    _old_tree(target)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "b").mkdir(parents=True)
    (target / "a").symlink_to(elsewhere)
    with pytest.raises(OutputError) as err:
        replace_tree(target, {"a/b/c.yml": b"c\n"})
    message = str(err.value)
    assert message.startswith("a is a symbolic link, and spinconf writes a/b/c.yml below it")
    assert message.endswith("remove the link (spinconf never writes through links)")
    assert list((elsewhere / "b").iterdir()) == []


def test_output_folder_that_is_a_link_is_refused_with_advice(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "out").symlink_to(real)
    with pytest.raises(OutputError) as err:
        replace_tree(tmp_path / "out", {"a.yml": b"a\n"})
    # the message names the folder (render.py's own check words it differently)
    assert str(err.value) == f"{tmp_path / 'out'} is a symbolic link: choose a real folder as the output folder"
    assert list(real.iterdir()) == []


def test_first_link_outside_base_reports_the_link(tmp_path):
    base = tmp_path / "project"
    base.mkdir()
    link = tmp_path / "out"
    link.symlink_to(tmp_path)
    assert first_link(base, link) == link
    assert first_link(base, tmp_path / "plain") is None


def test_manifest_that_is_a_link_is_not_read(tmp_path):
    target = tmp_path / "out"
    _old_tree(target)
    (target / "notes.txt").write_text("mine\n")
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"files": {"notes.txt": ""}}))
    (target / output.MANIFEST).unlink()
    (target / output.MANIFEST).symlink_to(outside)
    replace_tree(target, {"a.yml": b"new\n", output.MANIFEST: b'{"files": {"a.yml": ""}}'})
    assert (target / "notes.txt").read_text() == "mine\n"


def test_manifest_swapped_for_a_link_after_the_check_is_not_followed(tmp_path, monkeypatch):
    target = tmp_path / "out"
    _old_tree(target)
    (target / "notes.txt").write_text("mine\n")
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"files": {"notes.txt": ""}}))
    (target / output.MANIFEST).unlink()
    (target / output.MANIFEST).symlink_to(outside)
    monkeypatch.setattr(Path, "is_symlink", lambda self: False)  # the link appears after the check
    assert output.previous_generated(target) == set()


def test_manifest_without_a_file_list_is_generated(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / output.MANIFEST).write_text("{}")
    assert output.previous_generated(target) == {output.MANIFEST}


def _swap_after_listing(monkeypatch, target: Path, secret: Path) -> None:
    """The listing is taken, then notes.txt becomes a link to a file outside out/."""
    real_entries = output._entries

    def entries(folder):
        found = real_entries(folder)
        for entry in found:
            entry.is_symlink(), entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False)
        if Path(folder) == target:
            (target / "notes.txt").unlink()
            (target / "notes.txt").symlink_to(secret)
        return found

    monkeypatch.setattr(output, "_entries", entries)


def test_file_swapped_for_a_link_while_carried_over_is_not_hard_linked(tmp_path, monkeypatch):
    # Linux's link(2) never follows the source link; elsewhere (macOS) follow_symlinks=False matters
    target = tmp_path / "out"
    _old_tree(target)
    (target / "notes.txt").write_text("mine\n")
    secret = tmp_path / "secret"
    secret.write_text("secret\n")
    _swap_after_listing(monkeypatch, target, secret)
    replace_tree(target, {"a.yml": b"new\n"})
    assert os.lstat(target / "notes.txt").st_ino != os.stat(secret).st_ino


def test_file_swapped_for_a_link_while_copied_is_not_copied(tmp_path, monkeypatch):
    target = tmp_path / "out"
    _old_tree(target)
    (target / "notes.txt").write_text("mine\n")
    secret = tmp_path / "secret"
    secret.write_text("secret\n")
    _swap_after_listing(monkeypatch, target, secret)

    def link(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", link)
    replace_tree(target, {"a.yml": b"new\n"})
    assert (target / "notes.txt").is_symlink()


def test_libc_without_renameat2_falls_back_to_two_renames(tmp_path, monkeypatch):
    target = tmp_path / "out"
    _old_tree(target)
    (target / "notes.txt").write_text("mine\n")
    monkeypatch.setattr(output.ctypes, "CDLL", lambda *args, **kwargs: object())  # macOS, old glibc
    replace_tree(target, {"a.yml": b"new\n"})
    assert (target / "a.yml").read_bytes() == b"new\n"
    assert (target / "notes.txt").read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
