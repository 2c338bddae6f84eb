"""Rules: work that must run once, on services that run more than one copy.

A copy is a task of the service's effective replica count (``services.<svc>.ecs.desiredCount``,
else ``ecs.desiredCount``, else 1) and, on the ECS target, the second task a rolling deployment
starts: the service definitions are 100/200 (targets/ecs_service.py), so the new task runs beside
the old one for minutes while it becomes healthy.

- echo: its scheduler (echo-scheduler SchedulerConfiguration.groovy, loaded when
  ``scheduler.enabled``, which echo's bundled echo.yml defaults to true) keeps cron triggers in an
  in-memory Quartz store unless ``sql.enabled``, when Quartz clusters through the database
  (``org.quartz.jobStore.isClustered``; spinnaker/spinnaker release-2025.4.x, and echo's release
  branches before the monorepo). Without SQL every copy fires every cron trigger. Halyard's HA mode
  split echo into one echo-scheduler and N echo-workers with ``scheduler.enabled: false``
  (halyard-config/.../validate/v1/HaEchoValidator.java).
- igor: each poller (igor's "Common Polling Architecture", CommonPollingMonitor) runs on every
  copy unless ``locking.enabled`` (igor-web LockManagerConfig, ``@ConditionalOnProperty``) makes it
  take a lock first; without it, every new build or image triggers its pipelines once per copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.provenance import written_origin
from spinconf.services.context import service, topology
from spinconf.targets.ecs_service import replicas

SCALING = rule(
    "scaling-unsafe",
    Severity.WARNING,
    "more than one copy (desiredCount > 1, or a rolling deployment's second task on ECS) only where the "
    "service coordinates its copies (echo with SQL, igor with locking)",
    applies_to=("services.*.ecs.desiredCount", "ecs.desiredCount"),
)

Path = tuple[Any, ...]
ROLLING = (
    "a rolling deployment (minimumHealthyPercent 100, maximumPercent 200) starts the new task before it stops "
    "the old one, so two copies run for minutes"
)


def _profile_flag(config: Any, svc: str, *path: str) -> Any:
    node: Any = (config.profiles or {}).get(svc)
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _echo_problem(config: Any, rolling: bool) -> str | None:
    if _profile_flag(config, "echo", "scheduler", "enabled") is False:
        return None  # a worker-only echo schedules nothing
    sql = service(config, "echo").sql
    if sql is not None and sql.enabled is not False:
        return None
    advice = "give echo a database (services.echo.sql): Quartz then runs each trigger once across the copies"
    if not rolling:
        advice += (
            ", or run a single scheduler task and the others with profiles.echo.scheduler.enabled: false "
            "(Halyard's HA split of echo-scheduler and echo-worker)"
        )
    return (
        f"echo's scheduler keeps cron triggers in memory without SQL, so each copy fires every cron trigger: {advice}"
    )


def _igor_problem(config: Any, rolling: bool) -> str | None:
    if _profile_flag(config, "igor", "locking", "enabled") is True:
        return None
    return (
        "igor's pollers run on every copy without locking, so a new build or image triggers its pipelines once per "
        "copy: set profiles.igor.locking.enabled: true (igor then takes a lock in its redis before each poll)"
    )


PROBLEMS: dict[str, Callable[[Any, bool], str | None]] = {"echo": _echo_problem, "igor": _igor_problem}


@check
def desired_counts(project: Project) -> None:
    config = config_of(project)
    topo = topology(config)
    for svc, problem_of in PROBLEMS.items():
        if not topo.is_enabled(svc):
            continue
        count, source = replicas(config, svc)
        rolling = count == 1 and config.ecs is not None
        if count <= 1 and not rolling:
            continue
        problem = problem_of(config, rolling)
        if problem is None:
            continue
        if rolling:
            # nothing set the count: the service's own section (or the ECS target's) is where to act
            at: Path = ("services", svc) if written_origin(project.tree, ("services", svc)) else ("ecs",)
            report(project, SCALING, at, f"{svc}: {ROLLING}; {problem}")
        else:
            assert source is not None
            report(project, SCALING, source, f"desiredCount {count} ({'.'.join(source)}): {problem}")
