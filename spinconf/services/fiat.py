"""fiat's Spring profile (`fiat.yml`): authorization and where group memberships come from.

kleat's HalToFiat (internal/convert/fiat.go) passes ``security.authz`` through as ``auth``;
fiat binds it in fiat-roles' ``auth.group-membership.*`` provider configurations.
Beyond kleat: the listening port and fiat's redis (its permission cache).
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, redis_connection


def profile(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    doc: dict[str, Any] = {}
    authz = config.security.authz if config.security else None
    if authz is not None:
        doc["auth"] = dump(authz)
    deep_merge(doc, server_port(ctx, "fiat"))
    # fiat's RedisPermissionsRepository reads redis.connection (fiat-web/config/fiat.yml)
    deep_merge(doc, redis_connection(service(config, "fiat").redis, ("services", "fiat", "redis")))
    return doc
