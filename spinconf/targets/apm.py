"""``observability``: what a traced Java service gets, in its image and in its ECS task.

- The image: the provider's Java agent, downloaded at build and checked against the sha256 the
  operator gives (Dockerfile ``ADD --checksum``), readable by the images' ``spinnaker`` user.
- The service's container: ``JAVA_TOOL_OPTIONS=-javaagent:<jar>``, which the JVM reads itself
  before its command line, so it composes with the start script's ``JAVA_OPTS``; the service's
  name, environment and version (the image tag: release plus build-context digest), as variables
  and, for Datadog's unified service tagging, as Docker labels.
- The task: the Datadog agent, or the AWS Distro for OpenTelemetry collector, as a sidecar. On
  Fargate (awsvpc) every container of a task shares one network namespace, so the tracer sends to
  127.0.0.1 and nothing is exposed outside the task.
- Logs, when asked: Datadog through a FireLens log router; OpenTelemetry through the collector.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from spinconf.model.services import JAVA_SERVICES
from spinconf.refs import SecretRef

if TYPE_CHECKING:
    from spinconf.model.config import Config
    from spinconf.model.observability import AgentContainer, Datadog, JavaAgentJar, OpenTelemetry
    from spinconf.model.sidecars import Sidecar

DATADOG_AGENT = "datadog-agent"
LOG_ROUTER = "log-router"
OTEL_COLLECTOR = "otel-collector"
# Datadog's agent image on ECR Public, major version 7; pin it by digest in observability.datadog.agent.image
DATADOG_AGENT_IMAGE = "public.ecr.aws/datadog/agent:7"
# AWS Distro for OpenTelemetry: reads its whole configuration from AOT_CONFIG_CONTENT
# (aws-observability/aws-otel-collector; ADOT's ECS guide passes it as an environment variable)
ADOT_COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"
FLUENT_BIT_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
DATADOG_APM_PORT = 8126  # the trace agent's intake; dd-java-agent's default
DATADOG_STATSD_PORT = 8125
OTLP_HTTP_PORT = 4318
OTLP_GRPC_PORT = 4317
DD_JAR = "/opt/datadog/dd-java-agent.jar"
OTEL_JAR = "/opt/opentelemetry/opentelemetry-javaagent.jar"
AGENT_MEMORY = 256  # MiB: what the reference deployment's Datadog agent and a small collector run in
SHA256 = re.compile(r"[0-9a-f]{64}")
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")


@dataclass(frozen=True)
class Tracer:
    """The Java agent jar an image gets: where it comes from, its checksum, where it lands."""

    url: str
    sha256: str
    path: str


def provider(config: Config) -> Datadog | OpenTelemetry | None:
    """The enabled provider (two at once is reported by checks/observability.py; Datadog is taken)."""
    section = config.observability
    if section is None:
        return None
    for found in (section.datadog, section.openTelemetry):
        if found is not None and found.enabled is not False:
            return found
    return None


def is_datadog(found: Datadog | OpenTelemetry) -> TypeGuard[Datadog]:
    # by name: the section's module is imported only when a project uses it (model/config.py)
    return type(found).__name__ == "Datadog"


def _otel(found: Datadog | OpenTelemetry) -> OpenTelemetry:
    return cast("OpenTelemetry", found)


def is_traced(config: Config, svc: str) -> bool:
    found = provider(config)
    if found is None or svc not in JAVA_SERVICES:
        return False
    return found.services is None or svc in found.services


def _jar(found: Datadog | OpenTelemetry) -> JavaAgentJar | None:
    return found.tracer if is_datadog(found) else _otel(found).javaAgent


def tracer(config: Config, svc: str) -> Tracer | None:
    """The jar to add to ``svc``'s image, or None (not traced, or no valid version and checksum: reported)."""
    found = provider(config)
    jar = _jar(found) if found is not None and is_traced(config, svc) else None
    if found is None or jar is None or not VERSION.fullmatch(jar.version) or not SHA256.fullmatch(jar.sha256):
        return None
    base = jar.repository.rstrip("/")
    v = jar.version
    if is_datadog(found):
        return Tracer(f"{base}/com/datadoghq/dd-java-agent/{v}/dd-java-agent-{v}.jar", jar.sha256, DD_JAR)
    group = "io/opentelemetry/javaagent/opentelemetry-javaagent"
    return Tracer(f"{base}/{group}/{v}/opentelemetry-javaagent-{v}.jar", jar.sha256, OTEL_JAR)


