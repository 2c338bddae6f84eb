"""``spinconf init``: a new project that validates at once, with the files a team needs around it.

The templates live in ``spinconf/data/init/`` (shipped in the wheel), the CI definitions in
``spinconf/data/ci/<ci>/``. Dot-files are stored there as ``dot-<name>`` so that no packaging
tool skips them as hidden files. Every file runs as written: the pre-commit hook and the CI
run the spinconf the user installed, which the Makefile's ``install`` target installs the way
spinconf's README does.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

TEMPLATES = ("data", "init")
CI_TEMPLATES = ("data", "ci")
CIS = ("github", "gitlab", "jenkins")


def refuse_non_empty(directory: Path, force: bool) -> str | None:
    """Why a new project cannot go into ``directory`` (None when it can)."""
    if directory.exists() and not directory.is_dir():
        return f"{directory} is a file, not a folder"
    if not force and directory.is_dir() and any(directory.iterdir()):
        return f"{directory} is not empty: choose a new folder, or pass --force to write into it"
    return None


def _target(rel: str) -> str:
    return "/".join("." + part.removeprefix("dot-") if part.startswith("dot-") else part for part in rel.split("/"))


def install_source() -> str:
    """pip's argument that installs this spinconf elsewhere: its checkout, editable, as the README does
    (``python3 -m pip install -e .``), or the released version when it was installed from a wheel."""
    from spinconf import __version__

    checkout = Path(__file__).resolve().parent.parent
    pyproject = checkout / "pyproject.toml"
    if pyproject.is_file() and 'name = "spinconf"' in pyproject.read_text(encoding="utf-8", errors="replace"):
        return f"-e {checkout}"
    return f"spinconf=={__version__}"


def _walk(node: Traversable, prefix: str, found: dict[str, bytes]) -> None:
    for child in node.iterdir():
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                _walk(child, rel + "/", found)
        elif child.name != "__init__.py" and not child.name.endswith(".pyc"):
            found[_target(rel)] = child.read_bytes()


def template_files(ci: str = "github") -> dict[str, bytes]:
    """``{path in the new project: bytes}`` of every template and of ``ci``'s definition, in path order."""
    if ci not in CIS:
        raise ValueError(f"unknown CI {ci!r}")
    found: dict[str, bytes] = {}
    _walk(files("spinconf").joinpath(*TEMPLATES), "", found)
    _walk(files("spinconf").joinpath(*CI_TEMPLATES, ci), "", found)
    found["Makefile"] = found["Makefile"].replace(b"@SPINCONF_PIP@", install_source().encode())
    # the schema the overlays' modelines point at, so editors check them offline
    from spinconf.schema import SCHEMA_FILE, render_schemas

    found[f"schemas/{SCHEMA_FILE}"] = render_schemas()[SCHEMA_FILE].encode()
    return dict(sorted(found.items()))


def create_project(directory: Path, ci: str = "github") -> list[str]:
    """Write the templates into ``directory`` (overwriting files of the same name); return what was written."""
    written = []
    for rel, data in template_files(ci).items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    return written
