"""What a render would change, per document and key: ``render --check`` and ``spinconf diff`` (SPEC section 7).

A reviewer of a pull request wants ``echo.yml: slack.botName: spinnakerbot -> spinbot2``, not
"echo.yml changed". YAML and JSON documents are compared parsed, key by key (items of a
list that carry a ``name``, such as accounts and container definitions, by that name); other
files (Dockerfiles, ``settings.js``) line by line.

Nothing secret is printed: a value is masked when its key looks secret (the key endings that
``import-hal`` moves to secrets), when it is a URL with a password, or when it contains the
plain value of one of the project's secret-bearing fields (``plaintextSecrets: warn``).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinconf.loader import Project

MASK = "***"
_MAX_SHOWN = 160
_SIMPLE = re.compile(r"[A-Za-z0-9_./:@${}+=,*~%^()#-]+( [A-Za-z0-9_./:@${}+=,*~%^()#-]+)*")
_URL_PASSWORD = re.compile(r"(://[^/@\s]*:)([^/@\s]+)(@)")
# values that name a secret rather than hold it: a whole placeholder, an ARN, a kork reference
_NOT_SECRET = re.compile(r"^(\$\{[A-Za-z0-9_.-]+\}|arn:|encrypted:|encryptedFile:)")
# the manifest's per-file hashes change with every file: the files themselves are reviewed
_MANIFEST_NOISE = re.compile(r"^files\.")


@dataclass(frozen=True)
class Change:
    """One difference: a key of a document (``key``), a line (``key`` empty), or a whole file (``note``)."""

    file: str
    key: str = ""
    old: str | None = None
    new: str | None = None
    note: str = ""

    def text(self) -> str:
        if self.note:
            return f"{self.note}: {self.file}"
        if self.key:
            return f"changed: {self.file}: {self.key}: {_or_unset(self.old)} -> {_or_unset(self.new)}"
        sign, line = ("-", self.old) if self.old is not None else ("+", self.new)
        return f"changed: {self.file}: {sign} {line}"


@functools.cache
def _secret_endings() -> tuple[str, ...]:
    from spinconf.checks.secret_fields import ALL_SECRET_FIELDS
    from spinconf.halsecrets import _SECRET_KEY_ENDINGS

    return tuple(sorted({*_SECRET_KEY_ENDINGS, *(_flat(p.rsplit(".", 1)[-1]) for p in ALL_SECRET_FIELDS)}))


def _flat(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


def _or_unset(value: str | None) -> str:
    return "(unset)" if value is None else value


@dataclass
class Masker:
    """Decides what may be shown. ``plain`` holds the values written in the project's secret-bearing fields."""

    plain: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, projects: Iterable[Project]) -> Masker:
        from spinconf.checks.secret_fields import SECRET_FIELD_TRIE, is_plaintext
        from spinconf.refs import EnvRef

        plain = set()
        for project in projects:
            for _, value, _ in SECRET_FIELD_TRIE.matches(project.tree.data):
                if is_plaintext(value):
                    text = str(value.default if isinstance(value, EnvRef) else value)
                    if len(text) >= 3:  # a shorter "secret" would mask half the output
                        plain.add(text)
        return cls(plain)

    def secret_key(self, key: str) -> bool:
        """A key named like a secret: the endings ``import-hal`` moves to secrets, or the last key of
        one of the secret-bearing fields (``applicationKey``, ``storageAccountKey``, ...)."""
        endings = _secret_endings()
        return any(_flat(p).endswith(endings) for p in re.split(r"[.\[\]]+", key) if p)

    def show(self, key: str, value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=True)
        if any(p in text for p in self.plain):
            return MASK
        if key and self.secret_key(key) and not _NOT_SECRET.match(text) and text not in ("", "null", "true", "false"):
            return MASK
        text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), text)
        if isinstance(value, str) and not _SIMPLE.fullmatch(text):
            text = json.dumps(text, ensure_ascii=True)  # quotes, line breaks and control characters stay visible
        return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."

    def line(self, text: str) -> str:
        """A line of a text file: masked whole when it holds a secret or assigns a secret-looking key."""
        if any(p in text for p in self.plain):
            return MASK
        assignment = re.match(r"\s*([A-Za-z0-9_.$\"'-]+)\s*[:=]\s*(.+?),?\s*$", text)
        if assignment and self.secret_key(assignment.group(1).strip("\"'")):
            value = assignment.group(2).strip("\"'")
            if not _NOT_SECRET.match(value) and value not in ("", "null", "true", "false", "{", "["):
                return f"{assignment.group(1)}: {MASK}"
        return self.show("", text)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{dotted key: value}`` of a document's leaves; list items by ``[name]`` where they carry one."""
    out: dict[str, Any] = {}
    if isinstance(value, dict) and value:
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        names = [v.get("name") for v in value]
        by_name = all(isinstance(n, str) for n in names) and len(set(names)) == len(names)
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{names[i] if by_name else i}]"))
    else:
        out[prefix] = value
    return out


