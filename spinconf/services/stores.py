"""Backing stores shared by several services: kork-sql databases and redis connections.

Each function turns ``services.<svc>.sql`` / ``services.<svc>.redis`` into the property
keys the kork libraries read; the service modules decide which of them a service needs.
Secret and environment references stay objects (the renderer makes them placeholders).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinconf.model.services import ConnectionPool, Redis, Sql
from spinconf.provenance import Path, derived
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


# How each key was made, for `spinconf explain` and the rules that judge rendered documents.
SQL_RULE = "kork-sql's connection pools from services.<svc>.sql (spinconf/services/stores.py kork_sql)"
MIGRATION_RULE = (
    "kork-sql's migration: services.<svc>.sql.migration, else the service's own connection "
    "(spinconf/services/stores.py migration)"
)
REDIS_RULE = "kork-jedis' redis.connection from services.<svc>.redis.url (spinconf/services/stores.py redis_connection)"


def _traced(value: Any, at: Path | None, *fields: Path, rule: str) -> Any:
    """``value`` remembering the config paths ``at + field`` it came from (as it is when ``at`` is None)."""
    if at is None:
        return value
    return derived(value, *((*at, *f) for f in fields), rule=rule)


Credential = tuple[str, Any, Path]  # (kork key, value, where in services.<svc>.sql it was written)


def _credentials(values: Sequence[Credential], at: Path | None, rule: str) -> dict[str, Any]:
    # a password stays a SecretRef / EnvRef / kork `encrypted:` string, as written
    return {key: _traced(value, at, (*where, key), rule=rule) for key, value, where in values if value is not None}


def _own(sql: Sql) -> list[Credential]:
    return [("jdbcUrl", sql.jdbcUrl, ()), ("user", sql.user, ()), ("password", sql.password, ())]


def _pool_settings(pool: ConnectionPool | None, at: Path | None) -> dict[str, Any]:
    if pool is None:
        return {}
    return {
        kork: _traced(getattr(pool, ours), at, ("pool", ours), rule=SQL_RULE)
        for ours, kork in POOL_KEYS.items()
        if getattr(pool, ours) is not None
    }


def connection_pool(sql: Sql, at: Path | None = None) -> dict[str, Any]:
    """One kork-sql pool: credentials, HikariCP settings and the jOOQ dialect (a per-pool property).

    ``at`` is where ``sql`` sits in the config (``("services", svc, "sql")``): the rendered keys
    then remember it (spinconf/provenance.py).
    """
    pool = _credentials(_own(sql), at, SQL_RULE)
    pool.update(_pool_settings(sql.pool, at))
    if sql.dialect is not None:
        pool["dialect"] = _traced(sql.dialect, at, ("dialect",), rule=SQL_RULE)
    return pool


def migration(sql: Sql, at: Path | None = None) -> dict[str, Any]:
    """``sql.migration``: liquibase runs with its own (usually DDL-privileged) user.

    Without ``migration`` the service's own connection migrates: kork's SpringLiquibaseProxy
    needs a jdbcUrl here, and there is no fallback to the pools
    (kork/kork-sql/src/main/kotlin/com/netflix/spinnaker/kork/sql/config/SqlMigrationProperties.kt).
    """
    m = sql.migration
    if m is None:
        return _credentials(_own(sql), at, MIGRATION_RULE)
    mig: Path = ("migration",)
    own_password = m.user is not None or m.password is not None  # a migration user brings its own password
    return _credentials(
        [
            ("jdbcUrl", *((m.jdbcUrl, mig) if m.jdbcUrl is not None else (sql.jdbcUrl, ()))),
            ("user", *((m.user, mig) if m.user is not None else (sql.user, ()))),
            ("password", *((m.password, mig) if own_password else (sql.password, ()))),
        ],
        at,
        MIGRATION_RULE,
    )


def kork_sql(sql: Sql, release: Release, pools: Sequence[str] = ("default",), at: Path | None = None) -> dict[str, Any]:
    """The ``sql`` section of a kork-sql service: ``enabled``, the pools and ``migration``.

    ``pools`` names the connection pools to declare; the first is the default one. All
    share one database and the same settings. Releases before kork-sql's named pools
    get the singular ``sql.connectionPool`` instead; the two are never set together
    (kork's DefaultSqlConfiguration refuses to start when both are present).
    """
    enabled = True if sql.enabled is None else sql.enabled
    section: dict[str, Any] = {"enabled": _traced(enabled, at, ("enabled",), (), rule=SQL_RULE)}
    if kork_sql_named_pools(release):
        named: dict[str, Any] = {}
        for i, name in enumerate(pools):
            pool = connection_pool(sql, at)
            if i == 0:
                # With more than one pool kork routes unnamed work to the one marked default.
                pool = {"default": True, **pool}
            named[name] = pool
        section["connectionPools"] = named
    else:
        section["connectionPool"] = connection_pool(sql, at)
    section["migration"] = migration(sql, at)
    return section


def redis_connection(redis: Redis | None, at: Path | None = None) -> dict[str, Any]:
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
    url = _traced(redis.url, at, ("url",), rule=REDIS_RULE)
    return {"redis": {"connection": url}, "services": {"redis": {"baseUrl": url}}}


def deep_merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge ``extra`` into ``into`` (mappings recursively, anything else replaced); returns ``into``."""
    for key, value in extra.items():
        current = into.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            deep_merge(current, value)
        else:
            into[key] = value
    return into
