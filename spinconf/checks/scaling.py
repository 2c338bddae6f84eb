"""Rules: services that misbehave with more than one task (services.<svc>.ecs.desiredCount > 1).

- echo: its scheduler (echo-scheduler, Quartz) keeps cron triggers in memory unless echo has a
  SQL database, where Quartz runs a clustered JDBC job store; with two tasks and no SQL every
  cron trigger fires twice. Halyard's HA mode split echo into one scheduler and N workers for
  this reason (halyard-config/.../validate/v1/HaEchoValidator.java).
- igor: each poller (igor's "Common Polling Architecture", CommonPollingMonitor) runs on every
  instance unless `locking.enabled` makes them take a lock first; without it, every new build
  or image triggers its pipelines once per task.
"""

from __future__ import annotations

from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.services.context import service, topology

SCALING = rule(
    "scaling-unsafe",
    Severity.WARNING,
    "desiredCount > 1 only where the service coordinates its instances (echo with SQL, igor with locking)",
    applies_to=("services.*.ecs.desiredCount",),
)


def _profile_flag(config: Any, svc: str, *path: str) -> Any:
    node: Any = (config.profiles or {}).get(svc)
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _echo_problem(config: Any) -> str | None:
    if _profile_flag(config, "echo", "scheduler", "enabled") is False:
        return None  # a worker-only echo schedules nothing
    sql = service(config, "echo").sql
    if sql is not None and sql.enabled is not False:
        return None
    return (
        "echo's scheduler keeps cron triggers in memory without SQL: each task fires every cron trigger. "
        "Give echo services.echo.sql, or run one task with the scheduler and others with "
        "profiles.echo.scheduler.enabled: false"
    )


def _igor_problem(config: Any) -> str | None:
    if _profile_flag(config, "igor", "locking", "enabled") is True:
        return None
    return "igor's pollers run on every task without locking: set profiles.igor.locking.enabled: true"


PROBLEMS = {"echo": _echo_problem, "igor": _igor_problem}


@check
def desired_counts(project: Project) -> None:
    config = config_of(project)
    topo = topology(config)
    for svc, problem_of in PROBLEMS.items():
        ecs = service(config, svc).ecs
        count = ecs.desiredCount if ecs is not None else None
        if not isinstance(count, int) or count <= 1 or not topo.is_enabled(svc):
            continue
        problem = problem_of(config)
        if problem is not None:
            report(project, SCALING, ("services", svc, "ecs", "desiredCount"), f"desiredCount {count}: {problem}")
