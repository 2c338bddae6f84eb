"""Whose files are in the output folder: spinconf never writes over a file it did not write.

A folder that already holds files under the names a render is about to produce, and that the
last render's manifest does not list, belongs to someone else: kleat's empty placeholders in a
kustomize base (``base/kleat/clouddriver.yml``), or a hand-edited copy. Writing over them would
lose the user's file; keeping them beside spinconf's would leave the build reading the wrong
one. So a render refuses, before anything is written, and names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spinconf.output import previous_generated

SHOWN = 5  # names listed in the message; the rest are counted


def foreign_files(target: Path, produced: Iterable[str]) -> list[str]:
    """The produced paths that already exist in ``target`` and that spinconf did not write there."""
    if not target.is_dir():
        return []
    ours = previous_generated(target)
    return sorted(rel for rel in produced if rel not in ours and _exists(target / rel))


def _exists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def refusal(shown_target: str, foreign: list[str]) -> str:
    """The message a refused render prints."""
    names = ", ".join(foreign[:SHOWN]) + (f" and {len(foreign) - SHOWN} more" if len(foreign) > SHOWN else "")
    return (
        f"{shown_target} holds files spinconf did not write under names it would write ({names}): "
        "nothing written; move them away or choose another --out (spinconf writes over only the files "
        "its manifest.json lists)"
    )
