"""clouddriver's Spring profile (`clouddriver.yml`).

As kleat's HalToClouddriver (internal/convert/clouddriver.go): every cloud provider and the
artifact accounts pass through. spinconf adds the backing store: redis (the default) or
SQL for the task repository, the cache and the agent scheduler.
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump, dump_sections
from spinconf.provenance import trace
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, kork_sql, redis_connection, runs_sql

PROVIDERS = (
    "kubernetes",
    "google",
    "appengine",
    "aws",
    "azure",
    "cloudfoundry",
    "dcos",
    "dockerRegistry",
    "ecs",
    "huaweicloud",
    "oracle",
    # beyond kleat: Halyard passed these through too (clouddriver-tencentcloud, clouddriver-cloudrun)
    "tencentcloud",
    "cloudrun",
)

# clouddriver's own pool names (clouddriver/clouddriver-sql/.../config/ConnectionPools.kt).
# Tasks get their own pool so that a busy cache cannot starve task status writes; the
# other names (cacheWriter, cacheReader, events, accounts) fall back to the default pool.
SQL_POOLS = ("default", "tasks")

# With SQL every redis user is switched off; each has its own flag:
#   redis.enabled               clouddriver-core/.../core/RedisConfig.java (@ConditionalOnProperty)
#   redis.cache.enabled         clouddriver-core/.../cache/JedisCacheConfig.java
#   redis.scheduler.enabled     clouddriver-core/.../cache/AgentSchedulerConfig.java
#   redis.taskRepository.enabled  clouddriver-core/.../core/RedisConfig.java (redis.task-repository.enabled)
SQL_RULE = "clouddriver on SQL: its SQL stores on, every redis user off (spinconf/services/clouddriver.py)"
REDIS_OFF = {
    "enabled": False,
    "cache": {"enabled": False},
    "scheduler": {"enabled": False},
    "taskRepository": {"enabled": False},
}


def providers(ctx: RenderContext) -> dict[str, Any]:
    doc = dump_sections(ctx.config.providers, PROVIDERS)
    if ctx.config.artifacts is not None:
        doc["artifacts"] = dump(ctx.config.artifacts)
    return doc


def redis_store(ctx: RenderContext) -> dict[str, Any]:
    redis = service(ctx.config, "clouddriver").redis
    doc = redis_connection(redis, ("services", "clouddriver", "redis"))
    if redis is not None and redis.enabled is not None:
        doc.setdefault("redis", {})["enabled"] = redis.enabled
    return doc


def backing_store(ctx: RenderContext) -> dict[str, Any]:
    sql_config = service(ctx.config, "clouddriver").sql
    if not runs_sql("clouddriver", sql_config, ctx.release):
        # before 1.14.0 the image has no SQL code: sql.* keys would be ignored, so none are written
        return redis_store(ctx)
    assert sql_config is not None
    sql = kork_sql(sql_config, ctx.release, SQL_POOLS, ("services", "clouddriver", "sql"))
    # sql.enabled, sql.taskRepository.enabled (sql.task-repository.enabled):
    #   clouddriver-sql/.../config/SqlConfiguration.kt
    # sql.cache.enabled:     cats/cats-sql/.../config/SqlCacheConfiguration.kt
    # sql.scheduler.enabled: cats/cats-sql/.../config/SqlAgentSchedulerConfiguration.kt
    on_sql = trace(
        {"taskRepository": {"enabled": True}, "cache": {"enabled": True}, "scheduler": {"enabled": True}},
        ("services", "clouddriver", "sql"),
        rule=SQL_RULE,
    )
    return {"sql": {**sql, **on_sql}, "redis": trace(REDIS_OFF, ("services", "clouddriver", "sql"), rule=SQL_RULE)}


def profile(ctx: RenderContext) -> dict[str, Any]:
    doc = deep_merge(providers(ctx), backing_store(ctx))
    return deep_merge(doc, server_port(ctx, "clouddriver"))
