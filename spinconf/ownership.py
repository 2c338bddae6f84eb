"""Whose files are in the output folder: spinconf never writes over a file it did not write.

A folder that already holds files under the names a render is about to produce, and that the
last render's manifest does not list, belongs to someone else: kleat's empty placeholders in a
kustomize base (``base/kleat/clouddriver.yml``), or a hand-edited copy. Writing over them would
lose the user's file; keeping them beside spinconf's would leave the build reading the wrong
one. So a render refuses, before anything is written, and names them.

kleat's own file names at the top of the folder are refused too, whatever spinconf writes: a
kustomization that reads ``kleat/clouddriver.yml`` would go on reading kleat's (empty) file
beside spinconf's ``services/`` and build a silently empty config (issue 20).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spinconf.model.services import JAVA_SERVICES
from spinconf.output import previous_generated

SHOWN = 5  # names listed in the message; the rest are counted
# what kleat writes into the kustomize base's kleat/ folder (spinnaker/spinnaker-config base/kleat/)
KLEAT_FILES = frozenset(
    {f"{svc}.yml" for svc in JAVA_SERVICES} | {"settings.js", "deck.env", "spinnaker-monitoring.yml"}
)


def foreign_files(target: Path, produced: Iterable[str]) -> list[str]:
    """The produced paths (and kleat's file names) that exist in ``target`` and that spinconf did not write."""
    if not target.is_dir():
        return []
    ours = previous_generated(target)
    produced = set(produced)
    kleat = {name for name in KLEAT_FILES if _exists(target / name)}
    return sorted(rel for rel in produced | kleat if rel not in ours and _exists(target / rel))


def _exists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def refusal(shown_target: str, foreign: list[str]) -> str:
    """The message a refused render prints."""
    names = ", ".join(foreign[:SHOWN]) + (f" and {len(foreign) - SHOWN} more" if len(foreign) > SHOWN else "")
    kleat = any("/" not in rel and rel in KLEAT_FILES for rel in foreign)
    hint = (
        " kleat's files there would be read in place of spinconf's: with a kubernetes: section, list "
        "<out>/kubernetes/ under components: of your kustomization instead."
        if kleat
        else ""
    )
    return (
        f"{shown_target} holds files spinconf did not write ({names}): nothing written; move them away or "
        f"choose another --out (spinconf writes over only the files its manifest.json lists).{hint}"
    )
