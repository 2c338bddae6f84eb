"""Datadog APM on every Java service, as the reference deployment runs it: tracer, agent sidecar, tags."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spinconf.render import Rendered
from tests.helpers import load, make_project, render_ok
from tests.targets.ecs_validation import assert_hadolint_clean, assert_valid_task_definitions
from tests.targets.projects import containers, env, fargate, taskdef

KEY_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog-api-key-AbCdEf"
JAR_SHA = "5" * 64
DATADOG = f"""
secrets:
  datadog-api-key: {{secretsManager: '{KEY_ARN}'}}
observability:
  datadog:
    apiKey: {{secret: datadog-api-key}}
    site: datadoghq.eu
    env: prod
    tracer: {{version: 1.48.0, sha256: '{JAR_SHA}'}}
services:
  gate:
    ecs: {{cpu: 1024, memory: 3072}}
"""
JAVA = ("clouddriver", "echo", "front50", "gate", "orca", "rosco")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = make_project(tmp_path_factory.mktemp("datadog"), fargate(extra={"overlays/observability.yml": DATADOG}))
    return render_ok(root)[1]


def test_task_definitions_with_the_agent_register_on_fargate(rendered: Rendered) -> None:
    assert_valid_task_definitions([taskdef(rendered, svc) for svc in (*JAVA, "deck")])


def test_every_java_service_gets_the_agent_beside_it(rendered: Rendered) -> None:
    for svc in JAVA:
        found = containers(rendered, svc)
        assert set(found) == {svc, "datadog-agent"}
        agent = found["datadog-agent"]
        assert agent["image"].startswith("public.ecr.aws/datadog/agent")
        assert env(agent) == {
            "ECS_FARGATE": "true",
            "DD_APM_ENABLED": "true",
            "DD_SITE": "datadoghq.eu",
            "DD_ENV": "prod",
        }
        assert agent["essential"] is False and agent["memory"] == 256
        assert agent["healthCheck"]["command"] == ["CMD-SHELL", "agent health"]
        assert agent["logConfiguration"]["logDriver"] == "awslogs"


def test_the_api_key_is_a_secret_of_the_agent_only(rendered: Rendered) -> None:
    for svc in (*JAVA, "deck"):
        for name, container in containers(rendered, svc).items():
            secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
            if name == "datadog-agent":
                assert secrets == {"DD_API_KEY": KEY_ARN}
            else:
                assert KEY_ARN not in json.dumps(container), f"{svc}/{name}"
        policy = json.loads(rendered.files[f"iam/{svc}.execution-policy.json"])
        assert (KEY_ARN in json.dumps(policy)) == (svc != "deck")


def test_the_tracer_is_loaded_by_the_jvm_and_tagged(rendered: Rendered) -> None:
    orca = containers(rendered, "orca")["orca"]
    variables = env(orca)
    tag = orca["image"].rsplit(":", 1)[1]
    assert re.fullmatch(r"1\.30\.1-[0-9a-f]{12}", tag)
    assert variables["JAVA_TOOL_OPTIONS"] == "-javaagent:/opt/datadog/dd-java-agent.jar"
    assert (variables["DD_SERVICE"], variables["DD_ENV"], variables["DD_VERSION"]) == ("orca", "prod", tag)
    assert variables["DD_AGENT_HOST"] == "127.0.0.1"  # same task, same network namespace
    assert orca["dockerLabels"] == {
        "com.datadoghq.tags.service": "orca",
        "com.datadoghq.tags.env": "prod",
        "com.datadoghq.tags.version": tag,
    }
    # spinconf's JVM options are still there, sized for what the agent leaves
    assert variables["JAVA_OPTS"] == "-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
    assert orca["secrets"] == []


def test_task_size_counts_the_agent(rendered: Rendered) -> None:
    # orca's default is cpu 1024 / memory 4096 for itself: the task grows to hold the agent too
    orca = taskdef(rendered, "orca")
    assert (orca["cpu"], orca["memory"]) == ("1024", "5120")
    assert containers(rendered, "orca")["orca"]["memory"] == 5120 - 256
    # gate's size is the operator's: the agent's memory comes out of it, the JVM gets the rest
    gate = taskdef(rendered, "gate")
    assert (gate["cpu"], gate["memory"]) == ("1024", "3072")
    assert containers(rendered, "gate")["gate"]["memory"] == 3072 - 256
    for svc in JAVA:
        found = taskdef(rendered, svc)
        limits = sum(c.get("memory", 0) for c in found["containerDefinitions"])
        assert limits <= int(found["memory"])


def test_the_dockerfile_adds_the_checksummed_tracer(rendered: Rendered) -> None:
    for svc in JAVA:
        dockerfile = rendered.files[f"services/{svc}/Dockerfile"].decode()
        assert dockerfile.startswith("# syntax=docker/dockerfile:1")
        url = "https://repo1.maven.org/maven2/com/datadoghq/dd-java-agent/1.48.0/dd-java-agent-1.48.0.jar"
        assert f'ADD --chmod=644 --checksum=sha256:{JAR_SHA} ["{url}", "/opt/datadog/dd-java-agent.jar"]' in dockerfile
        assert_hadolint_clean(dockerfile)
    assert "ADD" not in rendered.files["services/deck/Dockerfile"].decode()


def test_deck_is_untouched(rendered: Rendered, tmp_path: Path) -> None:
    plain = make_project(tmp_path, fargate())
    _, without = render_ok(plain)
    for path in ("ecs/deck.taskdef.json", "ecs/deck.containers.json", "services/deck/Dockerfile"):
        assert rendered.files[path] == without.files[path], path


def test_containers_json_holds_every_container(rendered: Rendered) -> None:
    for svc in JAVA:
        listed = json.loads(rendered.files[f"ecs/{svc}.containers.json"])
        assert listed == taskdef(rendered, svc)["containerDefinitions"]
        assert [c["name"] for c in listed] == [svc, "datadog-agent"]


def test_services_list_limits_tracing(tmp_path: Path) -> None:
    only = DATADOG.replace("    env: prod\n", "    env: prod\n    services: [clouddriver]\n")
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": only}))
    _, rendered = render_ok(root)
    assert set(containers(rendered, "clouddriver")) == {"clouddriver", "datadog-agent"}
    assert set(containers(rendered, "orca")) == {"orca"}
    assert "ADD" not in rendered.files["services/orca/Dockerfile"].decode()
    assert "DD_SERVICE" not in env(containers(rendered, "orca")["orca"])


def test_logs_ship_through_firelens_when_asked(tmp_path: Path) -> None:
    with_logs = DATADOG.replace("    env: prod\n", "    env: prod\n    logs: true\n")
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": with_logs}))
    _, rendered = render_ok(root)
    assert_valid_task_definitions([taskdef(rendered, svc) for svc in JAVA])
    found = containers(rendered, "clouddriver")
    assert set(found) == {"clouddriver", "datadog-agent", "log-router"}
    router = found["log-router"]
    assert router["firelensConfiguration"]["type"] == "fluentbit" and router["essential"] is True
    logging = found["clouddriver"]["logConfiguration"]
    assert logging["logDriver"] == "awsfirelens"
    assert (logging["options"]["Name"], logging["options"]["Host"]) == ("datadog", "http-intake.logs.datadoghq.eu")
    # unified service tags on every log line: the image tag is the version the tracer reports
    tag = found["clouddriver"]["image"].rsplit(":", 1)[1]
    assert logging["options"]["dd_tags"] == f"env:prod,version:{tag}"
    assert env(found["clouddriver"])["DD_VERSION"] == tag
    # the key reaches the log router's output, never the service's environment
    assert logging["secretOptions"] == [{"name": "apikey", "valueFrom": KEY_ARN}]
    assert found["clouddriver"]["secrets"] == []
    assert {"containerName": "log-router", "condition": "START"} in found["clouddriver"]["dependsOn"]
    task = taskdef(rendered, "clouddriver")
    assert sum(c.get("memory", 0) for c in task["containerDefinitions"]) <= int(task["memory"])


def test_logs_stay_on_awslogs_by_default(rendered: Rendered) -> None:
    for svc in JAVA:
        assert containers(rendered, svc)[svc]["logConfiguration"]["logDriver"] == "awslogs"


def test_a_plain_api_key_is_an_error_and_with_warn_stays_in_the_agent(tmp_path: Path) -> None:
    plain = DATADOG.replace("apiKey: {secret: datadog-api-key}", "apiKey: 0123456789abcdef0123456789abcdef").replace(
        f"  datadog-api-key: {{secretsManager: '{KEY_ARN}'}}\n", "  unused: {ssm: /x}\n"
    )
    root = make_project(tmp_path / "error", fargate(extra={"overlays/observability.yml": plain}))
    texts = [d.text() for d in load(root).diagnostics.sorted() if d.is_error]
    assert any(
        t.startswith("overlays/observability.yml:6:5: error: a secret at observability.datadog.apiKey is plain text")
        for t in texts
    ), texts
    assert not any("0123456789abcdef" in t for t in texts)
    warned = make_project(
        tmp_path / "warn", fargate(extra={"overlays/observability.yml": plain}), "plaintextSecrets: warn\n"
    )
    _, rendered = render_ok(warned)
    found = containers(rendered, "orca")
    assert env(found["datadog-agent"])["DD_API_KEY"] == "0123456789abcdef0123456789abcdef"
    assert "0123456789abcdef0123456789abcdef" not in json.dumps(found["orca"])


def test_a_spring_file_may_use_the_tracers_variables(tmp_path: Path) -> None:
    profile = """
    profiles:
      orca:
        management.metrics.tags.version: ${DD_VERSION}
      front50:
        management.metrics.tags.version: ${DD_VERSION}
    """
    only_orca = DATADOG.replace("    env: prod\n", "    env: prod\n    services: [orca]\n")
    files = {"overlays/observability.yml": only_orca, "overlays/profiles.yml": profile}
    project = load(make_project(tmp_path, fargate(extra=files)))
    from spinconf.render import render_project

    render_project(project)
    texts = [d.text() for d in project.diagnostics.sorted() if d.is_error]
    # orca's task sets DD_VERSION; front50 is not traced, so nothing sets it there
    assert len(texts) == 1 and "front50" in texts[0] and "DD_VERSION" in texts[0], texts


def test_the_environment_defaults_to_the_env_name(tmp_path: Path) -> None:
    base = DATADOG.replace("    env: prod\n", "")
    files = fargate(extra={"overlays/observability.yml": base, "environments/staging/size.yml": "services: {}\n"})
    project, rendered = render_ok(make_project(tmp_path, files), "staging")
    assert not [d for d in project.diagnostics.sorted() if d.code == "observability-env-missing"]
    orca = containers(rendered, "orca")
    assert env(orca["orca"])["DD_ENV"] == "staging"
    assert orca["orca"]["dockerLabels"]["com.datadoghq.tags.env"] == "staging"
    assert env(orca["datadog-agent"])["DD_ENV"] == "staging"
    # and the log lines shipped through FireLens carry it too
    with_logs = base.replace("    site: datadoghq.eu\n", "    site: datadoghq.eu\n    logs: true\n")
    files["overlays/observability.yml"] = with_logs
    _, rendered = render_ok(make_project(tmp_path / "logs", files), "staging")
    options = containers(rendered, "orca")["orca"]["logConfiguration"]["options"]
    assert options["dd_tags"].startswith("env:staging,version:")
