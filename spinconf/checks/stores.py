"""Rules: backing stores a service would not use.

A store the rendered profile leaves out is easy to miss: the config says redis, the service
never connects to it. These warn at the setting, so an operator knows it has no effect.
"""

from __future__ import annotations

from spinconf.checks import check, rule
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.releases import Release, clouddriver_sql, orca_redis_optional
from spinconf.services.context import service
from spinconf.services.stores import sql_enabled

REDIS_UNUSED = rule(
    "redis-unused",
    Severity.WARNING,
    "services.<svc>.redis is given for a service that runs on SQL alone: nothing connects to it",
    applies_to=("services.clouddriver.redis", "services.orca.redis"),
)
SQL_UNSUPPORTED = rule(
    "sql-unsupported",
    Severity.WARNING,
    "services.clouddriver.sql before Spinnaker 1.14.0: clouddriver had no SQL support, its redis is used",
    applies_to=("services.clouddriver.sql",),
)


@check
def unused_stores(project: Project) -> None:
    config = project.config
    if config is None or config.services is None:
        return
    release = Release.of(project.release)
    diags = project.diagnostics
    clouddriver = service(config, "clouddriver")
    if sql_enabled(clouddriver.sql) and not clouddriver_sql(release):
        diags.warning(
            project.origin(("services", "clouddriver", "sql")),
            SQL_UNSUPPORTED.code,
            f"clouddriver has SQL support from Spinnaker 1.14.0, not {release.text}: services.clouddriver.sql is "
            "ignored and clouddriver uses redis; upgrade, or remove the sql block",
            key="services.clouddriver.sql",
        )
    # clouddriver on SQL switches redis off (spinconf/services/clouddriver.py REDIS_OFF); orca from 1.20.0
    runs_on_sql_alone = {
        "clouddriver": sql_enabled(clouddriver.sql) and clouddriver_sql(release),
        "orca": sql_enabled(service(config, "orca").sql) and orca_redis_optional(release),
    }
    for svc, on_sql in runs_on_sql_alone.items():
        if on_sql and service(config, svc).redis is not None:
            diags.warning(
                project.origin(("services", svc, "redis")),
                REDIS_UNUSED.code,
                f"{svc} runs on SQL alone here (services.{svc}.sql): services.{svc}.redis is not used; remove it",
                key=f"services.{svc}.redis",
            )
