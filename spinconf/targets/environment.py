"""The environment of a service's own container: what fits that container, and what the operator adds.

- A Java service gets spinconf's ``JAVA_OPTS`` (targets/fargate.py), what observability needs
  (targets/apm.py), then ``ecs.environment`` and its own ``services.<svc>.ecs.environment``.
- deck is Apache serving static files: it gets what its start script reads
  (services/deck.py's ``container_environment``) and only its own ``services.deck.ecs.environment``;
  the project-wide environment (JVM options, an APM key) means nothing to it.
- JVM options add up instead of replacing each other: ``JAVA_OPTS`` and ``JAVA_TOOL_OPTIONS`` are
  joined in layer order (spinconf's, then the project's, then the service's). HotSpot applies
  options left to right, so where two layers set one flag the later layer wins.
"""

from __future__ import annotations

from typing import Any

from spinconf.refs import SecretRef
from spinconf.services.context import RenderContext, service

# Read by the JVM (JAVA_TOOL_OPTIONS, before its command line) or passed on by the images' start
# scripts (JAVA_OPTS): bin/<svc>, the CMD of each service's Dockerfile.slim (spinnaker/spinnaker
# clouddriver/Dockerfile.slim), is Gradle's application start script, which passes
# DEFAULT_JVM_OPTS, JAVA_OPTS and then <APP>_OPTS (e.g. CLOUDDRIVER_OPTS; gradle/gradle's
# unixStartScript.txt, "optsEnvironmentVar"). spinconf leaves <APP>_OPTS to the operator.
JVM_OPTION_VARIABLES = ("JAVA_OPTS", "JAVA_TOOL_OPTIONS")


def layers(ctx: RenderContext, svc: str, own_layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """spinconf's layers for the container (``own_layers``), then the operator's that reach it."""
    out = list(own_layers)
    ecs = ctx.config.ecs
    if svc != "deck" and ecs is not None and ecs.environment:
        out.append(dict(ecs.environment))
    own = service(ctx.config, svc).ecs
    if own is not None and own.environment:
        out.append(dict(own.environment))
    return out


def compose(env_layers: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """(plain variables, secret name by variable): a later layer replaces a name, JVM options add up."""
    plain: dict[str, str] = {}
    secret_names: dict[str, str] = {}
    for layer in env_layers:
        for name, value in layer.items():
            if name in JVM_OPTION_VARIABLES and isinstance(value, str) and name in plain:
                plain[name] = f"{plain[name]} {value}".strip()
                continue
            plain.pop(name, None)
            secret_names.pop(name, None)
            if isinstance(value, SecretRef):
                secret_names[name] = value.name
            elif isinstance(value, str):
                plain[name] = value
    return plain, secret_names
