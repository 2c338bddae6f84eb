"""A spinconf project on disk: settings, overlay files, environments, the release (SPEC sections 1 and 6)."""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from spinconf.diagnostics import Diagnostics
from spinconf.yamlio import DEFAULT_LIMITS, Document, Limits, Origin, YamlError, load

SETTINGS_FILE = "spinconf.yml"
VERSIONS_FILE = "versions.txt"
YAML_SUFFIXES = (".yml", ".yaml")


class UsageError(Exception):
    """The command was called wrongly (exit code 2), as opposed to a config that is invalid."""


@dataclass(frozen=True)
class Settings:
    """``spinconf.yml``."""

    overlays: tuple[str, ...] = ("overlays",)
    environments: str = "environments"
    out: str = "out"
    plaintext_secrets: Literal["error", "warn"] = "error"


_SETTINGS_KEYS = {"overlays", "environments", "out", "plaintextSecrets"}
_ENV_NAME = re.compile(r"[A-Za-z0-9._-]+")


def check_env_name(env: str) -> None:
    """``--env`` names a folder of environments/, never a path (it would render outside the project)."""
    if not _ENV_NAME.fullmatch(env) or env in (".", ".."):
        raise UsageError(
            f"--env takes an environment name (letters, digits, '.', '_' and '-'), not {env!r}: "
            "the folder environments/NAME is applied"
        )


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with every link on the way resolved, lies in the project folder."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def _outside(value: str) -> bool:
    """A settings path that leaves the project: absolute, or climbing above it with ``..``."""
    pure = PurePosixPath(value.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"[A-Za-z]:", value):
        return True
    return os.path.normpath(pure).split("/")[0] == ".."


def read_project_file(root: Path, name: str, diags: Diagnostics) -> bytes | None:
    """A file of the project (``spinconf.yml``, ``versions.txt``); None when absent or not to be read.

    A link to outside the project is not followed (the pull request controls the project's files),
    and a file that cannot be read is an error at it, not a crash.
    """
    path = root / name
    if not os.path.lexists(path):
        return None
    if not inside(root, path):
        diags.error(Origin(name, 1, 1), "file-outside-project", f"{name} is a link to outside the project: not read")
        return None
    if not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        diags.error(Origin(name, 1, 1), "file-unreadable", f"cannot read file: {exc.strerror or type(exc).__name__}")
        return None


def read_settings(root: Path, diags: Diagnostics) -> Settings:
    raw = read_project_file(root, SETTINGS_FILE, diags)
    if raw is None:
        return Settings()
    try:
        doc = load(raw, SETTINGS_FILE)
    except YamlError as exc:
        diags.error(Origin(SETTINGS_FILE, exc.line, exc.column), exc.code, exc.message)
        return Settings()
    data = doc.data or {}
    if not isinstance(data, dict):
        diags.error(doc.origin, "settings-invalid", "spinconf.yml must be a mapping")
        return Settings()
    pos = doc.positions.get(id(data), {})

    def at(key: str) -> Origin:
        return pos.get(key, doc.origin)

    for key in data:
        if key not in _SETTINGS_KEYS:
            from spinconf.suggest import did_you_mean

            diags.error(at(key), "settings-unknown-key", f"unknown setting {key!r}{did_you_mean(key, _SETTINGS_KEYS)}")
    settings = Settings()
    overlays = data.get("overlays", list(settings.overlays))
    if isinstance(overlays, str):
        overlays = [overlays]
    if not isinstance(overlays, list) or not all(isinstance(o, str) for o in overlays):
        diags.error(at("overlays"), "settings-invalid", "overlays must be a list of folders")
        overlays = list(settings.overlays)
    item_pos = doc.positions.get(id(data.get("overlays")), {})
    for i, folder in enumerate(list(overlays)):
        if _outside(folder):
            _outside_error(diags, item_pos.get(i, at("overlays")), "overlays", folder)
            overlays.remove(folder)
    envs = data.get("environments", settings.environments)
    out = data.get("out", settings.out)
    for key, value in (("environments", envs), ("out", out)):
        if not isinstance(value, str):
            diags.error(at(key), "settings-invalid", f"{key} must be a folder name")
        elif _outside(value):
            _outside_error(diags, at(key), key, value)
            envs, out = (settings.environments, out) if key == "environments" else (envs, settings.out)
    plain = data.get("plaintextSecrets", "error")
    if plain not in ("error", "warn"):
        diags.error(at("plaintextSecrets"), "settings-invalid", "plaintextSecrets must be error or warn")
        plain = "error"
    return Settings(
        overlays=tuple(overlays),
        environments=envs if isinstance(envs, str) else settings.environments,
        out=out if isinstance(out, str) else settings.out,
        plaintext_secrets=plain,
    )


def environment_names(root: Path) -> list[str]:
    """The environments of a project: each folder under ``environments/`` (SPEC section 1), sorted.

    ``environments/`` itself linked outside the project is never listed; an environment folder that
    links outside is listed, and loading it reports the link (``file-outside-project``).
    """
    folder = root / read_settings(root, Diagnostics()).environments
    if not folder.is_dir() or not inside(root, folder):
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _outside_error(diags: Diagnostics, origin: Origin, key: str, value: str) -> None:
    diags.error(
        origin,
        "settings-outside-project",
        f"{key} {value!r} lies outside the project: spinconf reads and writes only inside the project folder",
    )


