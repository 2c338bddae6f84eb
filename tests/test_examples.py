"""The example projects and the repository's own default project validate and render."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.render import Rendered
from tests.helpers import REPO, assert_modeline_schema_accepts, render_ok, service_doc
from tests.targets.ecs_validation import (
    assert_hadolint_clean,
    assert_valid_service_definition,
    assert_valid_task_definitions,
)

EXAMPLES = REPO / "examples"
# (example, environment) -> the services it runs
CASES = {
    ("fargate-mysql", None): {"clouddriver", "deck", "echo", "front50", "gate", "igor", "orca", "rosco"},
    ("datadog-apm", None): {"clouddriver", "deck", "echo", "front50", "gate", "igor", "orca", "rosco"},
    ("minimal-s3", None): {"clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco"},
    ("environments", "staging"): {"clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco"},
    ("environments", "prod"): {"clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco"},
}


def taskdefs(rendered: Rendered) -> dict[str, Any]:
    return {
        path.split("/")[1].removesuffix(".taskdef.json"): json.loads(data)
        for path, data in rendered.files.items()
        if path.startswith("ecs/") and path.endswith(".taskdef.json")
    }


def assert_registrable(rendered: Rendered) -> None:
    """Task and service definitions pass the ECS model and cfn-lint; Dockerfiles pass hadolint."""
    assert_valid_task_definitions(list(taskdefs(rendered).values()))
    for path, data in rendered.files.items():
        if path.endswith(".service.json"):
            assert_valid_service_definition(json.loads(data))
        elif path.endswith("/Dockerfile"):
            assert_hadolint_clean(data.decode())


def test_every_example_has_a_readme_and_a_case() -> None:
    names = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    assert names == sorted({name for name, _ in CASES})
    for name in names:
        assert (EXAMPLES / name / "README.md").read_text().startswith("# ")


@pytest.mark.parametrize(("name", "env"), sorted(CASES, key=str), ids=lambda v: str(v))
def test_example_renders(name: str, env: str | None) -> None:
    project, rendered = render_ok(EXAMPLES / name, env)
    services = {path.split("/")[1] for path in rendered.files if path.startswith("services/")}
    assert services == CASES[(name, env)]
    if project.config is not None and project.config.ecs is not None:
        assert set(taskdefs(rendered)) == services
        assert_registrable(rendered)


def test_fargate_mysql_wires_databases_redis_and_secrets() -> None:
    _, rendered = render_ok(EXAMPLES / "fargate-mysql")
    for svc in ("clouddriver", "echo", "front50", "orca"):
        sql = service_doc(rendered, svc)["sql"]
        pool = sql["connectionPools"]["default"]
        assert pool["jdbcUrl"].startswith(f"jdbc:mysql://{svc}.cluster-")
        assert pool["password"] == "${SPINCONF_SECRET_" + svc.upper() + "_DB_PASSWORD}"
        secrets = {s["name"]: s["valueFrom"] for s in taskdefs(rendered)[svc]["containerDefinitions"][0]["secrets"]}
        assert secrets[f"SPINCONF_SECRET_{svc.upper()}_DB_PASSWORD"].endswith(f"parameter/spinnaker/{svc}-db-password")
    assert service_doc(rendered, "gate")["redis"]["connection"].startswith("redis://gate.")
    assert service_doc(rendered, "echo")["slack"]["token"] == "${SPINCONF_SECRET_SLACK_TOKEN}"
    # only echo gets the Slack token, only clouddriver its database password
    gate_secrets = {s["name"] for s in taskdefs(rendered)["gate"]["containerDefinitions"][0].get("secrets", [])}
    assert "SPINCONF_SECRET_SLACK_TOKEN" not in gate_secrets
    assert "SPINCONF_SECRET_CLOUDDRIVER_DB_PASSWORD" not in gate_secrets


def test_datadog_apm_traces_every_java_service_and_leaves_deck_alone() -> None:
    _, rendered = render_ok(EXAMPLES / "datadog-apm")
    _, plain = render_ok(EXAMPLES / "fargate-mysql")
    key = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog/api-key-MnOpQr"
    for svc, taskdef in taskdefs(rendered).items():
        containers = {c["name"]: c for c in taskdef["containerDefinitions"]}
        if svc == "deck":
            assert rendered.files["ecs/deck.taskdef.json"] == plain.files["ecs/deck.taskdef.json"]
            continue
        assert set(containers) == {svc, "datadog-agent"}
        assert containers["datadog-agent"]["secrets"] == [{"name": "DD_API_KEY", "valueFrom": key}]
        env = {e["name"]: e["value"] for e in containers[svc]["environment"]}
        assert env["JAVA_TOOL_OPTIONS"] == "-javaagent:/opt/datadog/dd-java-agent.jar"
        assert (env["DD_SERVICE"], env["DD_ENV"]) == (svc, "prod")
        assert env["JAVA_OPTS"].startswith("-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError")
        assert key not in json.dumps(containers[svc])
        assert "dd-java-agent-1.48.0.jar" in rendered.files[f"services/{svc}/Dockerfile"].decode()
    clouddriver = taskdefs(rendered)["clouddriver"]
    assert (clouddriver["cpu"], clouddriver["memory"]) == ("2048", "8192")  # the operator's size, agent inside
    main = clouddriver["containerDefinitions"][0]
    assert main["memory"] == 8192 - 512
    env = {e["name"]: e["value"] for e in main["environment"]}
    assert env["JAVA_OPTS"] == "-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC"


def test_environments_differ_where_their_overlays_do() -> None:
    staging_project, staging = render_ok(EXAMPLES / "environments", "staging")
    prod_project, prod = render_ok(EXAMPLES / "environments", "prod")
    assert json.loads(staging.files["manifest.json"])["release"] == "2025.2.4"
    assert json.loads(prod.files["manifest.json"])["release"] == "2025.1.6"
    assert service_doc(staging, "front50")["spinnaker"]["s3"]["bucket"] == "example-spinnaker-staging"
    assert service_doc(prod, "front50")["spinnaker"]["s3"]["bucket"] == "example-spinnaker-prod"
    assert taskdefs(prod)["clouddriver"]["memory"] == "16384"
    assert staging_project.root == prod_project.root


def test_repository_default_project_is_rendered_and_committed() -> None:
    result = CliRunner().invoke(app, ["render", "--check", str(REPO)])
    assert result.exit_code == 0, result.output


def test_repository_default_project_runs_on_fargate_with_mysql_and_redis() -> None:
    _, rendered = render_ok(REPO)
    for svc in ("clouddriver", "echo", "front50", "orca"):
        assert "${SPINCONF_SECRET_" in service_doc(rendered, svc)["sql"]["connectionPools"]["default"]["password"]
    for svc in ("gate", "igor"):
        assert service_doc(rendered, svc)["redis"]["connection"].startswith("redis://spinnaker.")
    assert_registrable(rendered)


@pytest.mark.parametrize("path", sorted(p for p in (EXAMPLES.glob("*/**/*.yml")) if "/out/" not in p.as_posix()))
def test_example_overlays_carry_the_schema_modeline(path: Path) -> None:
    assert_modeline_schema_accepts(path)
