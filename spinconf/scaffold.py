"""``spinconf init``: a new project that validates at once, with the files a team needs around it.

The templates live in ``spinconf/data/init/`` (shipped in the wheel). Dot-files are
stored there as ``dot-<name>`` so that no packaging tool skips them as hidden files.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

TEMPLATES = ("data", "init")


def refuse_non_empty(directory: Path, force: bool) -> str | None:
    """Why a new project cannot go into ``directory`` (None when it can)."""
    if directory.exists() and not directory.is_dir():
        return f"{directory} is a file, not a folder"
    if not force and directory.is_dir() and any(directory.iterdir()):
        return f"{directory} is not empty: choose a new folder, or pass --force to write into it"
    return None


def _target(rel: str) -> str:
    return "/".join("." + part.removeprefix("dot-") if part.startswith("dot-") else part for part in rel.split("/"))


def template_files() -> dict[str, bytes]:
    """``{path in the new project: bytes}`` of every template, in path order."""
    root = files("spinconf").joinpath(*TEMPLATES)
    found: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif child.name != "__init__.py" and not child.name.endswith(".pyc"):
                found[_target(rel)] = child.read_bytes()

    walk(root, "")
    # the schema the overlays' modelines point at, so editors check them offline
    from spinconf.schema import SCHEMA_FILE, render_schemas

    found[f"schemas/{SCHEMA_FILE}"] = render_schemas()[SCHEMA_FILE].encode()
    return dict(sorted(found.items()))


def create_project(directory: Path) -> list[str]:
    """Write the templates into ``directory`` (overwriting files of the same name); return what was written."""
    written = []
    for rel, data in template_files().items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    return written