def overlay_files(folder: Path, root: Path | None = None, diags: Diagnostics | None = None) -> list[Path]:
    """Every .yml/.yaml below ``folder``, ordered by path components (the SPEC's order).

    With ``root``, a link leading outside the project is an error at the link (with ``diags``) and is
    never read or listed; a folder that cannot be listed is an error too, not a silent gap.
    """
    root = root if root is not None else folder
    if not os.path.lexists(folder):
        return []
    if not inside(root, folder):
        _link_error(root, folder, diags)
        return []
    if not folder.is_dir():
        try:
            os.stat(folder)
        except OSError as exc:
            if exc.errno == errno.ELOOP and diags is not None:  # a dangling link is a missing folder
                diags.error(Origin(rel(root, folder), 1, 1), "file-unreadable", f"cannot read: {exc.strerror}")
        return []
    files: list[Path] = []
    seen: set[str] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue  # a link loop, or two links to one folder: each file is read once
        seen.add(real)
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            if diags is not None:
                diags.error(
                    Origin(rel(root, current) + "/", 1, 1),
                    "folder-unreadable",
                    f"cannot list folder: {exc.strerror or type(exc).__name__}",
                )
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink() and not inside(root, path):
                _link_error(root, path, diags)
                continue
            try:
                if entry.is_dir():
                    pending.append(path)
                elif path.suffix in YAML_SUFFIXES and entry.is_file():
                    files.append(path)
            except OSError as exc:  # a link loop
                if diags is not None:
                    reason = exc.strerror or type(exc).__name__
                    diags.error(Origin(rel(root, path), 1, 1), "file-unreadable", f"cannot read: {reason}")
    return sorted(files, key=lambda p: p.relative_to(folder).parts)


def _link_error(root: Path, path: Path, diags: Diagnostics | None) -> None:
    if diags is not None:
        diags.error(
            Origin(rel(root, path), 1, 1),
            "file-outside-project",
            "a link to outside the project: not read (overlays come from the project folder only)",
        )


@dataclass
class Sources:
    """The files of a project, read and parsed: one list of documents per layer."""

    root: Path
    settings: Settings
    env: str | None
    layers: list[list[Document]] = field(default_factory=list)
    version_file: str | None = None
    version_origin: Origin | None = None
    total_bytes: int = 0
    file_count: int = 0
    # files that could not be read or parsed: rules across files would only see their absence
    unreadable: list[str] = field(default_factory=list)


def rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_sources(root: Path, env: str | None, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS) -> Sources:
    """Find and parse every overlay of the base layer and (with ``env``) of the environment layer."""
    if not root.is_dir():
        raise UsageError(f"project folder not found: {root}")
    if env is not None:
        check_env_name(env)
    settings = read_settings(root, diags)
    sources = Sources(root, settings, env)
    base: list[Path] = []
    for folder in settings.overlays:
        base.extend(overlay_files(root / folder, root, diags))
    layers = [base]
    if env is not None:
        envs = root / settings.environments
        env_dir = envs / env
        if not inside(root, envs):
            _link_error(root, envs, diags)
        elif not env_dir.is_dir():
            known = sorted(p.name for p in envs.glob("*") if p.is_dir()) if envs.is_dir() else []
            raise UsageError(f"no environment {env!r} (known: {', '.join(known) or 'none'})")
        layers.append(overlay_files(env_dir, root, diags))
    for files in layers:
        sources.file_count += len(files)
        docs = []
        for path in files:
            doc = _read_one(root, path, sources, diags, limits)
            if doc is not None:
                docs.append(doc)
        sources.layers.append(docs)
    _read_versions(root, sources, diags)
    return sources


def _read_one(root: Path, path: Path, sources: Sources, diags: Diagnostics, limits: Limits) -> Document | None:
    name = rel(root, path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(Origin(name, 1, 1), "file-unreadable", f"cannot read file: {exc.strerror}")
        sources.unreadable.append(name)
        return None
    sources.total_bytes += len(raw)
    if sources.total_bytes > limits.max_total_bytes:
        diags.error(
            Origin(name, 1, 1), "yaml-limit", f"the project's overlays exceed {limits.max_total_bytes} bytes in all"
        )
        return None
    try:
        return load(raw, name, limits)
    except YamlError as exc:
        diags.error(Origin(name, exc.line, exc.column), exc.code, exc.message)
        sources.unreadable.append(name)
        return None


def _read_versions(root: Path, sources: Sources, diags: Diagnostics) -> None:
    raw = read_project_file(root, VERSIONS_FILE, diags)
    if raw is None:
        return
    lines = [ln.strip() for ln in raw.decode("utf-8", errors="replace").splitlines()]
    values = [(i + 1, ln) for i, ln in enumerate(lines) if ln and not ln.startswith("#")]
    if len(values) != 1:
        diags.error(
            Origin(VERSIONS_FILE, values[1][0] if len(values) > 1 else 1, 1),
            "version-file",
            "versions.txt holds exactly one line: the Spinnaker release, e.g. 2025.2.0",
        )
    if values:
        sources.version_file = values[0][1]
        sources.version_origin = Origin(VERSIONS_FILE, values[0][0], 1)