def environment_name(found: Datadog | OpenTelemetry, project_env: str | None) -> str | None:
    return found.env or project_env


def service_environment(config: Config, svc: str, project_env: str | None, version: str) -> dict[str, str]:
    """Variables of the traced service's own container (none when it is not traced)."""
    found = provider(config)
    jar = tracer(config, svc)
    if found is None or jar is None:
        return {}
    env_name = environment_name(found, project_env)
    out = {"JAVA_TOOL_OPTIONS": f"-javaagent:{jar.path}"}
    if is_datadog(found):
        # unified service tagging: https://docs.datadoghq.com/getting_started/tagging/unified_service_tagging/
        out |= {"DD_SERVICE": svc, "DD_VERSION": version, "DD_AGENT_HOST": "127.0.0.1"}
        if env_name:
            out["DD_ENV"] = env_name
        return out
    attributes = [f"service.version={version}"]
    if env_name:
        attributes.insert(0, f"deployment.environment={env_name}")
    xray = _otel(found).exporter == "xray"
    out |= {
        "OTEL_SERVICE_NAME": svc,
        "OTEL_RESOURCE_ATTRIBUTES": ",".join(attributes),
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{OTLP_HTTP_PORT}",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
        "OTEL_METRICS_EXPORTER": "none" if xray else "otlp",
        "OTEL_LOGS_EXPORTER": "otlp" if found.logs is True and not xray else "none",
    }
    if xray:
        out["OTEL_PROPAGATORS"] = "tracecontext,baggage,xray"
    return out


def docker_labels(config: Config, svc: str, project_env: str | None, version: str) -> dict[str, str]:
    """Datadog's unified service tags as container labels (the agent reads them on ECS)."""
    found = provider(config)
    if found is None or not is_datadog(found) or tracer(config, svc) is None:
        return {}
    labels = {"com.datadoghq.tags.service": svc, "com.datadoghq.tags.version": version}
    env_name = environment_name(found, project_env)
    if env_name:
        labels["com.datadoghq.tags.env"] = env_name
    return labels


def sidecars(config: Config, svc: str, project_env: str | None) -> dict[str, Sidecar]:
    """The agent or collector (and log router) in ``svc``'s task."""
    found = provider(config)
    if found is None or not is_traced(config, svc):
        return {}
    if is_datadog(found):
        return _datadog_sidecars(found, project_env)
    return {OTEL_COLLECTOR: _collector(_otel(found), config)}


def _sidecar(container: AgentContainer | None, image: str, **fields: Any) -> Sidecar:
    from spinconf.model.sidecars import Sidecar

    own = container
    values: dict[str, Any] = {
        "image": own.image if own is not None and own.image is not None else image,
        "cpu": own.cpu if own is not None else None,
        "memory": own.memory if own is not None and own.memory is not None else AGENT_MEMORY,
        # a failing agent must not stop the service it watches (clouddriver would lose its caches)
        "essential": own.essential if own is not None and own.essential is not None else False,
        **fields,
    }
    return Sidecar.model_construct(**values)


def _datadog_sidecars(found: Datadog, project_env: str | None) -> dict[str, Sidecar]:
    from spinconf.model.sidecars import SidecarHealthCheck

    environment: dict[str, Any] = {
        # https://docs.datadoghq.com/integrations/ecs_fargate/: the agent runs in the task, beside the app
        "ECS_FARGATE": "true",
        "DD_APM_ENABLED": "true",
        "DD_SITE": found.site,
    }
    if isinstance(found.apiKey, SecretRef | str):
        environment["DD_API_KEY"] = found.apiKey  # plain text only with plaintextSecrets: warn
    env_name = environment_name(found, project_env)
    if env_name:
        environment["DD_ENV"] = env_name
    health = SidecarHealthCheck.model_construct(
        command=["CMD-SHELL", "agent health"], interval=30, timeout=5, retries=3, startPeriod=15
    )
    out = {DATADOG_AGENT: _sidecar(found.agent, DATADOG_AGENT_IMAGE, environment=environment, healthCheck=health)}
    if found.logs is True:
        # essential, as AWS's FireLens guide has it: without its router the service's logs go nowhere
        out[LOG_ROUTER] = _sidecar(None, FLUENT_BIT_IMAGE, environment={}, memory=128, essential=True)
    return out


