"""Writing ``out/`` all or nothing (``--check`` and ``diff`` compare in :mod:`spinconf.review`).

The new tree is built in a sibling folder, then swapped with the old one in one
``renameat2(RENAME_EXCHANGE)`` call (Linux); elsewhere two renames with recovery on
the next run. Files in ``out/`` that spinconf did not generate (per the previous
manifest) are carried over as hard links; generated files no longer produced go away.

``out/`` may come from an unreviewed pull request, so nothing here follows a symbolic
link inside it: a user's link is carried over as a link, a generated file whose folder
is a link is refused, and a lock on the output folder's parent keeps two renders apart.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MANIFEST = "manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_OWNER = re.compile(r"-(\d+)$")


class OutputError(ValueError):
    """The output folder cannot be written safely; nothing was changed (exit 1). A ValueError, as
    the library's ``write_output`` raised before it had a name."""


def first_link(base: Path, target: Path) -> Path | None:
    """The first symbolic link on the way from ``base`` down to ``target`` (both included), or None.

    Only the part of ``target`` below ``base`` is looked at when ``target`` lies under it, so a
    project that itself lives behind a link (``/tmp`` on macOS) is not refused.
    """
    try:
        parts = target.relative_to(base).parts
        node = base
    except ValueError:
        return target if target.is_symlink() else None
    if node.is_symlink():
        return node
    for part in parts:
        node = node / part
        if node.is_symlink():
            return node
    return None


def _read_no_follow(path: Path) -> bytes:
    """A file's bytes, refusing (OSError ELOOP) when the file itself is a symbolic link."""
    if path.is_symlink():  # not even an attempt to open it (O_NOFOLLOW below guards a race)
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        return f.read()


def linked_folder(target: Path, rel: str) -> str | None:
    """The folder of ``rel`` below ``target`` that is a symbolic link, as a relative path, or None."""
    parts = rel.split("/")[:-1]
    node = target
    for i, part in enumerate(parts):
        node = node / part
        if node.is_symlink():
            return "/".join(parts[: i + 1])
    return None


def previous_generated(target: Path) -> set[str]:
    """The files the last render wrote (its manifest's list), empty when there is none."""
    try:
        doc = json.loads(_read_no_follow(target / MANIFEST).decode("utf-8"))
        files = doc.get("files", {})
        return set(files) | {MANIFEST} if isinstance(files, dict) else set()
    except (OSError, ValueError, AttributeError):
        return set()


def _scratch(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.spinconf-{kind}-{os.getpid()}"


@contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the lock of ``target``'s parent folder (one render there at a time), or fail at once.

    The lock is ``flock`` on the parent folder itself, where the scratch trees are built and
    swapped: no lock file to commit, ignore or clean up, and the kernel releases it when a
    render dies.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows; renames still keep out/ whole
        yield
        return
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(target.parent, flags)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"another spinconf render is writing in {target.parent.name or target.parent}/ "
                "(it holds the folder's lock): wait for it, then run again"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _owner_alive(leftover: Path) -> bool:
    match = _OWNER.search(leftover.name)
    if match is None:
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user
    except (OverflowError, OSError):
        return False
    return True


def _clean_stale(target: Path) -> None:
    """Leftovers of a render that was killed: restore an old tree if the swap was half done.

    Only trees whose owner process is gone are touched: the lock keeps spinconf renders apart,
    and a tree of a live process (another machine's spinconf sharing the folder) is not ours.
    """
    for leftover in sorted(target.parent.glob(f".{target.name}.spinconf-*")):
        if _owner_alive(leftover) or leftover.is_symlink():
            continue
        if "-old-" in leftover.name and not os.path.lexists(target):
            os.rename(leftover, target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def _carry_over(target: Path, new: Path, generated: set[str], files: dict[str, bytes]) -> None:
    """Copy the user's files of ``target`` into ``new`` without following any link.

    A link is recreated as the same link (its target never read), so neither a file nor a
    folder outside the output folder is linked, copied or written through. A folder comes along
    with what is carried in it: one left empty (a disabled service's) goes.
    """
    folders = [""]
    while folders:
        rel_dir = folders.pop()
        for entry in _entries(target / rel_dir if rel_dir else target):
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            dest = new / rel
            if entry.is_dir(follow_symlinks=False):
                folders.append(rel)
                continue
            if rel in generated or rel in files:
                continue
            # the parents are real folders of the old tree (links are never descended into)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), dest)
                continue
            try:
                os.link(entry.path, dest, follow_symlinks=False)
            except OSError:
                if entry.is_file(follow_symlinks=False):
                    shutil.copy2(entry.path, dest, follow_symlinks=False)


def _write_generated(new: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        link = linked_folder(new, rel)
        if link is not None:
            raise OutputError(
                f"{link} is a symbolic link, and spinconf writes {rel} below it: "
                "remove the link (spinconf never writes through links)"
            )
        dest = new / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


def replace_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace the output folder with ``files`` (and the user's files it held), all or nothing.

    Raises :class:`OutputError` when it cannot be done safely and OSError when the system
    refuses (full disk, read-only); either way the output folder is left as it was.
    """
    target = target.absolute()
    if target.is_symlink():
        raise OutputError(f"{target} is a symbolic link: choose a real folder as the output folder")
    if target.exists() and not target.is_dir():
        # swapping a file for the output tree would move the user's file out of the way
        raise NotADirectoryError(f"{target} exists and is not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        _clean_stale(target)
        _replace_locked(target, files)


def _replace_locked(target: Path, files: dict[str, bytes]) -> None:
    new = _scratch(target, "new")
    new.mkdir()
    try:
        if target.exists():
            _carry_over(target, new, previous_generated(target), files)
        _write_generated(new, files)
        if not target.exists():
            os.rename(new, target)
            return
        if _exchange(new, target):
            shutil.rmtree(new)  # now holds the old tree
            return
        old = _scratch(target, "old")
        os.rename(target, old)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(old, target)
            raise
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
