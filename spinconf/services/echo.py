"""echo's Spring profile (`echo.yml`).

As kleat's HalToEcho (internal/convert/echo.go): notification channels, artifact
accounts, pub/sub, Google Cloud Build, usage stats, the cron time zone and keel. Beyond
kleat: the notification channels kleat's Echo message has no field for (email, Google
Chat, BearyChat), the deck URL that notification links point at, and the scheduler's
SQL job store.
"""

from __future__ import annotations

from typing import Any

from spinconf import __version__
from spinconf.model.base import dump
from spinconf.provenance import derived, url_sources
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.stores import deep_merge, kork_sql, redis_connection, runs_sql

# halconfig notifications.<name> -> echo's key; each passes through whole.
NOTIFICATIONS = ("slack", "twilio", "githubStatus", "microsoftteams", "googlechat", "bearychat")


def notifications(ctx: RenderContext) -> dict[str, Any]:
    found = ctx.config.notifications
    if found is None:
        return {}
    doc = {name: dump(getattr(found, name)) for name in NOTIFICATIONS if getattr(found, name) is not None}
    # Email is switched on by `mail.enabled`, not `email.enabled`
    # (echo/echo-notifications/.../email/EmailNotificationService.groovy: @ConditionalOnProperty('mail.enabled')).
    if found.email is not None and found.email.enabled is not None:
        doc["mail"] = {"enabled": found.email.enabled}
    return doc


def stats(ctx: RenderContext) -> dict[str, Any]:
    doc = dump(ctx.config.stats)
    # echo-telemetry reports how Spinnaker was deployed; kleat and Halyard name themselves here.
    doc["deploymentMethod"] = {"type": "spinconf", "version": __version__}
    doc["spinnakerVersion"] = ctx.release.text
    return doc


def scheduler(ctx: RenderContext) -> dict[str, Any]:
    """Cron triggers: the time zone, and with ``services.echo.sql`` a clustered quartz job store.

    echo-scheduler's SchedulerConfiguration imports kork-sql's DefaultSqlConfiguration and,
    when ``sql.enabled``, hands its DataSource to quartz with ``isClustered`` set, so every
    echo replica may run the scheduler and each trigger fires once; liquibase creates the
    quartz tables (echo/echo-scheduler/src/main/resources/db/changelog-master.yml).
    """
    doc: dict[str, Any] = {}
    if ctx.config.timezone:
        doc["scheduler"] = {"cron": {"timezone": ctx.config.timezone}}
    svc = service(ctx.config, "echo")
    if runs_sql("echo", svc.sql, ctx.release):
        assert svc.sql is not None
        # scheduler.enabled: echo/echo-scheduler/.../config/SchedulerConfiguration.groovy
        doc.setdefault("scheduler", {})["enabled"] = derived(True, ("services", "echo", "sql"), rule=SCHEDULER_RULE)
        doc["sql"] = kork_sql(svc.sql, ctx.release, at=("services", "echo", "sql"))
    return doc


def profile(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    doc = notifications(ctx)
    if config.artifacts is not None:
        doc["artifacts"] = dump(config.artifacts)
    if config.pubsub is not None:
        doc["pubsub"] = dump(config.pubsub)
    if config.ci is not None and config.ci.gcb is not None:
        doc["gcb"] = dump(config.ci.gcb)
    doc["stats"] = stats(ctx)
    if config.managedDelivery is not None and config.managedDelivery.enabled is True:
        doc["services"] = {"keel": {"enabled": True}}
    # Links in notifications (echo-core/.../notification/AbstractEventNotificationAgent.java:
    # @Value("${spinnaker.base-url}")) point at deck.
    doc["spinnaker"] = {"baseUrl": derived(ctx.topology.base_urls["deck"], *url_sources(ctx, "deck"), rule=URL_RULE)}
    deep_merge(doc, scheduler(ctx))
    svc = service(config, "echo")
    if svc.redis is not None and svc.redis.url is not None:
        # echo/echo-web/config/echo.yml: redis.enabled defaults to ${services.redis.enabled:false}
        deep_merge(doc, {"redis": {"enabled": svc.redis.enabled is not False}})
        deep_merge(doc, redis_connection(svc.redis, ("services", "echo", "redis")))
    return deep_merge(doc, server_port(ctx, "echo"))


SCHEDULER_RULE = "echo on SQL: its scheduler clusters through the database (spinconf/services/echo.py)"
URL_RULE = "deck's base URL for links in notifications (spinconf/services/context.py topology)"
