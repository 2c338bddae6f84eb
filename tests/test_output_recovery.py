"""Writing out/ in-process, where the kill tests' subprocesses cannot be seen: the exchange itself, the
two-rename path of systems without it, recovery of a half-done swap, and the files an operator keeps."""

from __future__ import annotations

import ctypes.util
import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf import output
from spinconf.cli import app
from spinconf.output import replace_tree
from tests.helpers import make_project

runner = CliRunner()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _files(letter: str) -> dict[str, bytes]:
    return {"services/a/a.yml": letter.encode(), "b.txt": letter.encode(), "manifest.json": b'{"files": {"b.txt": {}}}'}


def test_the_exchange_swaps_two_folders_in_one_call(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    (a / "x").mkdir(parents=True)
    (a / "x" / "f").write_text("A")
    b.mkdir()
    (b / "g").write_text("B")
    assert output._exchange(a, b) is True
    assert (a / "g").read_text() == "B" and (b / "x" / "f").read_text() == "A"


def test_an_exchange_that_fails_says_why_and_on_which_path(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    with pytest.raises(OSError) as caught:
        output._exchange(tmp_path / "missing", tmp_path / "b")
    assert caught.value.errno == errno.ENOENT
    assert caught.value.strerror == os.strerror(errno.ENOENT)
    assert caught.value.filename == str(tmp_path / "missing")


def test_without_a_c_library_the_two_renames_do_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert output._exchange(tmp_path, tmp_path) is False
    target = tmp_path / "out"
    replace_tree(target, _files("A"))
    replace_tree(target, _files("B"))
    assert _tree(target) == _files("B")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_two_renames_keep_the_operators_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    target = tmp_path / "out"
    replace_tree(target, _files("A"))
    (target / "NOTES.md").write_text("mine\n")
    replace_tree(target, _files("B"))
    assert _tree(target) == {**_files("B"), "NOTES.md": b"mine\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_crash_between_the_two_renames_is_undone_by_the_next_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    replace_tree(target, _files("A"))
    (target / "NOTES.md").write_text("mine\n")
    old = _tree(target)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    real = os.rename
    calls: list[tuple[str, str]] = []

    def rename_then_die(src: object, dst: object) -> None:
        calls.append((Path(str(src)).name, Path(str(dst)).name))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process dies after moving the old tree aside
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename_then_die)
    with pytest.raises(KeyboardInterrupt):
        replace_tree(target, _files("B"))
    monkeypatch.setattr(os, "rename", real)
    assert not target.exists()
    (aside,) = tmp_path.glob(".out.spinconf-old-*")
    assert _tree(aside) == old
    replace_tree(target, _files("C"))  # the next render puts the old tree back first, then replaces it
    assert _tree(target) == {**_files("C"), "NOTES.md": b"mine\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_a_killed_render_go_and_a_present_tree_is_not_replaced_by_them(tmp_path: Path) -> None:
    target = tmp_path / "out"
    replace_tree(target, _files("A"))
    (tmp_path / ".out.spinconf-new-99").mkdir()
    (tmp_path / ".out.spinconf-new-99" / "junk").write_text("x")
    (tmp_path / ".out.spinconf-old-98").mkdir()  # out/ exists: this is no tree to restore
    (tmp_path / ".out.spinconf-old-98" / "b.txt").write_text("stale")
    replace_tree(target, _files("B"))
    assert _tree(target) == _files("B")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_new_tree_beside_a_missing_out_is_not_taken_for_the_old_one(tmp_path: Path) -> None:
    (tmp_path / ".out.spinconf-new-99").mkdir()
    (tmp_path / ".out.spinconf-new-99" / "half.txt").write_text("x")
    (tmp_path / ".out.spinconf-old-99").mkdir()
    (tmp_path / ".out.spinconf-old-99" / "NOTES.md").write_text("mine\n")
    (tmp_path / ".out.spinconf-old-99" / "manifest.json").write_text('{"files": {}}')
    replace_tree(tmp_path / "out", _files("B"))
    assert _tree(tmp_path / "out") == {**_files("B"), "NOTES.md": b"mine\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_operators_files_keep_their_kind_and_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    replace_tree(target, _files("A"))
    (target / "notes" / "deep").mkdir(parents=True)
    (target / "notes" / "deep" / "n.md").write_text("mine\n")
    (tmp_path / "elsewhere.txt").write_text("target\n")
    (target / "link").symlink_to("../elsewhere.txt")
    replace_tree(target, _files("B"))
    assert (target / "notes" / "deep" / "n.md").read_text() == "mine\n"
    assert (target / "link").is_symlink() and os.readlink(target / "link") == "../elsewhere.txt"

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)  # another file system: copied instead
    replace_tree(target, _files("C"))
    assert (target / "notes" / "deep" / "n.md").read_text() == "mine\n"
    assert (target / "link").is_symlink() and os.readlink(target / "link") == "../elsewhere.txt"
    assert (target / "b.txt").read_bytes() == b"C"


def test_out_deep_in_folders_that_do_not_exist_yet(tmp_path: Path) -> None:
    replace_tree(tmp_path / "a" / "b" / "out", _files("A"))
    assert _tree(tmp_path / "a" / "b" / "out") == _files("A")


def test_a_file_where_out_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("mine\n")
    with pytest.raises(NotADirectoryError, match=r"out exists and is not a folder$"):
        replace_tree(tmp_path / "out", _files("A"))


def test_a_manifest_that_is_not_spinconfs_protects_nothing_and_loses_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "manifest.json").write_text('{"files": ["keep.txt"]}')
    (target / "keep.txt").write_text("mine\n")
    replace_tree(target, _files("A"))
    assert (target / "keep.txt").read_text() == "mine\n"


PROJECT = {"overlays/general.yml": "timezone: Europe/Paris\n", "versions.txt": "2025.2.0\n"}


def test_check_names_a_missing_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    (root / "out" / "services" / "orca" / "orca.yml").unlink()
    result = runner.invoke(app, ["render", str(root), "--check"])
    assert result.exit_code == 1
    assert "missing: services/orca/orca.yml" in result.output


def test_a_file_system_without_exchange_falls_back_to_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoExchange:
        """A C library whose renameat2 says EINVAL, as on file systems without RENAME_EXCHANGE."""

        def __init__(self, name: str, use_errno: bool = False) -> None:
            pass

        @staticmethod
        def renameat2(*args: object) -> int:
            ctypes.set_errno(errno.EINVAL)
            return -1

    target = tmp_path / "out"
    replace_tree(target, _files("A"))
    monkeypatch.setattr(ctypes, "CDLL", NoExchange)
    assert output._exchange(tmp_path / "a", tmp_path / "b") is False
    replace_tree(target, _files("B"))
    assert _tree(target) == _files("B")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _unremovable(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make files called ``name`` impossible to delete (root ignores permissions, so unlink is refused here)."""
    real = os.unlink

    def unlink(path: object, *args: object, **kwargs: object) -> None:
        if Path(str(path)).name == name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", unlink)


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".out.spinconf-new-99").mkdir()
    (tmp_path / ".out.spinconf-new-99" / "stuck").write_text("x")
    _unremovable(monkeypatch, "stuck")
    replace_tree(tmp_path / "out", _files("A"))
    assert _tree(tmp_path / "out") == _files("A")


def test_a_failed_render_reports_its_own_error_even_when_cleanup_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    replace_tree(target, _files("A"))
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if self.name == "b.txt":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    _unremovable(monkeypatch, "a.yml")  # the half-written tree cannot be removed either
    with pytest.raises(OSError) as caught:
        replace_tree(target, _files("B"))
    assert caught.value.errno == errno.ENOSPC
    assert _tree(target) == _files("A")


def test_check_names_a_stale_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PROJECT)
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    (root / "overlays" / "services.yml").write_text("services:\n  rosco:\n    enabled: false\n")
    result = runner.invoke(app, ["render", str(root), "--check"])
    assert result.exit_code == 1
    assert "stale: services/rosco/rosco.yml" in result.output
