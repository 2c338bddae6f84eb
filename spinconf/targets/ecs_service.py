"""``ecs/<svc>.service.json``: CreateService input for one Spinnaker service on Fargate."""

from __future__ import annotations

from typing import Any

from spinconf.model.config import Config
from spinconf.services.context import RenderContext, service
from spinconf.targets.discovery import decide
from spinconf.targets.load_balancers import targets

# How long ECS ignores failing health checks after a task starts: clouddriver loads its caches
# (minutes with many accounts) before /health turns UP; the rest start in a minute or two.
GRACE_PERIOD = {"clouddriver": 600, "deck": 60}
DEFAULT_GRACE_PERIOD = 300


def _texts(values: list[Any] | None) -> list[str]:
    return [v for v in values or [] if isinstance(v, str)]


def network_configuration(ctx: RenderContext, svc: str) -> dict[str, Any]:
    ecs = ctx.config.ecs
    own = service(ctx.config, svc).ecs
    network = ecs.network if ecs is not None else None
    subnets = _texts(own.subnets if own and own.subnets else network.subnets if network else None)
    groups = _texts(own.securityGroups if own and own.securityGroups else network.securityGroups if network else None)
    public = own.assignPublicIp if own and isinstance(own.assignPublicIp, bool) else None
    if public is None and network is not None and isinstance(network.assignPublicIp, bool):
        public = network.assignPublicIp
    vpc: dict[str, Any] = {"subnets": subnets, "assignPublicIp": "ENABLED" if public else "DISABLED"}
    if groups:
        vpc["securityGroups"] = groups
    return {"awsvpcConfiguration": vpc}


def service_connect(ctx: RenderContext, svc: str) -> dict[str, Any]:
    """The service's Service Connect server: its client alias is the name and port the Spring files call."""
    peers = decide(ctx.config.ecs)
    own = service(ctx.config, svc).ecs
    port = ctx.topology.ports[svc]
    name = own.discoveryName if own is not None and isinstance(own.discoveryName, str) else svc
    alias = {"port": peers.port(svc, port), "dnsName": peers.host(svc, port)}
    return {
        "enabled": True,
        "namespace": peers.namespace,
        "services": [{"portName": svc, "discoveryName": name, "clientAliases": [alias]}],
    }


def discovery(ctx: RenderContext, svc: str) -> dict[str, Any]:
    """loadBalancers, serviceRegistries or serviceConnectConfiguration, as ``ecs.discovery.mode`` says."""
    mode = decide(ctx.config.ecs).mode
    own = service(ctx.config, svc).ecs
    out: dict[str, Any] = {}
    # target groups serve browsers (deck, gate) in every mode, and every service in loadBalancer mode
    balancers = [
        {"targetGroupArn": t.arn, "containerName": svc, "containerPort": t.container_port}
        for t in targets(ctx.config, svc, ctx.topology.ports[svc])
        if t.arn is not None
    ]
    if balancers:
        out["loadBalancers"] = balancers
    if mode == "cloudMap" and own is not None and isinstance(own.registryArn, str):
        # awsvpc tasks register A records; a port is only needed for SRV records
        out["serviceRegistries"] = [{"registryArn": own.registryArn}]
    if mode == "serviceConnect":
        out["serviceConnectConfiguration"] = service_connect(ctx, svc)
    return out


def usable_as_is(ctx: RenderContext, svc: str) -> bool:
    """Whether ``create-service`` can take the service definition as written.

    Not when Terraform supplies a part: the network (no subnets in the overlays), a target group
    of a declared load balancer, or the Cloud Map registration (no registryArn).
    """
    own = service(ctx.config, svc).ecs
    if not network_configuration(ctx, svc)["awsvpcConfiguration"]["subnets"]:
        return False
    if any(t.arn is None for t in targets(ctx.config, svc, ctx.topology.ports[svc])):
        return False
    registered = own is not None and isinstance(own.registryArn, str)
    return registered or decide(ctx.config.ecs).mode != "cloudMap"


def replicas(config: Config, svc: str) -> tuple[int, tuple[str, ...] | None]:
    """The service's effective task count and the setting that gave it (None: the default, 1).

    One answer for service.json, the Terraform module and the scaling rules (checks/scaling.py).
    """
    own = service(config, svc).ecs
    if own is not None and isinstance(own.desiredCount, int):
        return own.desiredCount, ("services", svc, "ecs", "desiredCount")
    ecs = config.ecs
    if ecs is not None and isinstance(ecs.desiredCount, int):
        return ecs.desiredCount, ("ecs", "desiredCount")
    return 1, None


def desired_count(ctx: RenderContext, svc: str) -> int:
    return replicas(ctx.config, svc)[0]


def grace_period(ctx: RenderContext, svc: str) -> int:
    own = service(ctx.config, svc).ecs
    grace = own.healthCheckGracePeriodSeconds if own is not None else None
    if not isinstance(grace, int) and ctx.config.ecs is not None:
        grace = ctx.config.ecs.healthCheckGracePeriodSeconds
    return grace if isinstance(grace, int) else GRACE_PERIOD.get(svc, DEFAULT_GRACE_PERIOD)


def service_definition(ctx: RenderContext, svc: str, family: str) -> dict[str, Any]:
    ecs = ctx.config.ecs
    assert ecs is not None
    doc: dict[str, Any] = {
        "serviceName": family,
        "taskDefinition": family,
        "desiredCount": desired_count(ctx, svc),
        "launchType": "FARGATE",
        "platformVersion": "LATEST",
        # a new task set must be healthy before the old one stops; a failing deployment rolls back
        "deploymentConfiguration": {
            "minimumHealthyPercent": 100,
            "maximumPercent": 200,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        },
        "healthCheckGracePeriodSeconds": grace_period(ctx, svc),
        "networkConfiguration": network_configuration(ctx, svc),
        "propagateTags": "SERVICE",
        "enableECSManagedTags": True,
    }
    if isinstance(ecs.cluster, str):
        doc["cluster"] = ecs.cluster
    doc.update(discovery(ctx, svc))
    return doc
