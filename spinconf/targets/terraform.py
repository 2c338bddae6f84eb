"""``terraform/*.tf.json``: a Terraform module for the ECS side, generated beside ``ecs/`` and ``iam/``.

A root module calls it with four inputs (vpc_id, subnet_ids, security_group_ids, cluster_arn);
every other variable defaults to what the overlays say. The per-service values live in one
``locals`` map keyed by service name, and every resource is ``for_each`` over it, so enabling or
disabling a service never renumbers the others. Container definitions and IAM policies are the
rendered ``ecs/<svc>.containers.json`` and ``iam/<svc>.*-policy.json``, embedded as they are: the
module runs exactly what the other outputs say. Nothing here depends on the number of cloud
accounts (clouddriver's assume-role list is bounded in targets/iam.py).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from spinconf.model.services import SERVICE_NAMES
from spinconf.services.context import RenderContext, service
from spinconf.targets import terraform_resources as resources
from spinconf.targets.discovery import decide
from spinconf.targets.ecs_service import desired_count, grace_period
from spinconf.targets.load_balancers import Target, targets

if TYPE_CHECKING:
    from spinconf.render import Rendered

# The AWS provider 5.x (5.100.0 is what the reference machines mirror); Service Connect client
# aliases and for_each-friendly inputs need nothing newer. optional() in types needs 1.3.
REQUIRED_PROVIDERS = {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}}
TARGET_GROUP_NAME_MAX = 32  # elbv2 CreateTargetGroup: at most 32 characters


def literal(value: Any) -> Any:
    """``value`` as Terraform JSON syntax takes it literally: strings are templates there."""
    if isinstance(value, str):
        return value.replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, dict):
        return {k: literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [literal(v) for v in value]
    return value


def dumps(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def target_group_name(prefix: str, target: Target) -> str:
    name = f"{prefix}-{target.svc}-{target.name}-{target.container_port}"
    if len(name) <= TARGET_GROUP_NAME_MAX:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:6]
    return f"{name[: TARGET_GROUP_NAME_MAX - 7].rstrip('-')}-{digest}"


def _url_host(value: Any) -> str | None:
    return urlsplit(value).hostname if isinstance(value, str) else None


def rule_hosts(ctx: RenderContext, target: Target) -> list[str]:
    """The listener rule's host header when the attachment gives neither host nor path."""
    if target.host is not None:
        return [target.host]
    if target.path is not None:
        return []
    sec = ctx.config.security
    public = {
        "deck": sec.uiSecurity.overrideBaseUrl if sec and sec.uiSecurity else None,
        "gate": sec.apiSecurity.overrideBaseUrl if sec and sec.apiSecurity else None,
    }.get(target.svc)
    internal = target.role is not None and target.role.internal is True
    port = ctx.topology.ports[target.svc]
    host = None if internal else _url_host(public)
    return [host or decide(ctx.config.ecs).host(target.svc, port)]


def target_groups(ctx: RenderContext, enabled: list[str]) -> dict[str, dict[str, Any]]:
    """Every attachment to a declared load balancer, by its stable key."""
    ecs = ctx.config.ecs
    assert ecs is not None
    found: dict[str, dict[str, Any]] = {}
    priorities: dict[str, int] = {}
    for svc in enabled:
        for target in targets(ctx.config, svc, ctx.topology.ports[svc]):
            if target.role is None or target.name is None:
                continue  # an existing target group (targetGroupArn) or an unknown name (reported)
            health: dict[str, Any] = {
                "protocol": target.health_protocol,
                "port": str(target.health_port or "traffic-port"),
            }
            if target.health_path is not None:
                health.update(path=target.health_path, matcher="200")
            priority = priorities.get(target.name, 100)
            priorities[target.name] = priority + 10
            found[target.key] = {
                "name": target_group_name(ecs.familyPrefix, target),
                "service": svc,
                "load_balancer": target.name,
                "application": target.role.type == "application",
                "port": target.container_port,
                "protocol": target.protocol,
                "health_check": health,
                "priority": target.priority if target.priority is not None else priority,
                "hosts": rule_hosts(ctx, target),
                "paths": [target.path] if target.path is not None else [],
            }
    return found


