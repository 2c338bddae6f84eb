"""``ecs.sidecars`` and ``services.<svc>.ecs.sidecars``: extra containers in a service's task.

Keyed by container name, so overlays merge them like any mapping and a service can change or
switch off (``enabled: false``) a project-wide sidecar. The fields are those of an ECS container
definition (ECS API ``ContainerDefinition``), spelled the same way.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spinconf.model.base import Bool, Count, Port, SpinModel, Str


class SidecarDependency(SpinModel):
    """ECS ``ContainerDependency``: wait for another container of the task."""

    containerName: str
    condition: Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"] = "START"


class SidecarPort(SpinModel):
    containerPort: Port
    protocol: Literal["tcp", "udp"] = "tcp"
    name: str | None = Field(default=None, description="port name (Service Connect); default <container>-<port>")


class SidecarHealthCheck(SpinModel):
    command: list[str] = Field(description='e.g. ["CMD-SHELL", "agent health"]')
    interval: int = 30
    timeout: int = 5
    retries: int = 3
    startPeriod: int = 0


class Sidecar(SpinModel):
    """An extra container in a service's task (a log router, an agent, a proxy)."""

    enabled: Bool | None = Field(default=None, description="false leaves it out (e.g. a project-wide one)")
    image: Str | None = Field(default=None, description="full image reference; pin it by digest")
    command: list[str] | None = None
    entryPoint: list[str] | None = None
    environment: dict[str, Str] | None = Field(
        default=None, description="{secret: NAME} values become ECS secrets of this container only"
    )
    cpu: Count | None = Field(default=None, description="cpu units reserved in the task (counted in its size)")
    memory: Count | None = Field(default=None, description="MiB, the container's hard limit (counted in the task size)")
    essential: Bool | None = Field(default=None, description="the task stops when it stops (ECS default: true)")
    dependsOn: list[SidecarDependency] | None = None
    portMappings: list[SidecarPort] | None = None
    healthCheck: SidecarHealthCheck | None = None


class ProjectSidecar(Sidecar):
    """A sidecar in the task of every Java service, or of the services listed."""

    services: (
        list[
            Literal[
                "clouddriver", "deck", "echo", "fiat", "front50", "gate", "igor", "kayenta", "keel", "orca", "rosco"
            ]
        ]
        | None
    ) = Field(default=None, description="the services whose tasks get it (default: every Java service, not deck)")
