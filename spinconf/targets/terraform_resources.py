"""The resource blocks of the Terraform module (targets/terraform.py), in Terraform's JSON syntax.

They are the same for every project: what varies lives in ``local.services`` and
``local.target_groups``. Strings here are Terraform templates on purpose.
"""

from __future__ import annotations

from typing import Any

TAGS = "${var.tags}"
ECS_TASKS_TRUST = (
    '${jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "sts:AssumeRole", '
    'Principal = {Service = "ecs-tasks.amazonaws.com"}}]})}'
)


def _own_or(field: str, variable: str) -> str:
    """The service's own value where the overlays give one, else the module's input."""
    return f"${{each.value.{field} != null ? each.value.{field} : var.{variable}}}"


def _service(mode: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "for_each": "${local.services}",
        "name": "${each.value.family}",
        "cluster": "${var.cluster_arn}",
        "task_definition": "${aws_ecs_task_definition.this[each.key].arn}",
        "desired_count": "${var.desired_counts[each.key]}",
        "launch_type": "FARGATE",
        "platform_version": "LATEST",
        # a new task set must be healthy before the old one stops; a failing deployment rolls back
        "deployment_minimum_healthy_percent": 100,
        "deployment_maximum_percent": 200,
        "deployment_circuit_breaker": {"enable": True, "rollback": True},
        "health_check_grace_period_seconds": "${each.value.grace_period}",
        "propagate_tags": "SERVICE",
        "enable_ecs_managed_tags": True,
        # services.<svc>.ecs.{subnets,securityGroups,assignPublicIp} win over the module's inputs
        "network_configuration": {
            "subnets": _own_or("subnets", "subnet_ids"),
            "security_groups": _own_or("security_groups", "security_group_ids"),
            "assign_public_ip": _own_or("assign_public_ip", "assign_public_ip"),
        },
        "dynamic": {
            "load_balancer": [
                {
                    "for_each": "${each.value.target_groups}",
                    "content": {
                        "target_group_arn": "${aws_lb_target_group.this[load_balancer.value.key].arn}",
                        "container_name": "${each.key}",
                        "container_port": "${load_balancer.value.port}",
                    },
                },
                {
                    "for_each": "${each.value.existing_target_groups}",
                    "content": {
                        "target_group_arn": "${load_balancer.value.arn}",
                        "container_name": "${each.key}",
                        "container_port": "${load_balancer.value.port}",
                    },
                },
            ]
        },
        "tags": TAGS,
        # target groups must be on a listener before a service registers with them; the tasks
        # need their roles' policies and the log group from their first start
        "depends_on": ["aws_lb_listener_rule.this", "aws_iam_role_policy.execution", "aws_cloudwatch_log_group.this"],
    }
    if mode == "cloudMap":
        # awsvpc tasks register A records: no port (SRV) needed
        body["service_registries"] = {"registry_arn": "${local.registry_arns[each.key]}"}
    elif mode == "serviceConnect":
        body["service_connect_configuration"] = {
            "enabled": True,
            "namespace": "${local.namespace_arn}",
            "service": {
                "port_name": "${each.key}",
                "discovery_name": "${coalesce(each.value.discovery_name, each.key)}",
                # the alias is the host and port the Spring files call (targets/discovery.py)
                "client_alias": {"dns_name": "${each.value.alias_dns_name}", "port": "${each.value.alias_port}"},
            },
        }
    return body


def services(mode: str) -> dict[str, Any]:
    task_definition = {
        "for_each": "${local.services}",
        "family": "${each.value.family}",
        "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"],
        "cpu": "${each.value.cpu}",
        "memory": "${each.value.memory}",
        "runtime_platform": {"cpu_architecture": "${each.value.cpu_architecture}", "operating_system_family": "LINUX"},
        "execution_role_arn": "${local.execution_role_arns[each.key]}",
        "task_role_arn": "${lookup(local.task_role_arns, each.key, null)}",
        # the very containers render wrote (with whatever sidecars they carry)
        "container_definitions": "${each.value.container_definitions}",
        "tags": TAGS,
    }
    return {
        "resource": {
            "aws_ecs_task_definition": {"this": task_definition},
            "aws_ecs_service": {"this": _service(mode)},
            "aws_cloudwatch_log_group": {
                "this": {
                    "count": "${var.create_log_group ? 1 : 0}",
                    "name": "${local.log_group}",
                    "retention_in_days": "${var.log_retention_days}",
                    "tags": TAGS,
                }
            },
        }
    }


