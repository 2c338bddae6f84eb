"""``ecs/<svc>.service.json``: CreateService input for one Spinnaker service on Fargate."""

from __future__ import annotations

from typing import Any

from spinconf.services.context import RenderContext, service

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


def discovery(ctx: RenderContext, svc: str, taskdef: dict[str, Any]) -> dict[str, Any]:
    """loadBalancers, serviceRegistries or serviceConnectConfiguration, as ``ecs.discovery.mode`` says."""
    ecs = ctx.config.ecs
    mode = ecs.discovery.mode if ecs is not None and ecs.discovery is not None else "loadBalancer"
    own = service(ctx.config, svc).ecs
    port = ctx.topology.ports[svc]
    out: dict[str, Any] = {}
    # target groups serve browsers (deck, gate) in every mode, and every service in loadBalancer mode
    balancers = [
        {
            "targetGroupArn": lb.targetGroupArn,
            "containerName": svc,
            "containerPort": lb.containerPort if isinstance(lb.containerPort, int) else port,
        }
        for lb in (own.loadBalancers or [] if own else [])
        if isinstance(lb.targetGroupArn, str)
    ]
    if balancers:
        out["loadBalancers"] = balancers
    if mode == "cloudMap" and own is not None and isinstance(own.registryArn, str):
        # awsvpc tasks register A records; a port is only needed for SRV records
        out["serviceRegistries"] = [{"registryArn": own.registryArn}]
    if mode == "serviceConnect":
        namespace = ecs.discovery.namespace if ecs is not None and ecs.discovery is not None else None
        name = own.discoveryName if own is not None and isinstance(own.discoveryName, str) else svc
        services = [
            {
                "portName": mapping["name"],
                "discoveryName": name if mapping["name"] == svc else f"{name}-{mapping['containerPort']}",
                "clientAliases": [
                    {"port": mapping["containerPort"], "dnsName": name if mapping["name"] == svc else mapping["name"]}
                ],
            }
            for mapping in taskdef["containerDefinitions"][0]["portMappings"]
        ]
        config: dict[str, Any] = {"enabled": True, "services": services}
        if isinstance(namespace, str):
            config["namespace"] = namespace
        out["serviceConnectConfiguration"] = config
    return out


def service_definition(ctx: RenderContext, svc: str, taskdef: dict[str, Any]) -> dict[str, Any]:
    ecs = ctx.config.ecs
    assert ecs is not None
    own = service(ctx.config, svc).ecs
    count = own.desiredCount if own is not None and isinstance(own.desiredCount, int) else None
    if count is None:
        count = ecs.desiredCount if isinstance(ecs.desiredCount, int) else 1
    grace = own.healthCheckGracePeriodSeconds if own is not None else None
    if not isinstance(grace, int):
        grace = ecs.healthCheckGracePeriodSeconds
    doc: dict[str, Any] = {
        "serviceName": taskdef["family"],
        "taskDefinition": taskdef["family"],
        "desiredCount": count,
        "launchType": "FARGATE",
        "platformVersion": "LATEST",
        # a new task set must be healthy before the old one stops; a failing deployment rolls back
        "deploymentConfiguration": {
            "minimumHealthyPercent": 100,
            "maximumPercent": 200,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        },
        "healthCheckGracePeriodSeconds": grace
        if isinstance(grace, int)
        else GRACE_PERIOD.get(svc, DEFAULT_GRACE_PERIOD),
        "networkConfiguration": network_configuration(ctx, svc),
        "propagateTags": "SERVICE",
        "enableECSManagedTags": True,
    }
    if isinstance(ecs.cluster, str):
        doc["cluster"] = ecs.cluster
    doc.update(discovery(ctx, svc, taskdef))
    return doc