def service_entry(
    ctx: RenderContext, rendered: Rendered, svc: str, groups: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    ecs = ctx.config.ecs
    assert ecs is not None
    peers = decide(ecs)
    port = ctx.topology.ports[svc]
    containers = json.loads(rendered.files[f"ecs/{svc}.containers.json"])
    image = next(c["image"] for c in containers if c.get("name") == svc)
    repository, _, tag = image.rpartition(":")
    taskdef = json.loads(rendered.files[f"ecs/{svc}.taskdef.json"])
    own = service(ctx.config, svc).ecs
    attached = [{"key": key, "port": group["port"]} for key, group in sorted(groups.items()) if group["service"] == svc]
    existing = [{"arn": t.arn, "port": t.container_port} for t in targets(ctx.config, svc, port) if t.arn is not None]
    return {
        "family": taskdef["family"],
        "cpu": taskdef["cpu"],
        "memory": taskdef["memory"],
        "cpu_architecture": taskdef["runtimePlatform"]["cpuArchitecture"],
        "port": port,
        "grace_period": grace_period(ctx, svc),
        # a service's own network settings (else null: the module's inputs)
        "subnets": _strings(own.subnets) if own is not None and own.subnets else None,
        "security_groups": _strings(own.securityGroups) if own is not None and own.securityGroups else None,
        "assign_public_ip": own.assignPublicIp if own is not None and isinstance(own.assignPublicIp, bool) else None,
        "image_repository": repository,
        "image_tag": tag,
        "target_groups": attached,
        "existing_target_groups": existing,
        "registry_name": peers.registry_name(svc, port),
        "registry_arn": _text(own.registryArn) if own is not None else None,
        "discovery_name": _text(own.discoveryName) if own is not None else None,
        "alias_dns_name": peers.host(svc, port),
        "alias_port": peers.port(svc, port),
        # the very bytes of ecs/<svc>.containers.json and iam/<svc>.*-policy.json: the module is
        # self-contained (a registry or git source copies only this folder) and runs what they say
        "container_definitions": rendered.files[f"ecs/{svc}.containers.json"].decode(),
        "execution_policy": rendered.files[f"iam/{svc}.execution-policy.json"].decode(),
        "task_policy": (rendered.files.get(f"iam/{svc}.task-policy.json") or b"").decode() or None,
    }


def role_defaults(ctx: RenderContext, enabled: list[str], field: str) -> dict[str, str]:
    from spinconf.targets.ecs import role

    return {svc: arn for svc in enabled if (arn := role(ctx, svc, field)) is not None}


def variables(ctx: RenderContext, enabled: list[str]) -> dict[str, Any]:
    ecs = ctx.config.ecs
    assert ecs is not None
    network = ecs.network
    public = network is not None and network.assignPublicIp is True
    declared = ecs.loadBalancers or {}
    listeners = {name: lb.listenerArn for name, lb in sorted(declared.items()) if isinstance(lb.listenerArn, str)}
    return {
        "vpc_id": {"type": "string", "description": "VPC of the services (target groups, Cloud Map namespace)"},
        "subnet_ids": {"type": "list(string)", "description": "subnets of the services' tasks"},
        "security_group_ids": {"type": "list(string)", "description": "security groups of the services' tasks"},
        "cluster_arn": {"type": "string", "description": "ECS cluster the services run in"},
        "assign_public_ip": {"type": "bool", "default": public, "description": "give tasks public IPs"},
        "desired_counts": {
            "type": "map(number)",
            "default": {svc: desired_count(ctx, svc) for svc in enabled},
            "description": "tasks per service",
        },
        "listener_arns": {
            "type": "map(string)",
            "default": literal(listeners),
            "description": "listener of each declared load balancer (ecs.loadBalancers) that gets listener rules",
        },
        "namespace_id": {
            "type": "string",
            "default": None,
            "description": f"an existing Cloud Map namespace named {decide(ecs).namespace} (default: create it)",
        },
        "execution_role_arns": {
            "type": "map(string)",
            "default": literal(role_defaults(ctx, enabled, "executionRoleArn")),
            "description": "existing execution roles by service (the others are created)",
        },
        "task_role_arns": {
            "type": "map(string)",
            "default": literal(role_defaults(ctx, enabled, "taskRoleArn")),
            "description": "existing task roles by service (the others are created)",
        },
        "create_log_group": {"type": "bool", "default": True, "description": "create the awslogs log group"},
        "log_retention_days": {"type": "number", "default": 30, "description": "days the log group keeps"},
        "tags": {"type": "map(string)", "default": {}, "description": "tags on every resource"},
    }


def files(ctx: RenderContext, rendered: Rendered) -> None:
    """Add ``terraform/*.tf.json`` for the enabled services whose task definitions were rendered."""
    ecs = ctx.config.ecs
    if ecs is None:
        return
    from spinconf.targets.ecs import log_group

    enabled = [s for s in SERVICE_NAMES if f"ecs/{s}.containers.json" in rendered.files]
    groups = target_groups(ctx, enabled)
    services = {svc: service_entry(ctx, rendered, svc, groups) for svc in enabled}
    mode = decide(ecs).mode
    module = {
        "versions": {"terraform": {"required_version": ">= 1.3", "required_providers": REQUIRED_PROVIDERS}},
        "variables": {"variable": variables(ctx, enabled)},
        "locals": {
            "locals": {
                "services": literal(services),
                "target_groups": literal(groups),
                "namespace_name": literal(decide(ecs).namespace),
                "log_group": literal(log_group(ctx)),
            }
        },
        "services": resources.services(mode),
        "iam": resources.iam(),
        "outputs": resources.outputs(),
        "load_balancers": resources.load_balancers(),
    }
    if mode != "loadBalancer":
        module["discovery"] = resources.discovery(mode)
    for name, doc in module.items():
        rendered.files[f"terraform/{name}.tf.json"] = dumps(doc)


def _strings(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)]
