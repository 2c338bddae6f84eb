"""``ecs``: the ECS Fargate target (spinconf's own section)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spinconf.model.base import Bool, Count, SpinModel, Str
from spinconf.model.sidecars import ProjectSidecar


class Discovery(SpinModel):
    """How services reach each other: an internal load balancer, Cloud Map or Service Connect."""

    mode: Literal["loadBalancer", "cloudMap", "serviceConnect"] = "loadBalancer"
    namespace: Str | None = Field(default=None, description="Cloud Map / Service Connect namespace")


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
    network: Network | None = None
    kmsKeyArn: Str | None = None
    desiredCount: Count | None = Field(default=None, description="tasks per service (default 1)")
    healthCheckGracePeriodSeconds: Count | None = None
    # observability and sidecars (model/sidecars.py): kept last, apart from the discovery fields
    sidecars: dict[str, ProjectSidecar] | None = Field(
        default=None, description="extra containers in each Java service's task (or those listed), by name"
    )