def discovery(mode: str) -> dict[str, Any]:
    if mode == "serviceConnect":
        # Service Connect needs a Cloud Map namespace; clients resolve its aliases, not DNS
        return {
            "resource": {
                "aws_service_discovery_http_namespace": {
                    "this": {
                        "count": "${var.namespace_id == null ? 1 : 0}",
                        "name": "${local.namespace_name}",
                        "tags": TAGS,
                    }
                }
            },
            "locals": {
                "namespace_arn": "${var.namespace_id != null ? var.namespace_id : "
                "one(aws_service_discovery_http_namespace.this[*].arn)}",
            },
        }
    return {
        "resource": {
            "aws_service_discovery_private_dns_namespace": {
                "this": {
                    "count": "${var.namespace_id == null ? 1 : 0}",
                    "name": "${local.namespace_name}",
                    "vpc": "${var.vpc_id}",
                    "tags": TAGS,
                }
            },
            "aws_service_discovery_service": {
                "this": {
                    "for_each": "${{for svc, s in local.services : svc => s if s.registry_arn == null}}",
                    "name": "${each.value.registry_name}",
                    "dns_config": {
                        "namespace_id": "${local.namespace_id}",
                        "routing_policy": "MULTIVALUE",
                        "dns_records": {"type": "A", "ttl": 10},
                    },
                    # ECS reports task health to Cloud Map
                    "health_check_custom_config": {"failure_threshold": 1},
                    "tags": TAGS,
                }
            },
        },
        "locals": {
            "namespace_id": "${var.namespace_id != null ? var.namespace_id : "
            "one(aws_service_discovery_private_dns_namespace.this[*].id)}",
            "registry_arns": "${merge({for svc, s in local.services : svc => s.registry_arn "
            "if s.registry_arn != null}, {for svc, r in aws_service_discovery_service.this : svc => r.arn})}",
        },
    }


def load_balancers() -> dict[str, Any]:
    return {
        "resource": {
            "aws_lb_target_group": {
                "this": {
                    "for_each": "${local.target_groups}",
                    "name": "${each.value.name}",
                    "port": "${each.value.port}",
                    "protocol": "${each.value.protocol}",
                    "target_type": "ip",  # awsvpc tasks register by IP
                    "vpc_id": "${var.vpc_id}",
                    "health_check": {
                        "protocol": "${each.value.health_check.protocol}",
                        "port": "${each.value.health_check.port}",
                        "path": '${lookup(each.value.health_check, "path", null)}',
                        "matcher": '${lookup(each.value.health_check, "matcher", null)}',
                    },
                    "tags": TAGS,
                }
            },
            "aws_lb_listener_rule": {
                "this": {
                    # keyed on the listener map's keys, known at plan even when the ARNs are not
                    "for_each": "${{for key, g in local.target_groups : key => g "
                    "if g.application && contains(keys(var.listener_arns), g.load_balancer)}}",
                    "listener_arn": "${var.listener_arns[each.value.load_balancer]}",
                    "priority": "${each.value.priority}",
                    "action": {"type": "forward", "target_group_arn": "${aws_lb_target_group.this[each.key].arn}"},
                    "dynamic": {
                        "condition": [
                            {
                                "for_each": "${length(each.value.hosts) > 0 ? [each.value.hosts] : []}",
                                "content": {"host_header": {"values": "${condition.value}"}},
                            },
                            {
                                "for_each": "${length(each.value.paths) > 0 ? [each.value.paths] : []}",
                                "content": {"path_pattern": {"values": "${condition.value}"}},
                            },
                        ]
                    },
                    "tags": TAGS,
                }
            },
        }
    }


def iam() -> dict[str, Any]:
    """Roles the overlays do not name: per service, with the least-privilege policies in ``iam/``."""
    creates = "${{for svc, s in local.services : svc => s if !contains(keys(var.%s), svc)}}"
    return {
        "resource": {
            "aws_iam_role": {
                "execution": {
                    "for_each": creates % "execution_role_arns",
                    "name": "${each.value.family}-execution",
                    "assume_role_policy": ECS_TASKS_TRUST,
                    "tags": TAGS,
                },
                "task": {
                    "for_each": creates % "task_role_arns",
                    "name": "${each.value.family}-task",
                    "assume_role_policy": ECS_TASKS_TRUST,
                    "tags": TAGS,
                },
            },
            "aws_iam_role_policy": {
                "execution": {
                    "for_each": "${aws_iam_role.execution}",
                    "name": "least-privilege",
                    "role": "${each.value.id}",
                    "policy": "${local.services[each.key].execution_policy}",
                },
                "task": {
                    "for_each": "${{for svc, r in aws_iam_role.task : svc => r "
                    "if local.services[svc].task_policy != null}}",
                    "name": "least-privilege",
                    "role": "${each.value.id}",
                    "policy": "${local.services[each.key].task_policy}",
                },
            },
        },
        "locals": {
            "execution_role_arns": "${merge({for svc, r in aws_iam_role.execution : svc => r.arn}, "
            "var.execution_role_arns)}",
            "task_role_arns": "${merge({for svc, r in aws_iam_role.task : svc => r.arn}, var.task_role_arns)}",
        },
    }


def outputs() -> dict[str, Any]:
    return {
        "output": {
            "service_arns": {
                "description": "ECS service ARNs by service",
                "value": "${{for svc, s in aws_ecs_service.this : svc => s.id}}",
            },
            "target_group_arns": {
                "description": "target groups created for the declared load balancers, by service.loadBalancer.port",
                "value": "${{for key, g in aws_lb_target_group.this : key => g.arn}}",
            },
            "images": {
                "description": "each service's image repository and tag (what make push pushes)",
                "value": "${{for svc, s in local.services : "
                "svc => {repository = s.image_repository, tag = s.image_tag}}}",
            },
            "task_definition_arns": {
                "description": "task definition ARNs by service",
                "value": "${{for svc, t in aws_ecs_task_definition.this : svc => t.arn}}",
            },
        }
    }
