"""igor's Spring profile (`igor.yml`).

As kleat's HalToIgor (internal/convert/igor.go): the CI masters, artifactory searches,
artifact templates and whether docker registries are polled. spinconf adds igor's redis,
where it keeps what it has already seen (igor/igor-web/config/igor.yml: ``redis.connection``).
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, redis_connection

CI = ("gcb", "codebuild", "concourse", "jenkins", "travis", "wercker")


def profile(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    doc: dict[str, Any] = {}
    if config.repository is not None and config.repository.artifactory is not None:
        doc["artifactory"] = dump(config.repository.artifactory)
    if config.repository is not None and config.repository.nexus is not None:
        # igor's NexusProperties (nexus.enabled, nexus.searches), as Halyard's IgorProfileFactory wrote it
        doc["nexus"] = dump(config.repository.nexus)
    if config.artifacts is not None and config.artifacts.templates is not None:
        doc["artifacts"] = {"templates": [dump(t) for t in config.artifacts.templates]}
    registry = config.providers.dockerRegistry if config.providers is not None else None
    if registry is not None:
        # igor only needs to know whether to poll registries; the accounts come from clouddriver
        doc["dockerRegistry"] = {} if registry.enabled is None else {"enabled": registry.enabled}
    for name in CI:
        section = getattr(config.ci, name, None) if config.ci is not None else None
        if section is not None:
            doc[name] = dump(section)
    deep_merge(doc, server_port(ctx, "igor"))
    return deep_merge(doc, redis_connection(service(config, "igor").redis, ("services", "igor", "redis")))
