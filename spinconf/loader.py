"""The front half of the compiler: files -> merged tree -> typed Config -> diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spinconf.diagnostics import Diagnostics
from spinconf.merge import Tree, merge_layers
from spinconf.model.config import Config, complete_config
from spinconf.model.errors import translate
from spinconf.model.validate import InvalidConfigError, validate_config
from spinconf.project import VERSIONS_FILE, Settings, Sources, read_sources
from spinconf.refs import Ref, convert
from spinconf.yamlio import DEFAULT_LIMITS, Document, Limits, Origin


@dataclass
class Project:
    """A loaded project: everything later stages need, and every problem found on the way."""

    root: Path
    env: str | None
    settings: Settings
    tree: Tree
    config: Config | None
    diagnostics: Diagnostics
    release: str | None = None
    release_origin: Origin | None = None
    refs: list[tuple[tuple[Any, ...], Ref]] = field(default_factory=list)
    # the parsed documents stay referenced so that position keys (object ids) stay unique
    documents: list[list[Document]] = field(default_factory=list, repr=False)

    @property
    def valid(self) -> bool:
        return self.config is not None and not self.diagnostics.has_errors

    def origin(self, path: tuple[Any, ...]) -> Origin:
        """Where the entry at ``path`` (or its nearest written ancestor) came from."""
        return self.tree.origin(path) or self.first_file_origin()

    def first_file_origin(self) -> Origin:
        for layer in self.documents:
            for doc in layer:
                return Origin(doc.file, 1, 1)
        return Origin(self.settings.overlays[0] if self.settings.overlays else ".", 1, 1)


def _base_version(sources: Sources) -> tuple[str | None, Origin | None]:
    for doc in sources.layers[0] if sources.layers else []:
        if isinstance(doc.data, dict) and "version" in doc.data:
            value = doc.data["version"]
            origin = doc.positions.get(id(doc.data), {}).get("version", doc.origin)
            return (str(value) if value is not None else None), origin
    return None, None


def load_project(root: Path | str, env: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Project:
    """Load, merge and validate a project. Never raises for bad config: problems become diagnostics.

    Raises :class:`spinconf.project.UsageError` when the project folder or environment does not exist.
    """
    root = Path(root)
    diags = Diagnostics()
    sources = read_sources(root, env, diags, limits)
    tree = merge_layers(sources.layers, diags)
    project = Project(root, env, sources.settings, tree, None, diags, documents=sources.layers)
    if sources.file_count == 0:
        diags.warning(
            Origin(sources.settings.overlays[0] if sources.settings.overlays else ".", 1, 1),
            "no-overlays",
            "no overlay files found: the project renders Spinnaker's defaults",
        )
    _resolve_release(project, sources)

    bad_refs: set[tuple[Any, ...]] = set()

    def bad_ref(path: tuple[Any, ...], message: str) -> None:
        bad_refs.add(path)
        diags.error(project.origin(path), "bad-reference", message, key=".".join(map(str, path)))

    project.refs = convert(tree.data, bad_ref)
    try:
        config = validate_config(tree.data)
    except InvalidConfigError as exc:
        # a malformed reference is reported once, not again as a type error
        translate(exc.errors, complete_config(), tree, diags, project.first_file_origin(), skip=bad_refs)
        return project
    if bad_refs:
        return project
    project.config = config
    if sources.unreadable:
        # a rule across files would report what the broken file holds as missing ("secret declared
        # but nothing references it"): its own error is the one to fix first
        return project
    from spinconf.checks import run_checks

    run_checks(project)
    return project


def _resolve_release(project: Project, sources: Sources) -> None:
    base_version, base_origin = _base_version(sources)
    file_version = sources.version_file
    if base_version and file_version and base_version != file_version:
        project.diagnostics.error(
            base_origin or Origin(VERSIONS_FILE, 1, 1),
            "version-conflict",
            f"version {base_version} here, but versions.txt says {file_version}: keep one",
            key="version",
        )
    elif base_version and file_version:
        # the same release in two places: the next upgrade changes one and trips the conflict
        project.diagnostics.warning(
            base_origin or Origin(VERSIONS_FILE, 1, 1),
            "version-twice",
            f"version {base_version} here and in versions.txt: keep one (versions.txt, or version: here)",
            key="version",
        )
    merged = project.tree.data.get("version")
    if merged is not None:
        project.release = str(merged)
        project.release_origin = project.tree.origin(("version",))
    elif file_version:
        project.release = file_version
        project.release_origin = sources.version_origin
        project.tree.data["version"] = file_version
        if sources.version_origin:
            project.tree.positions[id(project.tree.data)]["version"] = sources.version_origin
