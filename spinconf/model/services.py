"""``services.<svc>``: how spinconf runs each Spinnaker service (spinconf's own section)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spinconf.model.base import Bool, Count, Int, Port, SpinModel, Str
from spinconf.model.sidecars import Sidecar

SERVICE_NAMES = (
    "clouddriver",
    "deck",
    "echo",
    "fiat",
    "front50",
    "gate",
    "igor",
    "kayenta",
    "keel",
    "orca",
    "rosco",
)
JAVA_SERVICES = tuple(s for s in SERVICE_NAMES if s != "deck")


class ConnectionPool(SpinModel):
    """HikariCP settings of a kork-sql connection pool."""

    maxPoolSize: Int | None = None
    minIdle: Int | None = None
    connectionTimeout: Int | None = None
    maxLifetime: Int | None = None
    idleTimeout: Int | None = None


class SqlMigration(SpinModel):
    jdbcUrl: Str | None = None
    user: Str | None = None
    password: Str | None = Field(default=None, json_schema_extra={"x-spinconf-secret": True})


class Sql(SpinModel):
    """A service's SQL database (kork-sql)."""

    enabled: Bool | None = None
    jdbcUrl: Str | None = None
    user: Str | None = None
    password: Str | None = Field(default=None, json_schema_extra={"x-spinconf-secret": True})
    migration: SqlMigration | None = None
    pool: ConnectionPool | None = None
    dialect: Literal["MYSQL", "POSTGRES"] | None = None


class Redis(SpinModel):
    """A service's redis; the URL is secret-bearing when it carries a password."""

    url: Str | None = Field(default=None, json_schema_extra={"x-spinconf-secret": "when it has a password"})
    enabled: Bool | None = None


class ServiceFile(SpinModel):
    """A project file baked into the service image."""

    source: str = Field(description="path relative to the project root")
    target: str = Field(description="absolute path in the image, e.g. /opt/spinnaker/certs/truststore.jks")


class TargetHealthCheck(SpinModel):
    path: Str | None = Field(default=None, description="HTTP path (default /health; deck /)")
    protocol: Literal["HTTP", "HTTPS", "TCP"] | None = None
    port: Port | None = Field(default=None, description="port checked (default: the target's port)")


class LoadBalancer(SpinModel):
    """A target of the service: an existing target group (``targetGroupArn``) or one on a declared load balancer."""

    targetGroupArn: Str | None = None
    loadBalancer: Str | None = Field(default=None, description="a name in ecs.loadBalancers")
    containerPort: Port | None = Field(default=None, description="a port the task maps (default: the service port)")
    host: Str | None = Field(default=None, description="listener rule host header")
    path: Str | None = Field(default=None, description="listener rule path pattern")
    priority: Int | None = Field(default=None, description="listener rule priority (default: by order)")
    healthCheck: TargetHealthCheck | None = None


class ServiceEcs(SpinModel):
    """Per-service ECS settings; anything unset falls back to ``ecs.*`` or a per-service default."""

    cpu: Count | None = None
    memory: Count | None = None
    taskRoleArn: Str | None = None
    executionRoleArn: Str | None = None
    environment: dict[str, Str] | None = None
    desiredCount: Count | None = None
    healthCheckGracePeriodSeconds: Count | None = None
    loadBalancers: list[LoadBalancer] | None = None
    registryArn: Str | None = Field(default=None, description="Cloud Map service ARN (serviceRegistries)")
    discoveryName: Str | None = Field(default=None, description="Service Connect name (default: the service name)")
    subnets: list[Str] | None = None
    securityGroups: list[Str] | None = None
    assignPublicIp: Bool | None = None
    # observability and sidecars (model/sidecars.py): kept last, apart from the discovery fields
    sidecars: dict[str, Sidecar] | None = Field(
        default=None, description="extra containers in this service's task, by name (changes ecs.sidecars)"
    )


class Service(SpinModel):
    enabled: Bool | None = None
    port: Port | None = None
    baseUrl: Str | None = None
    sql: Sql | None = None
    redis: Redis | None = None
    image: Str | None = Field(default=None, description="full upstream image reference, overriding the release's")
    files: list[ServiceFile] | None = None
    ecs: ServiceEcs | None = None


class Services(SpinModel):
    clouddriver: Service | None = None
    deck: Service | None = None
    echo: Service | None = None
    fiat: Service | None = None
    front50: Service | None = None
    gate: Service | None = None
    igor: Service | None = None
    kayenta: Service | None = None
    keel: Service | None = None
    orca: Service | None = None
    rosco: Service | None = None
