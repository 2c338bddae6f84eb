"""front50's Spring profile (`front50.yml`).

As kleat's HalToFront50 (internal/convert/front50.go): the object stores of
``persistentStorage`` under ``spinnaker.<store>`` and the managed-delivery switch. With
``services.front50.sql`` front50 keeps everything in SQL and every object store is off.
"""

from __future__ import annotations

from typing import Any

from spinconf.model.base import dump
from spinconf.provenance import derived
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, kork_sql, runs_sql

STORES = ("gcs", "azs", "oracle", "s3")

# Every object store front50 can build a StorageService from; two at once do not start
# (front50-core/.../config/annotations/AnyProviderExceptRedisCondition.java lists them;
# S3Config, GcsConfig, AzureStorageConfig, OracleConfig, SwiftConfig and front50-redis's
# RedisConfig each switch on spinnaker.<store>.enabled).
SQL_RULE = "front50 on SQL: every object store off (spinconf/services/front50.py)"
OBJECT_STORES = ("s3", "gcs", "azs", "oracle", "swift", "redis")


def profile(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    storage = config.persistentStorage
    spinnaker: dict[str, Any] = {}
    for name in STORES:
        section = getattr(storage, name, None) if storage is not None else None
        if section is not None:
            spinnaker[name] = dump(section)
    if config.managedDelivery is not None and config.managedDelivery.enabled is True:
        # front50-web/.../controllers/DeliveryController.java: ${spinnaker.delivery.enabled:false}
        spinnaker["delivery"] = {"enabled": True}
    doc: dict[str, Any] = {"spinnaker": spinnaker}
    sql = service(config, "front50").sql
    if runs_sql("front50", sql, ctx.release):
        assert sql is not None
        # front50-sql/.../config/SqlConfiguration.kt: @ConditionalOnProperty("sql.enabled")
        doc["sql"] = kork_sql(sql, ctx.release, at=("services", "front50", "sql"))
        for name in OBJECT_STORES:
            spinnaker.setdefault(name, {})["enabled"] = derived(False, ("services", "front50", "sql"), rule=SQL_RULE)
    return deep_merge(doc, server_port(ctx, "front50"))
