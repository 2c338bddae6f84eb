"""kayenta's Spring profile (`kayenta.yml`): the canary metric stores and object stores.

Follows kleat's HalToKayenta (internal/convert/kayenta.go), itself Halyard's
KayentaProfileFactory: each ``canary.serviceIntegrations.<x>`` becomes ``kayenta.<x>``, and
the google and aws integrations also switch kayenta's stackdriver/gcs and s3 modules
(kayenta-google's ``kayenta.stackdriver``/``kayenta.gcs``, kayenta-s3's ``kayenta.s3``).
Beyond kleat: the listening port and kayenta's redis.
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, redis_connection


def _integrations(ctx: RenderContext) -> dict[str, Any]:
    canary = ctx.config.canary
    if canary is None or canary.enabled is not True or canary.serviceIntegrations is None:
        return {}
    si = canary.serviceIntegrations
    out: dict[str, Any] = {}
    if si.google is not None:
        g = si.google
        out["google"] = {
            k: v for k, v in {"enabled": g.enabled, "accounts": dump_list(g.accounts)}.items() if v is not None
        }
        out["stackdriver"] = {
            k: v
            for k, v in {
                "enabled": g.stackdriverEnabled,
                "metadataCachingIntervalMS": g.metadataCachingIntervalMS,
            }.items()
            if v is not None
        }
        out["gcs"] = {"enabled": g.gcsEnabled} if g.gcsEnabled is not None else {}
    for name in ("prometheus", "datadog", "signalfx", "newrelic"):
        section = getattr(si, name)
        if section is not None:
            out[name] = dump(section)
    if si.aws is not None:
        a = si.aws
        out["aws"] = {
            k: v for k, v in {"enabled": a.enabled, "accounts": dump_list(a.accounts)}.items() if v is not None
        }
        out["s3"] = {"enabled": a.s3Enabled} if a.s3Enabled is not None else {}
    return out


def dump_list(items: list[Any] | None) -> list[dict[str, Any]] | None:
    return None if items is None else [dump(item) for item in items]


def profile(ctx: RenderContext) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    integrations = _integrations(ctx)
    if integrations:
        doc["kayenta"] = integrations
    deep_merge(doc, server_port(ctx, "kayenta"))
    # kayenta-web/config/kayenta.yml: redis.connection: ${services.redis.baseUrl:...}
    deep_merge(doc, redis_connection(service(ctx.config, "kayenta").redis, ("services", "kayenta", "redis")))
    return doc
