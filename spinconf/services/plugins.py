"""``spinnaker.extensibility`` in every Java service's profile: plugins as Halyard rendered them.

Halyard's SpringProfileFactory (spinnaker/halyard, halyard-deploy/src/main/java/com/netflix/
spinnaker/halyard/deploy/spinnaker/v1/profile/SpringProfileFactory.java) appended
``Extensibility.toMap()`` (each plugin's enabled, version, config and extensions; each
repository's url) with ``plugins-root-path: /opt/<service>/plugins`` and
``strict-plugin-loading: false`` to every Java service's profile. kork reads a plugin's settings at
``spinnaker.extensibility.plugins.<plugin id>.*`` with the id's dots as path segments, so the
plugins are written nested by segment (a ``profiles.<svc>`` entry merges with them either way).

gate also serves deck's part of each enabled plugin through its deck proxy, which reads
``spinnaker.extensibility.deck-proxy.plugins.<id>.{enabled,version}`` (gate-plugins/.../deck/
DeckPluginConfiguration.kt, spinnaker/gate release-1.35.x). A plugin without a deck part is
skipped there with a warning while strict-plugin-loading is false (DeckPluginCache.getOrDownload).

``downloadAtBuild`` (spinconf's): Fargate tasks in private subnets may not reach a plugin repository
and have no volume to keep a download, so each image's build fetches the service's part of every
enabled plugin into the plugins root (spinconf/data/plugins/download.py, templates/Dockerfile.j2),
and the services get no repositories to reach at start, except gate: its deck proxy still reads
the repositories to serve deck's part of the plugins.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from spinconf.model.base import dump

if TYPE_CHECKING:  # the extensibility models are built only for a project that sets them
    from spinconf.model.config import Config
    from spinconf.model.hal.extensibility import Extensibility
    from spinconf.services.context import RenderContext

DOWNLOAD_SCRIPT = "download.py"
# the build stage that runs the download script: any Python 3 image with the standard library
BUILD_IMAGE = "python:3.12-alpine"
PLUGIN_LIST = "plugins.json"


def extensibility(config: Config) -> Extensibility | None:
    ext = config.spinnaker.extensibility if config.spinnaker else None
    if ext is None or not (ext.plugins or ext.repositories):
        return None
    return ext


def at_build(config: Config) -> bool:
    """Plugins are fetched while the images are built; without images (Kubernetes without
    dockerfiles: baked-without-image says so) the services keep their repositories."""
    from spinconf.services.context import builds_images

    ext = extensibility(config)
    return ext is not None and ext.downloadAtBuild is True and bool(enabled_plugins(ext)) and builds_images(config)


def enabled_plugins(ext: Extensibility) -> dict[str, Any]:
    return {pid: p for pid, p in (ext.plugins or {}).items() if p.enabled is True}


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    """``{"Armory.RandomWait": v}`` -> ``{"Armory": {"RandomWait": v}}`` (kork's property path)."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, last = key.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def _plugin(plugin: Any) -> dict[str, Any]:
    doc = dump(plugin)
    if plugin.extensions:
        doc["extensions"] = _nested({eid: dump(e) for eid, e in plugin.extensions.items()})
    return doc


def profile(ctx: RenderContext, svc: str) -> dict[str, Any]:
    ext = extensibility(ctx.config)
    if ext is None:
        return {}
    doc: dict[str, Any] = {
        "plugins": _nested({pid: _plugin(p) for pid, p in (ext.plugins or {}).items()}),
        "plugins-root-path": f"/opt/{svc}/plugins",
        "strict-plugin-loading": False,
    }
    # gate keeps the repositories even when the plugins are in the image: its deck proxy lists the
    # enabled plugins' releases from them and fetches deck's part itself (DeckPluginCache.refresh)
    if ext.repositories and (svc == "gate" or not at_build(ctx.config)):
        doc["repositories"] = {rid: {"url": r.url} for rid, r in ext.repositories.items() if r.url is not None}
    if svc == "gate":
        deck = {pid: {"enabled": True, "version": p.version} for pid, p in enabled_plugins(ext).items()}
        doc["deck-proxy"] = {"enabled": True, "plugins": _nested(deck)}
    return {"spinnaker": {"extensibility": doc}}


def build_files(config: Config, svc: str) -> dict[str, bytes]:
    """The build context's ``plugins/`` folder (relative paths) when the image fetches the plugins."""
    if not at_build(config):
        return {}
    from importlib.resources import files

    ext = extensibility(config)
    assert ext is not None
    repositories = [r.url for r in (ext.repositories or {}).values() if isinstance(r.url, str)]
    wanted = {
        "service": svc,
        "plugins": [
            {"id": pid, "version": p.version if isinstance(p.version, str) else None, "repositories": repositories}
            for pid, p in sorted(enabled_plugins(ext).items())
        ],
    }
    script = files("spinconf").joinpath("data", "plugins", DOWNLOAD_SCRIPT).read_bytes()
    return {
        f"plugins/{PLUGIN_LIST}": (json.dumps(wanted, indent=2, sort_keys=True) + "\n").encode(),
        f"plugins/{DOWNLOAD_SCRIPT}": script,
    }