def _parse(rel: str, data: bytes) -> Any:
    """The document in ``data``, or None when it is not a YAML or JSON document (or does not parse).

    ``out/`` comes with the pull request like the overlays: YAML is read with spinconf's limits."""
    try:
        if rel.endswith(".json"):
            return json.loads(data)
        if rel.endswith((".yml", ".yaml")):
            from spinconf.yamlio import YamlError, load

            try:
                return load(data, rel).data or {}
            except YamlError:
                return None
    except (ValueError, RecursionError):
        return None
    return None


def file_changes(rel: str, old: bytes, new: bytes, masker: Masker) -> list[Change]:
    """The differences of one file, key by key where both sides parse, else line by line."""
    before, after = _parse(rel, old), _parse(rel, new)
    if before is not None and after is not None:
        flat_old, flat_new = flatten(before), flatten(after)
        out = []
        for key in [*flat_old, *(k for k in flat_new if k not in flat_old)]:
            if rel == "manifest.json" and _MANIFEST_NOISE.match(key):
                continue
            a, b = flat_old.get(key, _ABSENT), flat_new.get(key, _ABSENT)
            if a != b or type(a) is not type(b):
                out.append(
                    Change(
                        rel,
                        _printable(key) or "(document)",
                        None if a is _ABSENT else masker.show(key, a),
                        None if b is _ABSENT else masker.show(key, b),
                    )
                )
        return out or [Change(rel, note="changed")]
    old_lines = old.decode("utf-8", "replace").splitlines()
    new_lines = new.decode("utf-8", "replace").splitlines()
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, n=0, lineterm=""):
        if line.startswith(("---", "+++", "@@")):
            continue
        shown = masker.line(line[1:])
        out.append(Change(rel, old=shown) if line[0] == "-" else Change(rel, new=shown))
    return out or [Change(rel, note="changed")]


_ABSENT = object()


def _printable(key: str) -> str:
    """A key as one line: a line break in a YAML key must not start a line of its own in a CI log
    (where ``::`` at the start of a line is a workflow command)."""
    return key if key.isprintable() else json.dumps(key, ensure_ascii=True)


def changes(target: Path, files: dict[str, bytes], masker: Masker) -> list[Change]:
    """What writing ``files`` into ``target`` would change: new, changed and no longer generated files."""
    from spinconf.output import MANIFEST, linked_folder, previous_generated

    out: list[Change] = []
    # the manifest last: where only its hashes changed, the files above say what changed
    inside = target.resolve()
    for rel, data in sorted(files.items(), key=lambda item: item[0] == MANIFEST):
        path = target / rel
        linked = linked_folder(target, rel) is not None  # a folder on the way is a link: never opened
        if linked or path.is_symlink() or (path.exists() and not path.resolve().is_relative_to(inside)):
            # out/ comes with the pull request: a link could show a file from outside the project
            out.append(Change(rel, note="changed (a symbolic link, not followed)"))
            continue
        try:
            old = path.read_bytes()
        except OSError:
            out.append(Change(rel, note="missing"))
            continue
        if old != data:
            found = file_changes(rel, old, data, masker)
            if rel == MANIFEST and out and all(c.note for c in found):
                continue  # only the hashes of the files listed above
            out.extend(found)
    for rel in sorted(previous_generated(target) - set(files)):
        if (target / rel).exists():
            out.append(Change(rel, note="stale"))
    return out


# ---- Markdown (a pull-request comment; a GitHub job summary) ---------------------------------


def _code(text: str) -> str:
    """``text`` as a Markdown code span inside a table cell."""
    ticks = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (ticks + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def markdown(reviews: list[tuple[str, list[Change]]]) -> str:
    """One section per output folder; one table per file: key, before, after."""
    out = ["## spinconf: what the overlays change\n"]
    for label, found in reviews:
        if not found:
            out.append(f"\n### {_code(label)}: up to date\n")
            continue
        out.append(f"\n### {_code(label)}: {len(found)} change{'s' if len(found) != 1 else ''}\n")
        current = None
        for change in found:
            if change.file != current:
                current = change.file
                out.append(f"\n**{_code(change.file)}**\n\n| key | before | after |\n|---|---|---|\n")
            if change.note:
                words = {"missing": "new file", "stale": "no longer generated", "changed": "changed"}
                out.append(f"| | {words.get(change.note, change.note)} | |\n")
                continue
            key = _code(change.key) if change.key else "(line)"
            before = _code(change.old) if change.old is not None else "(unset)" if change.key else ""
            after = _code(change.new) if change.new is not None else "(unset)" if change.key else ""
            out.append(f"| {key} | {before} | {after} |\n")
    return "".join(out)
