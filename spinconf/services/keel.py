"""keel's Spring profile (`keel.yml`): managed delivery and keel's SQL database.

kleat's HalToKeel (internal/convert/keel.go) passes ``managedDelivery.keel`` and
``managedDelivery.eureka`` through, and makes ``persistentStorage.sql`` keel's kork-sql
database. ``services.keel.sql`` is the same database in spinconf's shape; when both are
given they must agree (rule in spinconf/checks/keel.py), and ``services.keel.sql`` is used.
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump
from spinconf.model.hal.storage import SQL, ConnectionPool
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import POOL_KEYS, deep_merge, kork_sql, sql_enabled


def _pool(pool: ConnectionPool | None) -> dict[str, Any]:
    # kleat passes the halconfig pool through as written; kork-sql's ConnectionPoolProperties
    # names its timeouts connectionTimeoutMs / maxLifetimeMs, so translate those keys.
    return {POOL_KEYS.get(k, k): v for k, v in dump(pool).items()}


def halconfig_sql(sql: SQL) -> dict[str, Any]:
    """``persistentStorage.sql`` in kleat's shape: the default pool and the migration user."""
    section: dict[str, Any] = {"enabled": sql.enabled}
    if sql.default is not None:
        section["connectionPools"] = {"default": _pool(sql.default)}
    if sql.migration is not None:
        section["migration"] = _pool(sql.migration)
    return section


def profile(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    md = config.managedDelivery
    doc: dict[str, Any] = {}
    own = service(config, "keel").sql
    hal = config.persistentStorage.sql if config.persistentStorage else None
    if sql_enabled(own):
        assert own is not None
        doc["sql"] = kork_sql(own, ctx.release, at=("services", "keel", "sql"))
    elif hal is not None and hal.enabled is True:
        doc["sql"] = halconfig_sql(hal)
    if md is not None and md.keel is not None:
        doc["keel"] = dump(md.keel)
    if md is not None and md.eureka is not None:
        doc["eureka"] = dump(md.eureka)
    deep_merge(doc, server_port(ctx, "keel"))
    return doc