def collector_config(found: OpenTelemetry, region: str) -> dict[str, Any]:
    """The collector's configuration: OTLP in on the task's loopback, out to the endpoint or X-Ray."""
    pipelines: dict[str, Any] = {}
    exporters: dict[str, Any]
    if found.exporter == "xray":
        exporters = {"awsxray": {"region": region}}
        pipelines["traces"] = {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["awsxray"]}
    else:
        headers = {name: _header_value(name, value) for name, value in sorted((found.headers or {}).items())}
        exporter: dict[str, Any] = {"endpoint": found.endpoint or ""}
        if headers:
            exporter["headers"] = headers
        exporters = {"otlphttp": exporter}
        kinds = ["traces", "metrics", "logs"] if found.logs is True else ["traces", "metrics"]
        for kind in kinds:
            pipelines[kind] = {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["otlphttp"]}
    return {
        "receivers": {
            "otlp": {
                "protocols": {
                    "grpc": {"endpoint": f"127.0.0.1:{OTLP_GRPC_PORT}"},
                    "http": {"endpoint": f"127.0.0.1:{OTLP_HTTP_PORT}"},
                }
            }
        },
        "processors": {"batch": {}},
        "exporters": exporters,
        "service": {"pipelines": pipelines},
    }


def header_variable(name: str) -> str:
    return "SPINCONF_OTLP_HEADER_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def _header_value(name: str, value: Any) -> str:
    # a secret header reaches the collector as an ECS secret; the collector expands ${env:...}
    return "${env:" + header_variable(name) + "}" if isinstance(value, SecretRef) else str(value)


def _collector(found: OpenTelemetry, config: Config) -> Sidecar:
    region = config.ecs.region if config.ecs is not None and isinstance(config.ecs.region, str) else ""
    # JSON is YAML: the configuration is one deterministic line
    environment: dict[str, Any] = {
        "AOT_CONFIG_CONTENT": json.dumps(collector_config(found, region), sort_keys=True, separators=(",", ":"))
    }
    for name, value in sorted((found.headers or {}).items()):
        if isinstance(value, SecretRef):
            environment[header_variable(name)] = value
    return _sidecar(found.collector, ADOT_COLLECTOR_IMAGE, environment=environment)


def exports_to_xray(config: Config, svc: str) -> bool:
    """Whether ``svc``'s collector sends to X-Ray (its task role then needs X-Ray's write actions)."""
    found = provider(config)
    return found is not None and not is_datadog(found) and _otel(found).exporter == "xray" and is_traced(config, svc)


def sidecar_ports(config: Config, svc: str) -> set[int]:
    """Ports the APM sidecars of ``svc``'s task listen on (reachable at 127.0.0.1 from the service)."""
    found = provider(config)
    if found is None or not is_traced(config, svc):
        return set()
    if is_datadog(found):
        return {DATADOG_APM_PORT, DATADOG_STATSD_PORT}
    return {OTLP_GRPC_PORT, OTLP_HTTP_PORT}


def log_configuration(config: Config, svc: str, project_env: str | None, version: str) -> dict[str, Any] | None:
    """The service's logConfiguration when Datadog ships its logs through FireLens, else None (awslogs)."""
    found = provider(config)
    if found is None or not is_datadog(found) or found.logs is not True or not is_traced(config, svc):
        return None
    tags = [f"version:{version}"]
    env_name = environment_name(found, project_env)
    if env_name:
        tags.insert(0, f"env:{env_name}")
    # Fluent Bit's datadog output (aws-for-fluent-bit), as Datadog's ECS Fargate log collection guide sets it
    return {
        "logDriver": "awsfirelens",
        "options": {
            "Name": "datadog",
            "Host": f"http-intake.logs.{found.site}",
            "TLS": "on",
            "dd_service": svc,
            "dd_source": "java",
            "dd_tags": ",".join(tags),
            "provider": "ecs",
        },
    }


def log_api_key(config: Config) -> str | None:
    """The secret the FireLens datadog output reads its API key from (``secretOptions``), if logs ship."""
    found = provider(config)
    if found is None or not is_datadog(found) or found.logs is not True:
        return None
    key = found.apiKey
    return key.name if isinstance(key, SecretRef) else None
