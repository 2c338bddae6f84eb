"""Rules: what Halyard's forms name must exist (the files gate's image carries)."""

from __future__ import annotations

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report
from spinconf.diagnostics import Severity
from spinconf.loader import Project

SAML_METADATA = rule(
    "saml-metadata-missing",
    Severity.ERROR,
    "security.authn.saml.metadataLocal is a file in the project: it is baked into gate's image",
    applies_to=("security.authn.saml.metadataLocal",),
)


@check
def saml_metadata(project: Project) -> None:
    config = config_of(project)
    authn = config.security.authn if config.security else None
    saml = authn.saml if authn is not None else None
    if saml is None:
        return
    from spinconf.services.saml import metadata_file
    from spinconf.targets.docker import source_path

    source = metadata_file(saml) if saml is not None and saml.enabled is True else None
    if source is None:
        return
    path = source_path(project, source)
    if path is None or not path.is_file():
        where = "is outside the project" if path is None else "does not exist"
        report(
            project,
            SAML_METADATA,
            ("security", "authn", "saml", "metadataLocal"),
            f"SAML metadata file {source!r} {where}: gate's image carries it (write a path relative to the project)",
        )


PLUGIN_VERSION = rule(
    "plugin-version-missing",
    Severity.ERROR,
    "with spinnaker.extensibility.downloadAtBuild each enabled plugin names its version: the image build fetches it",
    applies_to=("spinnaker.extensibility.plugins.*.version",),
)


@check
def plugin_versions(project: Project) -> None:
    if config_of(project).spinnaker is None:
        return
    from spinconf.services.plugins import enabled_plugins, extensibility

    ext = extensibility(config_of(project))
    if ext is None or ext.downloadAtBuild is not True:
        return
    for pid, plugin in enabled_plugins(ext).items():
        if not isinstance(plugin.version, str) or plugin.version == "":
            report(
                project,
                PLUGIN_VERSION,
                ("spinnaker", "extensibility", "plugins", pid),
                f"plugin {pid} has no version: downloadAtBuild fetches a named release while the image is built",
            )


RENAMED_KEY = rule(
    "renamed-key",
    Severity.WARNING,
    "a profiles.<svc> Spring key renamed in the project's release is written under its old name "
    "(`spinconf fix` renames it; the table is spinconf/fixrenames.py)",
    applies_to=("profiles.*",),
)


@check
def renamed_keys(project: Project) -> None:
    if not isinstance(project.tree.data.get("profiles"), dict):
        return
    from spinconf.fixrenames import find
    from spinconf.releases import Release

    for hit in find(project.tree.data, Release.of(project.release)):
        fix = " (`spinconf fix` renames it)" if hit.repairable else ""
        old = ".".join(str(p) for p in hit.path)
        new = ".".join(str(p) for p in (*hit.path[:-1], hit.new_key)) + hit.row.below
        report(project, RENAMED_KEY, hit.path, f"{old} is now {new}: {hit.row.why}{fix}")
