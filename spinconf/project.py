"""A spinconf project on disk: settings, overlay files, environments, the release (SPEC sections 1 and 6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
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


def read_settings(root: Path, diags: Diagnostics) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    try:
        doc = load(path.read_bytes(), SETTINGS_FILE)
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
    envs = data.get("environments", settings.environments)
    out = data.get("out", settings.out)
    for key, value in (("environments", envs), ("out", out)):
        if not isinstance(value, str):
            diags.error(at(key), "settings-invalid", f"{key} must be a folder name")
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
    """The environments of a project: each folder under ``environments/`` (SPEC section 1), sorted."""
    folder = root / read_settings(root, Diagnostics()).environments
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def overlay_files(folder: Path) -> list[Path]:
    """Every .yml/.yaml below ``folder``, ordered by path components (the SPEC's order)."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(folder).parts)


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
    settings = read_settings(root, diags)
    sources = Sources(root, settings, env)
    base: list[Path] = []
    for folder in settings.overlays:
        base.extend(overlay_files(root / folder))
    layers = [base]
    if env is not None:
        env_dir = root / settings.environments / env
        if not env_dir.is_dir():
            known = sorted(p.name for p in (root / settings.environments).glob("*") if p.is_dir())
            raise UsageError(f"no environment {env!r} (known: {', '.join(known) or 'none'})")
        layers.append(overlay_files(env_dir))
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
    path = root / VERSIONS_FILE
    if not path.is_file():
        return
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()]
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
