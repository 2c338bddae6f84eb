"""``spinconf fix``: rewrite a project's overlays in place, keeping comments, key order and quoting.

ruamel.yaml's round-trip mode reads each overlay (and each environment's), the rules of
:mod:`spinconf.fixrules` rewrite Halyard's forms, unique misspellings and renamed keys, and only
a file something changed in is written back. A second run finds nothing: ``fix`` is idempotent.
ruamel.yaml is imported here only, so ``validate`` starts without it.
"""

from __future__ import annotations

import difflib
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spinconf.diagnostics import Diagnostics
from spinconf.project import UsageError, overlay_files, read_settings, rel
from spinconf.releases import Release


@dataclass
class FileFix:
    path: Path
    shown: str
    before: str
    after: str
    notes: list[str] = field(default_factory=list)

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{self.shown}",
                f"b/{self.shown}",
            )
        )


def round_trip() -> Any:
    """The reader/writer ``fix`` and ``import-hal`` share (comments, order and quotes kept)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long value
    return yaml


def _indent_like(yaml: Any, text: str) -> None:
    """Write lists indented as the file has them (``key:\n  - item`` or ``key:\n- item``)."""
    offset = 0
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in itertools.pairwise(lines):
        if line.lstrip().startswith("- ") and above.split("#")[0].rstrip().endswith(":"):
            offset = max(0, (len(line) - len(line.lstrip())) - (len(above) - len(above.lstrip())))
            break
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)


def dump_text(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def fix_text(text: str, release: Release | None = None) -> tuple[str, list[str]]:
    """One overlay's text, rewritten (unchanged text when no rule applies or the YAML is unreadable).

    ``release`` is the project's: keys renamed between releases are renamed only where it reads the new name.
    """
    from ruamel.yaml.error import YAMLError

    from spinconf.fixrenames import rewrite
    from spinconf.fixrules import apply

    yaml = round_trip()
    _indent_like(yaml, text)
    try:
        docs = list(yaml.load_all(text))
    except YAMLError:
        return text, []  # `validate` reports where; nothing to rewrite safely
    notes: list[str] = []
    for doc in docs:
        notes += apply(doc)
        if release is not None:
            notes += rewrite(doc, release)
    if not notes:
        return text, []
    out = io.StringIO()
    if len(docs) == 1:
        yaml.dump(docs[0], out)
    else:
        yaml.dump_all(docs, out)
    return out.getvalue(), notes


def project_files(root: Path) -> list[Path]:
    return [path for path, _env in _files_by_env(root)]


def _files_by_env(root: Path) -> list[tuple[Path, str | None]]:
    settings = read_settings(root, Diagnostics())
    files: list[tuple[Path, str | None]] = []
    for folder in settings.overlays:
        files += [(path, None) for path in overlay_files(root / folder)]
    envs = root / settings.environments
    if envs.is_dir():
        for env in sorted(p for p in envs.iterdir() if p.is_dir()):
            files += [(path, env.name) for path in overlay_files(env)]
    return files


def _release(root: Path, env: str | None) -> Release | None:
    """The release the project (or the environment) renders for, as ``validate`` decides it."""
    from spinconf.loader import load_project

    try:
        return Release.of(load_project(root, env).release)
    except UsageError:
        return None


def fix_project(root: Path) -> list[FileFix]:
    """What ``fix`` would change, file by file (nothing written)."""
    fixes = []
    releases: dict[str | None, Release | None] = {}
    for path, env in _files_by_env(root):
        try:
            before = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # `validate` says why
        if env not in releases:
            releases[env] = _release(root, env)
        after, notes = fix_text(before, releases[env])
        if notes and after != before:
            fixes.append(FileFix(path, rel(root, path), before, after, notes))
    return fixes


def write(fixes: list[FileFix]) -> None:
    for fix in fixes:
        tmp = fix.path.with_name(fix.path.name + ".spinconf-fix")
        tmp.write_text(fix.after, encoding="utf-8")
        tmp.replace(fix.path)
