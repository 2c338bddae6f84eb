"""Which upstream image each service's Dockerfile starts FROM, and why not when it cannot tell."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinconf.model.config import Config
from spinconf.releases import (
    RELEASE_TAGS_FROM,
    Release,
    is_known_release,
    release_tag,
    releases_near,
    upstream_registry,
)
from spinconf.services.context import service

# registry[:port]/path[:tag][@sha256:digest]; no whitespace, so a value can never add a Dockerfile line
IMAGE_REFERENCE = re.compile(
    r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$"
)
REGISTRY = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")


@dataclass(frozen=True)
class Upstream:
    """The image a service's Dockerfile starts FROM, or the reason it is unknown."""

    image: str | None
    problem: str | None = None  # why there is no image (for an error on the ECS target)
    key: str = "version"  # the setting the problem is about


def upstream_image(config: Config, release: Release, svc: str) -> Upstream:
    explicit = service(config, svc).image
    if isinstance(explicit, str):
        if not IMAGE_REFERENCE.fullmatch(explicit):
            return Upstream(None, f"services.{svc}.image is not an image reference (registry/name:tag)", "image")
        return Upstream(explicit)
    if not release.is_release:
        return Upstream(
            None, f"version {release.text} is not a release: set services.{svc}.image to the image to run", "version"
        )
    if not is_known_release(release.text):
        near = ", ".join(releases_near(release.text))
        return Upstream(None, f"{release.text} is not a known Spinnaker release (known near it: {near})", "version")
    tag = release_tag(release.version)
    if tag is None:
        return Upstream(
            None,
            f"images of {release.text} are tagged by service version, not by release (release tags start at "
            f"{RELEASE_TAGS_FROM}): set services.{svc}.image",
            "version",
        )
    ecs = config.ecs
    mirror = ecs.upstreamRegistry if ecs is not None else None
    registry = mirror.rstrip("/") if isinstance(mirror, str) else upstream_registry(release.version)
    if not REGISTRY.fullmatch(registry):
        return Upstream(None, "ecs.upstreamRegistry is not a registry (host[/path])", "upstreamRegistry")
    return Upstream(f"{registry}/{svc}:{tag}")
