"""The extra containers of a service's task, and the task size that holds them.

A task's sidecars come from three layers, each changing the one before by container name:
the observability provider's agent (targets/apm.py), ``ecs.sidecars`` (every Java service, or
the services it lists) and ``services.<svc>.ecs.sidecars``. ``enabled: false`` removes one.

Sizes: a service's ``ecs.cpu``/``ecs.memory`` are the task's, as without sidecars; the sidecars'
memory is taken from it, and the service's container gets what is left as its hard limit, which
is what the JVM sizes its heap from (``MaxRAMPercentage`` of the cgroup limit). Where the service
leaves a size to its default, the default is what the service itself needs, so the task grows
to the smallest Fargate size that holds the service and its sidecars.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spinconf.model.services import JAVA_SERVICES
from spinconf.refs import SecretRef
from spinconf.services.context import service
from spinconf.targets import apm
from spinconf.targets.fargate import DEFAULT_SIZES, Size, is_valid, smallest_fitting

if TYPE_CHECKING:
    from spinconf.model.config import Config
    from spinconf.model.sidecars import Sidecar

MIN_SERVICE_MEMORY = 512  # MiB: below this no Spinnaker service starts
SIDECAR_FIELDS = (
    "enabled",
    "image",
    "command",
    "entryPoint",
    "environment",
    "cpu",
    "memory",
    "essential",
    "dependsOn",
    "portMappings",
    "healthCheck",
)


def task_sidecars(config: Config, svc: str, project_env: str | None) -> dict[str, Sidecar]:
    """The sidecars of ``svc``'s task by container name, in name order (disabled ones left out)."""
    found: dict[str, Sidecar] = dict(apm.sidecars(config, svc, project_env))
    project_wide: dict[str, Sidecar] = dict(config.ecs.sidecars or {}) if config.ecs is not None else {}
    for name, sidecar in project_wide.items():
        listed = getattr(sidecar, "services", None)  # a ProjectSidecar's
        if (listed is None and svc in JAVA_SERVICES) or (listed is not None and svc in listed):
            found[name] = _merge(found.get(name), sidecar)
    own = service(config, svc).ecs
    for name, sidecar in (own.sidecars or {}).items() if own is not None else ():
        base = found.get(name) or project_wide.get(name)
        found[name] = _merge(base, sidecar)
    return {name: found[name] for name in sorted(found) if found[name].enabled is not False}


def _merge(base: Sidecar | None, over: Sidecar) -> Sidecar:
    from spinconf.model.sidecars import Sidecar

    if base is None:
        return Sidecar.model_construct(**{f: getattr(over, f) for f in SIDECAR_FIELDS})
    values = {f: getattr(over, f) if f in over.model_fields_set else getattr(base, f) for f in SIDECAR_FIELDS}
    return Sidecar.model_construct(**values)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


@dataclass(frozen=True)
class Layout:
    """The task's size and the service container's share of its memory."""

    task: Size
    service_memory: int  # the service container's memory: what the JVM sizes its heap from
    problem: str | None = None  # why the sizes do not fit (checks/sidecars.py reports it)
    field: str = "memory"  # the services.<svc>.ecs field the problem is about


def layout(config: Config, svc: str, sidecars: dict[str, Sidecar]) -> Layout:
    own = service(config, svc).ecs
    default = DEFAULT_SIZES[svc]
    cpu = own.cpu if own is not None and isinstance(own.cpu, int) else None
    memory = own.memory if own is not None and isinstance(own.memory, int) else None
    # 0 is a size the user wrote (and ecs-task-size-invalid refuses), not "unset"
    given = Size(default.cpu if cpu is None else cpu, default.memory if memory is None else memory)
    if not sidecars:
        task = given
        return Layout(task, task.memory)
    if cpu is not None and memory is not None and not is_valid(Size(cpu, memory)):
        return Layout(Size(cpu, memory), memory)  # ecs-task-size-invalid (checks/ecs.py) says so
    extra = Size(sum(_int(s.cpu) for s in sidecars.values()), sum(_int(s.memory) for s in sidecars.values()))
    names = ", ".join(sidecars)
    fitting = smallest_fitting(cpu, memory, default.cpu + extra.cpu, default.memory + extra.memory)
    if fitting is None:
        wanted = (
            f"cpu {default.cpu + extra.cpu if cpu is None else cpu}, "
            f"memory {default.memory + extra.memory if memory is None else memory}"
        )
        return Layout(
            given,
            given.memory,
            f"{svc} with {names} needs {wanted} in one task: no Fargate task size holds it",
            "memory" if memory is not None else "cpu",
        )
    task = fitting
    left = task.memory - extra.memory
    if left < MIN_SERVICE_MEMORY:
        return Layout(
            task,
            max(left, 0),
            f"{svc}'s task has memory {task.memory} MiB and its sidecars ({names}) take {extra.memory}: "
            f"{left} MiB is left for {svc} (at least {MIN_SERVICE_MEMORY}); raise services.{svc}.ecs.memory",
        )
    if extra.cpu >= task.cpu:
        return Layout(
            task,
            left,
            f"{svc}'s task has cpu {task.cpu} and its sidecars ({names}) reserve {extra.cpu}: nothing is left "
            f"for {svc}; raise services.{svc}.ecs.cpu",
            "cpu",
        )
    return Layout(task, left)


def container(
    name: str,
    sidecar: Sidecar,
    log: dict[str, Any],
    value_from: Callable[[str], str | None],
) -> tuple[dict[str, Any], dict[str, str]]:
    """(ECS container definition, secret name by variable) of one sidecar."""
    plain: dict[str, str] = {}
    secret_names: dict[str, str] = {}
    for variable, value in (sidecar.environment or {}).items():
        if isinstance(value, SecretRef):
            secret_names[variable] = value.name
        elif isinstance(value, str):
            plain[variable] = value
    secrets = []
    for variable, secret in sorted(secret_names.items()):
        found = value_from(secret)
        if found is not None:
            secrets.append({"name": variable, "valueFrom": found})
    doc: dict[str, Any] = {
        "name": name,
        "image": sidecar.image if isinstance(sidecar.image, str) else "",
        "essential": sidecar.essential is not False,
        "environment": [{"name": k, "value": v} for k, v in sorted(plain.items())],
        "secrets": secrets,
        "portMappings": [
            # Fargate (awsvpc): hostPort equals containerPort
            {
                "name": p.name or f"{name}-{p.containerPort}",
                "containerPort": p.containerPort,
                "hostPort": p.containerPort,
                "protocol": p.protocol,
            }
            for p in sidecar.portMappings or []
        ],
        "logConfiguration": log,
    }
    for field in ("command", "entryPoint"):
        value = getattr(sidecar, field)
        if value:
            doc[field] = list(value)
    for field in ("cpu", "memory"):
        value = getattr(sidecar, field)
        if isinstance(value, int):
            doc[field] = value
    if sidecar.dependsOn:
        doc["dependsOn"] = [{"containerName": d.containerName, "condition": d.condition} for d in sidecar.dependsOn]
    check = sidecar.healthCheck
    if check is not None:
        doc["healthCheck"] = {
            "command": list(check.command),
            "interval": check.interval,
            "timeout": check.timeout,
            "retries": check.retries,
            "startPeriod": check.startPeriod,
        }
    if name == apm.LOG_ROUTER:
        # FireLens: ECS configures this Fluent Bit from the other containers' awsfirelens options
        doc["firelensConfiguration"] = {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}}
    return doc, secret_names
