"""A build context per enabled service: its config files and a Dockerfile that bakes them into the upstream image.

``services/<svc>/`` holds exactly what ``docker build services/<svc>`` needs: the rendered files
(Spring YAML or deck's settings), the operator's ``services.<svc>.files`` under ``files/``, and the
Dockerfile. The ECS image tag hashes that folder and nothing else (:func:`context_digest`).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from spinconf.model.services import JAVA_SERVICES, SERVICE_NAMES
from spinconf.services.context import service
from spinconf.targets import apm
from spinconf.targets.images import upstream_image

if TYPE_CHECKING:
    import jinja2

    from spinconf.loader import Project
    from spinconf.model.config import Config
    from spinconf.render import Rendered
    from spinconf.services.context import RenderContext

CONFIG_DIR = "/opt/spinnaker/config/"
FILES_DIR = "files"
_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _templates_dir() -> Path:
    """templates/ of the installed wheel (spinconf/_data/templates) or of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_data" / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    import jinja2  # only rendering needs it: `spinconf validate` starts faster without

    # Operator values only ever arrive as template variables (data), never as template source.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - a Dockerfile, not HTML; values are JSON-encoded where they land
        keep_trailing_newline=True,
    )


def context_prefix(svc: str) -> str:
    return f"services/{svc}/"


def context_digest(files: dict[str, bytes], svc: str) -> str:
    """sha256 over the service's build context: every file under ``services/<svc>/``, path and bytes."""
    prefix = context_prefix(svc)
    digest = hashlib.sha256()
    for path in sorted(p for p in files if p.startswith(prefix)):
        data = files[path]
        digest.update(f"{path[len(prefix) :]}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def image_tag(release_text: str, digest: str) -> str:
    """``<release>-<12 hex>``: which release it runs and which config it carries (a valid Docker tag)."""
    return f"{_TAG_UNSAFE.sub('-', release_text)[:100]}-{digest[:12]}"


def file_target(target: str) -> PurePosixPath | None:
    """The in-image path of a ``services.<svc>.files`` entry, or None when it is not a plain absolute path."""
    if not target.startswith("/") or any(c.isspace() or c in "\"'\\" for c in target):
        return None
    path = PurePosixPath(target)
    if ".." in path.parts or target.endswith("/") or path == PurePosixPath("/"):
        return None
    return path


def source_path(project: Project, source: str) -> Path | None:
    """The project file a ``services.<svc>.files`` entry copies, or None when it leaves the project."""
    import os

    # realpath, not resolve(): a link loop in the project is "not a file", not a crash
    root = Path(os.path.realpath(project.root))
    path = Path(os.path.realpath(root / source))
    return path if path.is_relative_to(root) else None


def baked_files(config: Config, svc: str) -> list[tuple[str, str]]:
    """(project file, in-image path) pairs a service's config names, beyond services.<svc>.files."""
    if svc != "gate" or config.security is None or config.security.authn is None:
        return []
    from spinconf.services.saml import baked_files as saml_files

    saml = config.security.authn.saml
    return saml_files(saml) if saml is not None and saml.enabled is True else []


def files(project: Project, ctx: RenderContext, rendered: Rendered) -> None:
    """Add ``services/<svc>/Dockerfile`` (and the files it copies) to ``rendered.files``."""
    from spinconf.render import header

    for svc in SERVICE_NAMES:
        if not ctx.topology.is_enabled(svc):
            continue
        upstream = upstream_image(ctx.config, ctx.release, svc)
        if upstream.image is None:
            continue  # no Dockerfile without a known image (an error on the ECS target, see checks/ecs.py)
        prefix = context_prefix(svc)
        config_files = sorted(
            p[len(prefix) :] for p in rendered.files if p.startswith(prefix) and "/" not in p[len(prefix) :]
        )
        extra: list[tuple[str, str]] = []
        for i, entry in enumerate(service(ctx.config, svc).files or []):
            target = file_target(entry.target)
            source = source_path(project, entry.source)
            if target is None or source is None or not source.is_file():
                continue  # reported by checks/ecs.py at the entry's file:line
            rel = f"{FILES_DIR}{target}"
            try:
                rendered.files[prefix + rel] = source.read_bytes()
            except OSError as exc:  # unreadable: a diagnostic, not an internal error
                at = ("services", svc, "files", i, "source")
                reason = exc.strerror or type(exc).__name__
                project.diagnostics.error(
                    project.origin(at), "service-file-missing", f"{entry.source} cannot be read: {reason}"
                )
                continue
            extra.append((rel, str(target)))
        for src, dest in baked_files(ctx.config, svc):  # files the config names (SAML metadata, ...)
            source = source_path(project, src)
            if source is None or not source.is_file():
                continue  # reported by checks/halyard.py at the key's file:line
            rel = f"{FILES_DIR}{dest}"
            try:
                rendered.files[prefix + rel] = source.read_bytes()
            except OSError as exc:  # unreadable: a diagnostic, not an internal error
                reason = exc.strerror or type(exc).__name__
                saml_at = project.origin(("security", "authn", "saml", "metadataLocal"))  # the only such file
                project.diagnostics.error(saml_at, "file-unreadable", f"{src} cannot be read: {reason}")
                continue
            extra.append((rel, dest))
        plugins_stage = None
        if svc in JAVA_SERVICES:
            from spinconf.services.plugins import BUILD_IMAGE, build_files

            plugin_files = build_files(ctx.config, svc)
            for rel, data in plugin_files.items():
                rendered.files[prefix + rel] = data
            if plugin_files:
                plugins_stage = {"image": BUILD_IMAGE, "root": f"/opt/{svc}/plugins/"}
        text = (
            _environment()
            .get_template("Dockerfile.j2")
            .render(
                header=header(project, ctx, "#").rstrip("\n"),
                image=upstream.image,
                config_files=[*config_files, CONFIG_DIR] if config_files else [],
                extra_files=extra,
                tracer=apm.tracer(ctx.config, svc),
                plugins_stage=plugins_stage,
            )
        )
        rendered.files[prefix + "Dockerfile"] = text.encode()
