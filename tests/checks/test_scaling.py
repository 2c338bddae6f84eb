"""scaling-unsafe: the effective replica count and a rolling deployment's second task, for echo and igor."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.diagnostics import Diagnostic
from spinconf.loader import load_project
from tests.helpers import make_project
from tests.targets.projects import fargate

runner = CliRunner()

IGOR = "# igor polls Jenkins\nservices:\n  igor:\n    enabled: true\n    redis: {url: 'redis://igor-redis:6379'}\n"
ECHO_SQL = "services:\n  echo:\n    sql: {jdbcUrl: 'jdbc:mysql://echo-db:3306/echo', user: echo}\n"
LOCKING = "profiles:\n  igor:\n    locking:\n      enabled: true\n"


def scaling(root: Path) -> list[Diagnostic]:
    return [d for d in load_project(root).diagnostics.sorted() if d.code == "scaling-unsafe"]


def test_project_wide_desired_count_is_the_effective_count(tmp_path: Path) -> None:
    files = fargate(extra={"overlays/igor.yml": IGOR, "overlays/echo.yml": ECHO_SQL})
    files["overlays/ecs.yml"] += "  desiredCount: 2\n"
    root = make_project(tmp_path, files)
    (found,) = scaling(root)
    assert (found.file, found.line) == ("overlays/ecs.yml", 13)
    assert found.message.startswith("desiredCount 2 (ecs.desiredCount): igor's pollers run on every copy")
    assert "set profiles.igor.locking.enabled: true" in found.message
    # the same, reported by the CLI as a warning with exit 0
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 0
    assert "overlays/ecs.yml:13:3: warning: desiredCount 2 (ecs.desiredCount)" in result.output


def test_a_per_service_count_wins_over_the_project_wide_one(tmp_path: Path) -> None:
    igor = IGOR + "    ecs: {desiredCount: 3}\n"
    files = fargate(extra={"overlays/igor.yml": igor, "overlays/echo.yml": ECHO_SQL})
    files["overlays/ecs.yml"] += "  desiredCount: 1\n"
    (found,) = scaling(make_project(tmp_path, files))
    assert (found.file, found.line) == ("overlays/igor.yml", 6)
    assert found.message.startswith("desiredCount 3 (services.igor.ecs.desiredCount)")


def test_one_task_on_ecs_still_runs_two_copies_while_it_deploys(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(extra={"overlays/igor.yml": IGOR}))
    found = scaling(root)
    by_service = {d.message.split(":")[0]: d for d in found}
    assert set(by_service) == {"echo", "igor"}
    igor = by_service["igor"]
    assert (igor.file, igor.line) == ("overlays/igor.yml", 3)  # services.igor: where locking goes with it
    assert "rolling deployment (minimumHealthyPercent 100, maximumPercent 200)" in igor.message
    echo = by_service["echo"]
    assert "give echo a database (services.echo.sql)" in echo.message
    # echo's section is not written anywhere: the ECS target is what starts the second task
    assert (echo.file, echo.line) == ("overlays/ecs.yml", 2)


def test_sql_and_locking_make_the_copies_safe(tmp_path: Path) -> None:
    files = fargate(extra={"overlays/igor.yml": IGOR, "overlays/echo.yml": ECHO_SQL, "overlays/lock.yml": LOCKING})
    files["overlays/ecs.yml"] += "  desiredCount: 3\n"
    assert scaling(make_project(tmp_path, files)) == []


def test_a_worker_only_echo_schedules_nothing(tmp_path: Path) -> None:
    worker = "profiles:\n  echo:\n    scheduler:\n      enabled: false\n"
    files = fargate(extra={"overlays/worker.yml": worker, "overlays/echo.yml": "services:\n  echo:\n    ecs:\n"})
    files["overlays/echo.yml"] += "      desiredCount: 2\n"
    assert scaling(make_project(tmp_path, files)) == []


def test_off_ecs_a_single_task_is_not_judged(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/igor.yml": IGOR})
    assert scaling(root) == []
