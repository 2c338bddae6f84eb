"""Rules: the extra containers of a service's task (``ecs.sidecars``, ``services.<svc>.ecs.sidecars``, APM agents).

A sidecar is checked like the service's own container: an image, a name ECS accepts and no
other container of the task has, dependencies on containers that exist (a HEALTHY one with a
health check), ports that do not collide, and a task size that holds everything (targets/sidecars.py).
Secrets in its environment are declared secrets (checks/secrets.py walks every reference).
"""

from __future__ import annotations

import re

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.model.config import Config
from spinconf.model.services import SERVICE_NAMES
from spinconf.services.context import service
from spinconf.targets import apm, sidecars

ERROR = Severity.ERROR
IMAGE = rule(
    "sidecar-image-missing", ERROR, "every sidecar has an image", ("ecs.sidecars.*.image", "services.*.ecs.sidecars")
)
NAME = rule(
    "sidecar-name",
    ERROR,
    "a sidecar's name is an ECS container name (letters, digits, '-', '_') that no other container of the task has",
    ("ecs.sidecars", "services.*.ecs.sidecars"),
)
DEPENDS_ON = rule(
    "sidecar-depends-on",
    ERROR,
    "dependsOn names another container of the task; HEALTHY only one with a health check",
    ("ecs.sidecars.*.dependsOn", "services.*.ecs.sidecars.*.dependsOn"),
)
PORT = rule(
    "sidecar-port",
    ERROR,
    "a sidecar's port is not the service's or another container's port in the same task",
    ("ecs.sidecars.*.portMappings", "services.*.ecs.sidecars.*.portMappings"),
)
SIZE = rule(
    "sidecar-task-size",
    ERROR,
    "the task's Fargate size holds the service and its sidecars, leaving the service enough memory",
    ("services.*.ecs.cpu", "services.*.ecs.memory", "ecs.sidecars.*.memory", "services.*.ecs.sidecars.*.memory"),
)
CONTAINER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,254}")


def place(project: Project, config: Config, svc: str, name: str, *rest: object) -> tuple[object, ...]:
    """Where sidecar ``name`` of ``svc``'s task was written: the service's entry, the project's, or observability."""
    own = service(config, svc).ecs
    if own is not None and own.sidecars and name in own.sidecars:
        return ("services", svc, "ecs", "sidecars", name, *rest)
    if config.ecs is not None and config.ecs.sidecars and name in config.ecs.sidecars:
        return ("ecs", "sidecars", name, *rest)
    section = config.observability
    which = "datadog" if section is not None and section.datadog is not None else "openTelemetry"
    return ("observability", which)


@check
def task_sidecars(project: Project) -> None:
    config = config_of(project)
    if config.ecs is None:
        return
    has_own = any((s := service(config, svc).ecs) is not None and s.sidecars for svc in SERVICE_NAMES)
    if not (config.ecs.sidecars or has_own or apm.provider(config) is not None):
        return
    from spinconf.render import context_of
    from spinconf.targets.ecs import port_mappings

    ctx = context_of(project)
    reported: set[tuple[object, ...]] = set()  # a project-wide sidecar's problem, once (not once per task)
    for svc in SERVICE_NAMES:
        if ctx.topology.is_enabled(svc):
            own_ports = {m["containerPort"] for m in port_mappings(ctx, svc)}  # gate's x509 port too
            _check_task(project, config, svc, own_ports, reported)


def _check_task(
    project: Project, config: Config, svc: str, own_ports: set[int], reported: set[tuple[object, ...]]
) -> None:
    found = sidecars.task_sidecars(config, svc, project.env)
    if not found:
        return
    names = {svc, *found}
    ports: dict[int, str] = dict.fromkeys(own_ports, svc)
    for name, sidecar in found.items():
        at = place(project, config, svc, name)
        if (not isinstance(sidecar.image, str) or not sidecar.image) and (at, IMAGE.code) not in reported:
            reported.add((at, IMAGE.code))
            report(project, IMAGE, at, f"sidecar {name!r} has no image (in {svc}'s task and any other it is in)")
        if name == svc or not CONTAINER_NAME.fullmatch(name):
            why = "is the service's own container" if name == svc else "is not an ECS container name"
            report(project, NAME, place(project, config, svc, name), f"sidecar {name!r} of {svc}'s task {why}")
        for i, dependency in enumerate(sidecar.dependsOn or []):
            target = dependency.containerName
            at = place(project, config, svc, name, "dependsOn", i)
            if target not in names or target == name:
                report(
                    project,
                    DEPENDS_ON,
                    at,
                    f"sidecar {name!r} depends on {target!r}, which is "
                    + ("itself" if target == name else f"not a container of {svc}'s task ({', '.join(sorted(names))})"),
                )
            elif dependency.condition == "HEALTHY" and target in found and found[target].healthCheck is None:
                report(
                    project,
                    DEPENDS_ON,
                    at,
                    f"sidecar {name!r} waits for {target!r} to be HEALTHY, but {target!r} has no healthCheck",
                )
        for i, mapping in enumerate(sidecar.portMappings or []):
            if not isinstance(mapping.containerPort, int):
                continue  # {env: ...}: reported by the ECS placeholder rule
            other = ports.get(mapping.containerPort)
            if other is not None:
                report(
                    project,
                    PORT,
                    place(project, config, svc, name, "portMappings", i),
                    f"sidecar {name!r} maps port {mapping.containerPort}, which {other} already uses in {svc}'s task "
                    "(one network namespace: each port once)",
                )
            ports[mapping.containerPort] = name
    layout = sidecars.layout(config, svc, found)
    if layout.problem is not None:
        own = service(config, svc).ecs
        given = own is not None and getattr(own, layout.field) is not None
        at = ("services", svc, "ecs", layout.field) if given else place(project, config, svc, next(iter(found)))
        report(project, SIZE, at, layout.problem)
