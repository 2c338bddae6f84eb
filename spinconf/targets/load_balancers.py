"""A service's load balancer targets: existing target groups, or target groups on declared load balancers.

``ecs.loadBalancers.<name>`` declares a load balancer by role (type, internal, listener);
``services.<svc>.ecs.loadBalancers[]`` attaches the service to one on a container port. The
Terraform module creates a target group per attachment (and a listener rule where it knows the
listener); ``targetGroupArn`` attaches to a target group that lives elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinconf.model.config import Config
from spinconf.model.ecs import LoadBalancerRole
from spinconf.services.context import service
from spinconf.targets import gate_ports


@dataclass(frozen=True)
class Target:
    svc: str
    container_port: int
    arn: str | None  # an existing target group
    name: str | None  # the declared load balancer (ecs.loadBalancers.<name>)
    role: LoadBalancerRole | None
    host: str | None
    path: str | None
    priority: int | None
    protocol: str  # of the target group
    health_protocol: str
    health_path: str | None  # None for a TCP check
    health_port: int | None

    @property
    def key(self) -> str:
        """The Terraform key: stable when other services or attachments come and go."""
        return f"{self.svc}.{self.name}.{self.container_port}"


def targets(config: Config, svc: str, port: int) -> list[Target]:
    own = service(config, svc).ecs
    roles = config.ecs.loadBalancers if config.ecs is not None and config.ecs.loadBalancers else {}
    found = []
    for entry in own.loadBalancers or [] if own is not None else []:
        container_port = entry.containerPort if isinstance(entry.containerPort, int) else port
        name = entry.loadBalancer if isinstance(entry.loadBalancer, str) else None
        role = roles.get(name) if name is not None else None
        network = role is not None and role.type == "network"
        https = svc == "gate" and container_port == port and gate_ports.speaks_https(config)
        protocol = role.protocol if role is not None and role.protocol else ("TCP" if network else "HTTP")
        if role is not None and not role.protocol and https and not network:
            protocol = "HTTPS"
        check = entry.healthCheck
        health = check.protocol if check is not None and check.protocol else ("HTTPS" if https else "HTTP")
        if network and (check is None or not check.protocol):
            # a network LB passes TCP through (gate's x509 port needs the client certificate): a TCP check
            health = "TCP"
        path = check.path if check is not None and isinstance(check.path, str) else None
        if health != "TCP" and path is None:
            path = "/" if svc == "deck" else "/health"  # deck's apache has no /health
        found.append(
            Target(
                svc=svc,
                container_port=container_port,
                arn=entry.targetGroupArn if isinstance(entry.targetGroupArn, str) else None,
                name=name,
                role=role,
                host=entry.host if isinstance(entry.host, str) else None,
                path=entry.path if isinstance(entry.path, str) else None,
                priority=entry.priority if isinstance(entry.priority, int) else None,
                protocol=protocol,
                health_protocol=health,
                health_path=None if health == "TCP" else path,
                health_port=check.port if check is not None and isinstance(check.port, int) else None,
            )
        )
    return found
