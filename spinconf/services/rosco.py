"""rosco's Spring profile (`rosco.yml`).

As kleat's HalToRosco (internal/convert/rosco.go): the providers rosco bakes for pass
through (their ``bakeryDefaults`` are what rosco reads). spinconf adds rosco's redis,
where it keeps bake state (rosco/rosco-web/config/rosco.yml: ``redis.connection``).
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump_sections
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, redis_connection

PROVIDERS = ("google", "aws", "azure", "huaweicloud", "oracle", "tencentcloud")


def profile(ctx: RenderContext) -> dict[str, Any]:
    doc = dump_sections(ctx.config.providers, PROVIDERS)
    deep_merge(doc, server_port(ctx, "rosco"))
    return deep_merge(doc, redis_connection(service(ctx.config, "rosco").redis, ("services", "rosco", "redis")))
