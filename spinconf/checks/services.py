"""Rules: an enabled service (or feature) that needs a service which is disabled.

The calls behind each edge: orca's BakeStage posts to rosco; orca's tasks read clouddriver and
front50; gate proxies to orca, clouddriver and front50; deck talks only to gate; echo's pipeline
triggers load pipelines from front50 and start them in orca; igor posts build events to echo;
fiat syncs applications from front50 and accounts from clouddriver; keel drives orca and
clouddriver and keeps delivery configs in front50.
"""

from __future__ import annotations

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, is_on, report
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.services.context import topology

NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "orca": (
        ("rosco", "bake stages fail"),
        ("clouddriver", "every cloud operation fails"),
        ("front50", "pipelines cannot be loaded or saved"),
    ),
    "gate": (
        ("orca", "pipelines cannot run"),
        ("clouddriver", "the UI shows no infrastructure"),
        ("front50", "applications and pipelines cannot be read"),
    ),
    "deck": (("gate", "the UI has no API"),),
    "echo": (("front50", "triggers cannot find pipelines"), ("orca", "triggers cannot start pipelines")),
    "igor": (("echo", "build and docker triggers go nowhere"),),
    "fiat": (
        ("front50", "application permissions cannot be synced"),
        ("clouddriver", "account permissions cannot be synced"),
    ),
    "keel": (("orca", "managed delivery cannot act"), ("clouddriver", "managed delivery cannot see resources")),
}

SERVICE_NEEDS = rule(
    "service-needs-disabled",
    Severity.WARNING,
    "an enabled service does not depend on a disabled one (orca on rosco, clouddriver and front50; gate on orca; ...)",
    applies_to=("services.*.enabled",),
)
FEATURE_NEEDS = rule(
    "feature-service-disabled",
    Severity.WARNING,
    "an enabled feature runs on its service: authz on fiat, canary on kayenta, managedDelivery on keel",
    applies_to=("services.fiat.enabled", "services.kayenta.enabled", "services.keel.enabled"),
)


@check
def service_dependencies(project: Project) -> None:
    config = config_of(project)
    topo = topology(config)
    for svc, needs in NEEDS.items():
        if not topo.is_enabled(svc):
            continue
        for dep, effect in needs:
            if not topo.is_enabled(dep):
                report(
                    project,
                    SERVICE_NEEDS,
                    ("services", dep, "enabled"),
                    f"{dep} is disabled but {svc} is enabled and needs it: {effect}",
                )


@check
def feature_services(project: Project) -> None:
    config = config_of(project)
    topo = topology(config)
    security = config.security
    features = (
        ("fiat", "security.authz.enabled", is_on(security.authz.enabled if security and security.authz else None)),
        ("kayenta", "canary.enabled", is_on(config.canary.enabled if config.canary else None)),
        ("keel", "managedDelivery.enabled", is_on(config.managedDelivery.enabled if config.managedDelivery else None)),
    )
    for svc, flag, on in features:
        if on and not topo.is_enabled(svc):
            report(
                project,
                FEATURE_NEEDS,
                ("services", svc, "enabled"),
                f"{flag} is true but services.{svc}.enabled is false: nothing serves it",
            )
