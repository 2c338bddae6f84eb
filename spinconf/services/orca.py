"""orca's Spring profile (`orca.yml`): bake defaults, pipeline templates, webhooks and orca's stores.

Modelled on kleat's HalToOrca (internal/convert/orca.go). Beyond kleat: orca on SQL
(``services.orca.sql``), which moves executions, the keiko queue and the pending-execution
service off redis as far as the release allows, or else orca's redis; and the port.
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump
from spinconf.provenance import trace
from spinconf.releases import orca_redis_optional, orca_sql_queue
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, kork_sql, redis_connection, runs_sql


def _kleat_keys(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    doc: dict[str, Any] = {}
    aws = config.providers.aws if config.providers else None
    if aws is not None and aws.enabled is True:
        # orca bakes for AWS in this account unless a stage says otherwise
        doc["default"] = {"bake": {"account": aws.primaryAccount}}
    if config.features is not None and config.features.pipelineTemplates is not None:
        doc["pipelineTemplates"] = {"enabled": config.features.pipelineTemplates}
    if config.webhook is not None:
        doc["webhook"] = dump(config.webhook)
    # orca-web/config/orca.yml reads kayenta.enabled: ${services.kayenta.enabled:false}; keel's
    # stages look at services.keel.enabled. Follow the topology, so services.<svc>.enabled wins.
    services: dict[str, Any] = {}
    for svc in ("kayenta", "keel"):
        if ctx.topology.is_enabled(svc):
            services[svc] = {"enabled": True}
    if services:
        doc["services"] = services
    if config.timezone:
        doc["tasks"] = {"executionWindow": {"timezone": config.timezone}}
    return doc


def sql_stores(ctx: RenderContext) -> dict[str, Any]:
    """Everything orca keeps in redis by default, moved to its SQL database.

    Keys (orca module and class that reads each):
    - ``sql.*``: kork-sql's DefaultSqlConfiguration (``sql.enabled``) and orca-sql's SqlConfiguration;
    - ``executionRepository.sql.enabled`` / ``executionRepository.redis.enabled``: orca-sql's
      SqlConfiguration and orca-redis's RedisConfiguration (``execution-repository.*.enabled``);
    - ``keiko.queue.sql.enabled`` / ``keiko.queue.redis.enabled``: orca-queue-sql's
      SqlOrcaQueueConfiguration and keiko-redis-spring's RedisQueueConfiguration;
    - ``queue.pendingExecutionService.sql.enabled``: orca-queue-sql's SqlPendingExecutionConfiguration;
    - ``monitor.activeExecutions.redis``: orca-redis's RedisActiveExecutionsMonitor;
    - ``redis.enabled``: orca-redis's RedisConfiguration (no redis connection at all).
    """
    sql = service(ctx.config, "orca").sql
    assert sql is not None
    doc: dict[str, Any] = {
        "sql": kork_sql(sql, ctx.release, at=("services", "orca", "sql")),
        "executionRepository": {"sql": {"enabled": True}, "redis": {"enabled": False}},
    }
    if orca_sql_queue(ctx.release):
        doc["keiko"] = {"queue": {"sql": {"enabled": True}, "redis": {"enabled": False}}}
        doc["queue"] = {"pendingExecutionService": {"sql": {"enabled": True}}}
        doc["monitor"] = {"activeExecutions": {"redis": False}}
    if orca_redis_optional(ctx.release):
        doc["redis"] = {"enabled": False}
    # every switch follows from services.orca.sql (the pools trace their own keys)
    switches = {k: v for k, v in doc.items() if k != "sql"}
    return {"sql": doc["sql"], **trace(switches, ("services", "orca", "sql"), rule=SQL_SWITCHES_RULE)}


SQL_SWITCHES_RULE = "orca on SQL: executions, queue and pending executions move from redis (spinconf/services/orca.py)"


def on_sql_only(ctx: RenderContext) -> bool:
    """Whether orca runs with no redis at all (SQL given and a release that allows it)."""
    return runs_sql("orca", service(ctx.config, "orca").sql, ctx.release) and orca_redis_optional(ctx.release)


def profile(ctx: RenderContext) -> dict[str, Any]:
    doc = _kleat_keys(ctx)
    orca = service(ctx.config, "orca")
    if runs_sql("orca", orca.sql, ctx.release):
        deep_merge(doc, sql_stores(ctx))
    if not on_sql_only(ctx):
        # before 1.20 (or without SQL) orca still needs redis: queue, executions or both
        deep_merge(doc, redis_connection(orca.redis, ("services", "orca", "redis")))
    deep_merge(doc, server_port(ctx, "orca"))
    return doc
