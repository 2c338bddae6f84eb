"""``observability``: application performance monitoring of the Java services (spinconf's own section).

One provider at a time, each the same three parts: a Java agent added to the image at build time
(a pinned, checksummed jar from a Maven repository, never a jar in git), loaded by the JVM through
``JAVA_TOOL_OPTIONS``; an agent or collector container beside the service in its ECS task; and,
when asked, log shipping. A root section rather than ``ecs.*``: the tracer is part of the image,
whichever target runs it; the sidecars are the ECS target's part.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spinconf.model.base import Bool, Count, SpinModel, Str

JavaServiceName = Literal["clouddriver", "echo", "fiat", "front50", "gate", "igor", "kayenta", "keel", "orca", "rosco"]
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"


class JavaAgentJar(SpinModel):
    """A Java agent jar downloaded at image build and checked against its sha256."""

    version: str = Field(description="the agent's version on the Maven repository, e.g. 1.48.0")
    sha256: str = Field(description="sha256 of the jar (64 hex digits): Maven Central publishes <jar>.sha256")
    repository: str = Field(default=MAVEN_CENTRAL, description="Maven repository URL (a mirror)")


class AgentContainer(SpinModel):
    """The agent or collector sidecar: what an operator usually changes about it."""

    image: Str | None = Field(default=None, description="full image reference; pin it by digest")
    cpu: Count | None = None
    memory: Count | None = Field(default=None, description="MiB, counted in the task size")
    essential: Bool | None = Field(default=None, description="default false: a failing agent does not stop the service")


class Datadog(SpinModel):
    """Datadog APM: dd-java-agent in the image, the Datadog agent as a sidecar of each traced service."""

    enabled: Bool | None = None
    apiKey: Str | None = Field(
        default=None,
        description="{secret: NAME}: an ECS secret of the agent container only",
        json_schema_extra={"x-spinconf-secret": True},
    )
    site: str = Field(default="datadoghq.com", description="DD_SITE, e.g. datadoghq.eu, us5.datadoghq.com")
    env: str | None = Field(default=None, description="DD_ENV (default: the --env name)")
    tracer: JavaAgentJar | None = Field(default=None, description="com.datadoghq:dd-java-agent")
    agent: AgentContainer | None = None
    services: list[JavaServiceName] | None = Field(default=None, description="default: every enabled Java service")
    logs: Bool | None = Field(default=None, description="ship the services' logs to Datadog through FireLens")


class OpenTelemetry(SpinModel):
    """OpenTelemetry: the OpenTelemetry Java agent in the image, a collector sidecar exporting OTLP or to X-Ray."""

    enabled: Bool | None = None
    javaAgent: JavaAgentJar | None = Field(
        default=None, description="io.opentelemetry.javaagent:opentelemetry-javaagent"
    )
    exporter: Literal["otlp", "xray"] = Field(
        default="otlp", description="otlp: to endpoint (OTLP/HTTP); xray: AWS X-Ray through the AWS Distro collector"
    )
    endpoint: str | None = Field(default=None, description="OTLP/HTTP endpoint, e.g. https://otlp.example.com:4318")
    headers: dict[str, Str] | None = Field(
        default=None,
        description="OTLP headers; a {secret: NAME} value becomes an ECS secret of the collector only",
    )
    env: str | None = Field(default=None, description="deployment.environment (default: the --env name)")
    collector: AgentContainer | None = None
    services: list[JavaServiceName] | None = Field(default=None, description="default: every enabled Java service")
    logs: Bool | None = Field(default=None, description="export the services' logs through the collector as well")


class Observability(SpinModel):
    datadog: Datadog | None = None
    openTelemetry: OpenTelemetry | None = None
