"""Backing stores shared by several services: kork-sql databases and redis connections.

Each function turns ``services.<svc>.sql`` / ``services.<svc>.redis`` into the property
keys the kork libraries read; the service modules decide which of them a service needs.
Secret and environment references stay objects (the renderer makes them placeholders).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinconf.model.services import ConnectionPool, Redis, Sql
from spinconf.releases import Release, kork_sql_named_pools, sql_supported

# spinconf's pool settings -> kork-sql's ConnectionPoolProperties names. The timeouts carry
# an `Ms` suffix there, and Spring's relaxed binding does not map `maxLifetime` onto
# `maxLifetimeMs`: the unsuffixed names would be silently ignored.
# (kork/kork-sql/src/main/kotlin/com/netflix/spinnaker/kork/sql/config/ConnectionPoolProperties.kt)
POOL_KEYS = {
    "maxPoolSize": "maxPoolSize",
    "minIdle": "minIdle",
    "connectionTimeout": "connectionTimeoutMs",
    "maxLifetime": "maxLifetimeMs",
    "idleTimeout": "idleTimeoutMs",
}


def sql_enabled(sql: Sql | None) -> bool:
    """``services.<svc>.sql`` is on when given, unless ``enabled: false`` says otherwise.

    An ``{env: ...}`` enabled flag counts as on: the document then switches on the
    environment variable's value, while the store keys are written for the SQL case.
    """
    return sql is not None and sql.enabled is not False


def runs_sql(svc: str, sql: Sql | None, release: Release) -> bool:
    """``services.<svc>.sql`` is on and the release's image of ``svc`` can use it (else it is ignored)."""
    return sql_enabled(sql) and sql_supported(svc, release)


def _credentials(jdbc_url: Any, user: Any, password: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if jdbc_url is not None:
        out["jdbcUrl"] = jdbc_url
    if user is not None:
        out["user"] = user
    if password is not None:
        out["password"] = password  # a SecretRef / EnvRef / kork `encrypted:` string, as written
    return out


def _pool_settings(pool: ConnectionPool | None) -> dict[str, Any]:
    if pool is None:
        return {}
    return {kork: getattr(pool, ours) for ours, kork in POOL_KEYS.items() if getattr(pool, ours) is not None}


def connection_pool(sql: Sql) -> dict[str, Any]:
    """One kork-sql pool: credentials, HikariCP settings and the jOOQ dialect (a per-pool property)."""
    pool = _credentials(sql.jdbcUrl, sql.user, sql.password)
    pool.update(_pool_settings(sql.pool))
    if sql.dialect is not None:
        pool["dialect"] = sql.dialect
    return pool


def migration(sql: Sql) -> dict[str, Any]:
    """``sql.migration``: liquibase runs with its own (usually DDL-privileged) user.

    Without ``migration`` the service's own connection migrates: kork's SpringLiquibaseProxy
    needs a jdbcUrl here, and there is no fallback to the pools
    (kork/kork-sql/src/main/kotlin/com/netflix/spinnaker/kork/sql/config/SqlMigrationProperties.kt).
    """
    m = sql.migration
    if m is None:
        return _credentials(sql.jdbcUrl, sql.user, sql.password)
    return _credentials(
        m.jdbcUrl if m.jdbcUrl is not None else sql.jdbcUrl,
        m.user if m.user is not None else sql.user,
        m.password if m.user is not None or m.password is not None else sql.password,
    )


def kork_sql(sql: Sql, release: Release, pools: Sequence[str] = ("default",)) -> dict[str, Any]:
    """The ``sql`` section of a kork-sql service: ``enabled``, the pools and ``migration``.

    ``pools`` names the connection pools to declare; the first is the default one. All
    share one database and the same settings. Releases before kork-sql's named pools
    get the singular ``sql.connectionPool`` instead; the two are never set together
    (kork's DefaultSqlConfiguration refuses to start when both are present).
    """
    section: dict[str, Any] = {"enabled": True if sql.enabled is None else sql.enabled}
    if kork_sql_named_pools(release):
        named: dict[str, Any] = {}
        for i, name in enumerate(pools):
            pool = connection_pool(sql)
            if i == 0:
                # With more than one pool kork routes unnamed work to the one marked default.
                pool = {"default": True, **pool}
            named[name] = pool
        section["connectionPools"] = named
    else:
        section["connectionPool"] = connection_pool(sql)
    section["migration"] = migration(sql)
    return section


def redis_connection(redis: Redis | None) -> dict[str, Any]:
    """``redis.connection`` and ``services.redis.baseUrl`` for a service that talks to redis.

    Every release's bundled <svc>.yml reads ``redis.connection: ${services.redis.baseUrl:...}``
    (e.g. igor/igor-web/config/igor.yml, rosco/rosco-web/config/rosco.yml), and kork-jedis
    maps ``redis.connection`` onto its default client
    (kork/kork-jedis/src/main/java/com/netflix/spinnaker/kork/jedis/RedisClientConfiguration.java).
    Writing both covers profiles of the bundled file that re-derive the connection from
    ``services.redis.baseUrl``.
    """
    if redis is None or redis.url is None:
        return {}
    return {"redis": {"connection": redis.url}, "services": {"redis": {"baseUrl": redis.url}}}


def deep_merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge ``extra`` into ``into`` (mappings recursively, anything else replaced); returns ``into``."""
    for key, value in extra.items():
        current = into.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            deep_merge(current, value)
        else:
            into[key] = value
    return into
