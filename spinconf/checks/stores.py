"""Rules: backing stores a service would not use.

A store the rendered profile leaves out is easy to miss: the config says redis, the service
never connects to it. These warn at the setting, so an operator knows it has no effect.
"""

from __future__ import annotations

from spinconf.checks import check, rule
from spinconf.checks._util import is_on, report
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.releases import SQL_SINCE, Release, orca_redis_optional, sql_supported
from spinconf.services.context import service, topology
from spinconf.services.stores import runs_sql, sql_enabled

REDIS_UNUSED = rule(
    "redis-unused",
    Severity.WARNING,
    "services.<svc>.redis is given for a service that runs on SQL alone: nothing connects to it",
    applies_to=("services.clouddriver.redis", "services.orca.redis"),
)
SQL_UNSUPPORTED = rule(
    "sql-unsupported",
    Severity.WARNING,
    "services.<svc>.sql before the service had SQL support (orca 1.10.0, echo 1.13.0, clouddriver 1.14.0, "
    "front50 1.15.0): it is ignored",
    applies_to=tuple(f"services.{svc}.sql" for svc in SQL_SINCE),
)
PUBSUB_REDIS = rule(
    "echo-pubsub-needs-redis",
    Severity.WARNING,
    "pub/sub subscriptions need echo's redis (services.echo.redis): echo locks each message in redis",
    applies_to=("pubsub.google.subscriptions", "services.echo.redis"),
)
# what each service keeps using when its sql block is ignored
_WITHOUT_SQL = {
    "orca": "orca keeps its executions in redis",
    "echo": "echo schedules cron triggers without a database",
    "clouddriver": "clouddriver uses redis",
    "front50": "front50 uses its persistentStorage store",
}


@check
def unused_stores(project: Project) -> None:
    config = project.config
    if config is None or config.services is None:
        return
    release = Release.of(project.release)
    diags = project.diagnostics
    for svc, since in SQL_SINCE.items():
        if sql_enabled(service(config, svc).sql) and not sql_supported(svc, release):
            diags.warning(
                project.origin(("services", svc, "sql")),
                SQL_UNSUPPORTED.code,
                f"{svc} has SQL support from Spinnaker {since}, not {release.text}: services.{svc}.sql is "
                f"ignored and {_WITHOUT_SQL[svc]}; upgrade, or remove the sql block",
                key=f"services.{svc}.sql",
            )
    clouddriver = service(config, "clouddriver")
    # clouddriver on SQL switches redis off (spinconf/services/clouddriver.py REDIS_OFF); orca from 1.20.0
    runs_on_sql_alone = {
        "clouddriver": runs_sql("clouddriver", clouddriver.sql, release),
        "orca": runs_sql("orca", service(config, "orca").sql, release) and orca_redis_optional(release),
    }
    for svc, on_sql in runs_on_sql_alone.items():
        if on_sql and service(config, svc).redis is not None:
            diags.warning(
                project.origin(("services", svc, "redis")),
                REDIS_UNUSED.code,
                f"{svc} runs on SQL alone here (services.{svc}.sql): services.{svc}.redis is not used; remove it",
                key=f"services.{svc}.redis",
            )


@check
def pubsub_redis(project: Project) -> None:
    """echo's PubsubMessageHandler dedups and locks every received message in redis and throws
    "Redis not enabled, pubsub requires redis" without it (echo/echo-pubsub-core/.../pubsub/
    PubsubMessageHandler.java, since spinnaker/echo 0ba293d6 in 1.10; earlier it needed redis to
    start). echo's redis is off unless configured (echo-web/config/echo.yml:
    ``redis.enabled: ${services.redis.enabled:false}``)."""
    config = project.config
    if config is None:
        return
    pubsub = config.pubsub
    google = pubsub.google if pubsub is not None else None
    if pubsub is None or google is None or not is_on(pubsub.enabled) or not is_on(google.enabled):
        return
    if not google.subscriptions or not topology(config).is_enabled("echo"):
        return
    redis = service(config, "echo").redis
    if redis is not None and redis.url is not None and redis.enabled is not False:
        return
    if "redis" in ((config.profiles or {}).get("echo") or {}):
        return  # configured by hand
    report(
        project,
        PUBSUB_REDIS,
        ("pubsub", "google", "subscriptions"),
        "echo needs redis to receive pub/sub messages (each one is locked in redis; without it every message "
        "fails): set services.echo.redis.url",
    )
