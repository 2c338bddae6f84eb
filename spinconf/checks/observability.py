"""Rules: ``observability`` (targets/apm.py): one provider, a pinned and checksummed agent, its credentials."""

from __future__ import annotations

from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report, url_problem
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.model.services import SERVICE_NAMES
from spinconf.refs import SecretRef
from spinconf.targets.apm import SHA256, VERSION

ERROR = Severity.ERROR
WARNING = Severity.WARNING
ONE_PROVIDER = rule(
    "observability-one-provider",
    ERROR,
    "one APM provider at a time: two Java agents in one JVM fight over the same classes",
    ("observability",),
)
AGENT_JAR = rule(
    "observability-agent-jar",
    ERROR,
    "the Java agent is pinned: a version and the jar's sha256 (64 hex digits), checked when the image is built",
    ("observability.datadog.tracer", "observability.openTelemetry.javaAgent"),
)
API_KEY = rule(
    "observability-api-key",
    ERROR,
    "Datadog's apiKey is {secret: NAME}: the agent container gets it as an ECS secret",
    ("observability.datadog.apiKey",),
)
ENDPOINT = rule(
    "observability-endpoint",
    ERROR,
    "the OTLP exporter has an http(s) endpoint",
    ("observability.openTelemetry.endpoint",),
)
NO_ENV = rule(
    "observability-env-missing",
    WARNING,
    "traces carry an environment: set observability.<provider>.env or render with --env",
    ("observability.datadog.env", "observability.openTelemetry.env"),
)
KEY_IN_SERVICE = rule(
    "observability-key-in-service-env",
    WARNING,
    "DD_API_KEY in a service's environment reaches its JVM: observability.datadog.apiKey gives it to the agent only",
    ("ecs.environment", "services.*.ecs.environment"),
)
NO_SIDECAR = rule(
    "observability-without-ecs",
    WARNING,
    "the agent and collector sidecars are the ECS target's: without it the images carry the tracer only",
    ("observability",),
)


@check
def observability(project: Project) -> None:
    config = config_of(project)
    section = config.observability
    if section is None:
        return
    enabled = [
        (key, found)
        for key, found in (("datadog", section.datadog), ("openTelemetry", section.openTelemetry))
        if found is not None and found.enabled is not False
    ]
    if len(enabled) > 1:
        report(
            project,
            ONE_PROVIDER,
            ("observability", "openTelemetry"),
            "observability.datadog and observability.openTelemetry are both enabled: keep one "
            "(enabled: false on the other)",
        )
    for key, found in enabled:
        jar_field = "tracer" if key == "datadog" else "javaAgent"
        _check_jar(project, ("observability", key), jar_field, getattr(found, jar_field))
        if found.env is None and project.env is None:
            report(
                project,
                NO_ENV,
                ("observability", key),
                f"observability.{key}.env is not set and there is no --env: the traces carry no environment",
            )
        if config.ecs is None:
            report(
                project,
                NO_SIDECAR,
                ("observability", key),
                "without an ecs: section nothing runs the agent beside the services: run it yourself "
                "(the images load the tracer only where JAVA_TOOL_OPTIONS names it)",
            )
    datadog = section.datadog
    # plain text is plaintext-secret's (and passes through as written with plaintextSecrets: warn)
    if datadog is not None and datadog.enabled is not False and not isinstance(datadog.apiKey, SecretRef | str):
        at = ("observability", "datadog", "apiKey") if datadog.apiKey is not None else ("observability", "datadog")
        report(
            project,
            API_KEY,
            at,
            "observability.datadog.apiKey must be {secret: NAME} (declared under secrets:): "
            "the agent container reads it as an ECS secret",
        )
    otel = section.openTelemetry
    if otel is not None and otel.enabled is not False and otel.exporter == "otlp":
        problem = "is not set" if otel.endpoint is None else url_problem(otel.endpoint)
        if problem:
            at = ("observability", "openTelemetry", "endpoint" if otel.endpoint is not None else "exporter")
            report(
                project,
                ENDPOINT,
                at,
                f"observability.openTelemetry.endpoint {problem}: the collector exports OTLP/HTTP there "
                "(or set exporter: xray)",
            )


@check
def api_key_in_service_environment(project: Project) -> None:
    config = config_of(project)
    if config.ecs is None:
        return
    places: list[tuple[str, ...]] = [("ecs", "environment")] if "DD_API_KEY" in (config.ecs.environment or {}) else []
    services = config.services
    for svc in SERVICE_NAMES:
        own = getattr(services, svc, None) if services is not None else None
        if own is not None and own.ecs is not None and "DD_API_KEY" in (own.ecs.environment or {}):
            places.append(("services", svc, "ecs", "environment"))
    for at in places:
        report(
            project,
            KEY_IN_SERVICE,
            (*at, "DD_API_KEY"),
            "DD_API_KEY here reaches the services' own containers (and their JVMs); set "
            "observability.datadog.apiKey instead: the Datadog agent beside each service gets it, nothing else",
        )


def _check_jar(project: Project, at: tuple[str, ...], field: str, jar: Any) -> None:
    if jar is None:
        report(
            project,
            AGENT_JAR,
            at,
            f"{'.'.join(at)}.{field} is required: {{version: ..., sha256: ...}} of the Java agent on Maven Central "
            "(its .sha256 file, or sha256sum of the jar)",
        )
        return
    if not VERSION.fullmatch(jar.version):
        report(project, AGENT_JAR, (*at, field, "version"), f"{jar.version!r} is not a version of the Java agent")
    if not SHA256.fullmatch(jar.sha256):
        report(
            project,
            AGENT_JAR,
            (*at, field, "sha256"),
            "sha256 must be 64 lower-case hex digits (the jar's SHA-256, as Maven Central's .sha256 file gives it)",
        )
    problem = url_problem(jar.repository)
    if problem:
        report(project, AGENT_JAR, (*at, field, "repository"), f"repository {problem}")
