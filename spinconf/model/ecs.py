"""``ecs``: the ECS Fargate target (spinconf's own section)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spinconf.model.base import Bool, Count, SpinModel, Str
from spinconf.model.sidecars import ProjectSidecar


class Discovery(SpinModel):
    """How services reach each other: Cloud Map DNS (default), Service Connect or an internal load balancer.

    The same setting decides the URL every Spring file calls a peer at and the name the peer is
    published under (targets/discovery.py), so the two cannot disagree.
    """

    mode: Literal["cloudMap", "serviceConnect", "loadBalancer"] = Field(
        default="cloudMap", description="cloudMap (default): a private DNS namespace, one A-record service each"
    )
    namespace: Str | None = Field(
        default=None, description="Cloud Map / Service Connect namespace (default: spinnaker.internal)"
    )


class LoadBalancerRole(SpinModel):
    """A load balancer the services are attached to, declared by role (the Terraform module makes target groups).

    Its listener ARN is optional: without it the module creates the target groups and outputs their
    ARNs; with it (here or as the module's ``listener_arns`` input) it adds a listener rule each.
    """

    type: Literal["application", "network"] = "application"
    internal: Bool | None = Field(default=None, description="an internal load balancer (service-to-service)")
    listenerArn: Str | None = Field(default=None, description="listener whose rules forward to the target groups")
    protocol: Literal["HTTP", "HTTPS", "TCP", "TLS"] | None = Field(
        default=None,
        description="target group protocol (default: HTTP, HTTPS for gate with apiSecurity.ssl, TCP on a network LB)",
    )


class Network(SpinModel):
    subnets: list[Str] | None = None
    securityGroups: list[Str] | None = None
    assignPublicIp: Bool | None = None


class Ecs(SpinModel):
    region: Str | None = None
    cluster: Str | None = None
    executionRoleArn: Str | None = None
    taskRoleArn: Str | None = None
    logGroup: Str | None = None
    logStreamPrefix: Str | None = Field(default=None, description="awslogs stream prefix (default: the service name)")
    familyPrefix: str = "spinnaker"
    cpuArchitecture: Literal["X86_64", "ARM64"] = "X86_64"
    imageRepository: Str | None = None
    upstreamRegistry: Str | None = Field(
        default=None, description="registry of the upstream images, overriding the release's (e.g. a mirror)"
    )
    serviceUrl: Str | None = Field(
        default=None, description="URL template, e.g. http://{service}.spinnaker.internal:{port}"
    )
    environment: dict[str, Str] | None = None
    discovery: Discovery | None = None
    loadBalancers: dict[str, LoadBalancerRole] | None = Field(
        default=None, description="load balancers by name, referenced by services.<svc>.ecs.loadBalancers"
    )
    network: Network | None = None
    kmsKeyArn: Str | None = None
    desiredCount: Count | None = Field(default=None, description="tasks per service (default 1)")
    healthCheckGracePeriodSeconds: Count | None = None
    # observability and sidecars (model/sidecars.py): kept last, apart from the discovery fields
    sidecars: dict[str, ProjectSidecar] | None = Field(
        default=None, description="extra containers in each Java service's task (or those listed), by name"
    )
