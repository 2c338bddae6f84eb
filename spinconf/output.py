"""Writing ``out/`` all or nothing, and comparing it with a fresh render (``--check``).

The new tree is built in a sibling folder, then swapped with the old one in one
``renameat2(RENAME_EXCHANGE)`` call (Linux); elsewhere two renames with recovery on
the next run. Files in ``out/`` that spinconf did not generate (per the previous
manifest) are carried over as hard links; generated files no longer produced go away.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from pathlib import Path

MANIFEST = "manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def previous_generated(target: Path) -> set[str]:
    """The files the last render wrote (its manifest's list), empty when there is none."""
    try:
        doc = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        files = doc.get("files", {})
        return set(files) | {MANIFEST} if isinstance(files, dict) else set()
    except (OSError, ValueError, AttributeError):
        return set()


def _scratch(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.spinconf-{kind}-{os.getpid()}"


def _clean_stale(target: Path) -> None:
    """Leftovers of a render that was killed: restore an old tree if the swap was half done."""
    for leftover in sorted(target.parent.glob(f".{target.name}.spinconf-*")):
        if "-old-" in leftover.name and not target.exists():
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


def _carry_over(target: Path, new: Path, generated: set[str], files: dict[str, bytes]) -> None:
    for path in sorted(target.rglob("*")):
        rel = path.relative_to(target).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue  # a folder comes along with the files in it: one left empty goes (a disabled service)
        if rel in generated or rel in files:
            continue
        dest = new / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, dest, follow_symlinks=False)


def replace_tree(target: Path, files: dict[str, bytes]) -> None:
    target = target.absolute()
    if target.exists() and not target.is_dir():
        # swapping a file for the output tree would move the user's file out of the way
        raise NotADirectoryError(f"{target} exists and is not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target)
    new = _scratch(target, "new")
    new.mkdir()
    try:
        if target.exists():
            _carry_over(target, new, previous_generated(target), files)
        for rel, data in files.items():
            dest = new / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        if not target.exists():
            os.rename(new, target)
            return
        if _exchange(new, target):
            shutil.rmtree(new)  # now holds the old tree
            return
        old = _scratch(target, "old")
        os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def differences(target: Path, files: dict[str, bytes]) -> list[str]:
    """What ``--check`` reports: files missing, changed, or generated before and no longer produced."""
    out = []
    for rel, data in files.items():
        path = target / rel
        try:
            if path.read_bytes() != data:
                out.append(f"changed: {rel}")
        except OSError:
            out.append(f"missing: {rel}")
    for rel in sorted(previous_generated(target) - set(files)):
        if (target / rel).exists():
            out.append(f"stale: {rel}")
    return out
