"""OpenTelemetry: the Java agent in the image, an AWS Distro collector beside each service, OTLP or X-Ray out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.render import Rendered
from tests.helpers import load, make_project, render_ok
from tests.targets.ecs_validation import assert_hadolint_clean, assert_valid_task_definitions
from tests.targets.projects import ECS, containers, env, fargate

TOKEN_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/otlp-token"
JAR_SHA = "0123456789abcdef" * 4
OTEL = f"""
secrets:
  otlp-token: {{ssm: '{TOKEN_ARN}'}}
observability:
  openTelemetry:
    javaAgent: {{version: 2.10.0, sha256: '{JAR_SHA}'}}
    endpoint: https://otlp.example.com:4318
    headers:
      Authorization: {{secret: otlp-token}}
      X-Team: spinnaker
    env: staging
"""
JAVA = ("clouddriver", "echo", "front50", "gate", "orca", "rosco")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = make_project(tmp_path_factory.mktemp("otel"), fargate(extra={"overlays/observability.yml": OTEL}))
    return render_ok(root)[1]


def test_task_definitions_with_the_collector_register(rendered: Rendered) -> None:
    assert_valid_task_definitions([json.loads(rendered.files[f"ecs/{s}.taskdef.json"]) for s in (*JAVA, "deck")])


def test_the_agent_reports_to_the_collector_in_the_task(rendered: Rendered) -> None:
    orca = containers(rendered, "orca")
    assert set(orca) == {"orca", "otel-collector"}
    variables = env(orca["orca"])
    tag = orca["orca"]["image"].rsplit(":", 1)[1]
    assert variables["JAVA_TOOL_OPTIONS"] == "-javaagent:/opt/opentelemetry/opentelemetry-javaagent.jar"
    assert variables["OTEL_SERVICE_NAME"] == "orca"
    assert variables["OTEL_RESOURCE_ATTRIBUTES"] == f"deployment.environment=staging,service.version={tag}"
    assert variables["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://127.0.0.1:4318"
    assert variables["OTEL_LOGS_EXPORTER"] == "none"  # log shipping is off by default
    assert "-XX:MaxRAMPercentage=75.0" in variables["JAVA_OPTS"]


def test_the_collector_exports_to_the_endpoint_with_its_own_credentials(rendered: Rendered) -> None:
    collector = containers(rendered, "gate")["otel-collector"]
    assert collector["image"].startswith("public.ecr.aws/aws-observability/aws-otel-collector:")
    config = yaml.safe_load(env(collector)["AOT_CONFIG_CONTENT"])
    exporter = config["exporters"]["otlphttp"]
    assert exporter["endpoint"] == "https://otlp.example.com:4318"
    assert exporter["headers"] == {
        "Authorization": "${env:SPINCONF_OTLP_HEADER_AUTHORIZATION}",
        "X-Team": "spinnaker",
    }
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"] == "127.0.0.1:4318"
    assert set(config["service"]["pipelines"]) == {"traces", "metrics"}
    assert collector["secrets"] == [{"name": "SPINCONF_OTLP_HEADER_AUTHORIZATION", "valueFrom": TOKEN_ARN}]
    for svc in (*JAVA, "deck"):
        for name, container in containers(rendered, svc).items():
            if name != "otel-collector":
                assert TOKEN_ARN not in json.dumps(container), f"{svc}/{name}"


def test_the_dockerfile_adds_the_checksummed_agent(rendered: Rendered) -> None:
    dockerfile = rendered.files["services/clouddriver/Dockerfile"].decode()
    url = (
        "https://repo1.maven.org/maven2/io/opentelemetry/javaagent/opentelemetry-javaagent/2.10.0/"
        "opentelemetry-javaagent-2.10.0.jar"
    )
    assert f'--checksum=sha256:{JAR_SHA} ["{url}", "/opt/opentelemetry/opentelemetry-javaagent.jar"]' in dockerfile
    assert_hadolint_clean(dockerfile)


def test_xray_and_logs(tmp_path: Path) -> None:
    xray = f"""
    observability:
      openTelemetry:
        javaAgent: {{version: 2.10.0, sha256: '{JAR_SHA}'}}
        exporter: xray
        collector: {{memory: 512}}
        env: prod
    """
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": xray}))
    _, rendered = render_ok(root)
    found = containers(rendered, "rosco")
    config = yaml.safe_load(env(found["otel-collector"])["AOT_CONFIG_CONTENT"])
    assert config["exporters"] == {"awsxray": {"region": "eu-west-1"}}
    assert env(found["rosco"])["OTEL_PROPAGATORS"] == "tracecontext,baggage,xray"
    assert found["otel-collector"]["memory"] == 512
    assert found["rosco"]["memory"] == 5120 - 512
    policy = json.loads(rendered.files["iam/rosco.task-policy.json"])
    (send,) = [s for s in policy["Statement"] if s["Sid"] == "SendTraces"]
    assert "xray:PutTraceSegments" in send["Action"]
    # without a task role ARN the Terraform module creates each service's task role with that policy
    no_role = ECS.replace("  taskRoleArn: arn:aws:iam::123456789012:role/spinnaker-task\n", "")
    bare = make_project(
        tmp_path / "no-role", fargate(extra={"overlays/observability.yml": xray, "overlays/ecs.yml": no_role})
    )
    _, bare_rendered = render_ok(bare)
    module = json.loads(bare_rendered.files["terraform/locals.tf.json"])["locals"]["services"]
    task_policy = json.loads(module["rosco"]["task_policy"])
    assert any(st["Sid"] == "SendTraces" and "xray:PutTraceSegments" in st["Action"] for st in task_policy["Statement"])
    iam_tf = json.loads(bare_rendered.files["terraform/iam.tf.json"])["resource"]
    assert iam_tf["aws_iam_role_policy"]["task"]["policy"] == "${local.services[each.key].task_policy}"


def test_logs_through_the_collector_when_asked(tmp_path: Path) -> None:
    with_logs = OTEL.replace("    env: staging\n", "    env: staging\n    logs: true\n")
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": with_logs}))
    _, rendered = render_ok(root)
    found = containers(rendered, "echo")
    assert env(found["echo"])["OTEL_LOGS_EXPORTER"] == "otlp"
    config = yaml.safe_load(env(found["otel-collector"])["AOT_CONFIG_CONTENT"])
    assert set(config["service"]["pipelines"]) == {"traces", "metrics", "logs"}


BAD = """
observability:
  datadog:
    apiKey: {env: DD_KEY}
    tracer: {version: 1.48.0, sha256: 'abc123'}
  openTelemetry:
    exporter: otlp
"""


def test_bad_observability_is_reported_at_its_lines(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": BAD}))
    texts = [d.text() for d in load(root).diagnostics.sorted()]
    joined = "\n".join(texts)
    assert "overlays/observability.yml:4:5: error: observability.datadog.apiKey must be {secret: NAME}" in joined
    assert "[observability-api-key]" in joined
    assert "overlays/observability.yml:5:31: error: sha256 must be 64 lower-case hex digits" in joined
    assert (
        "overlays/observability.yml:6:3: error: observability.datadog and observability.openTelemetry are both"
        in joined
    )
    assert "[observability-one-provider]" in joined
    assert "observability.openTelemetry.javaAgent is required" in joined and "[observability-agent-jar]" in joined
    assert "overlays/observability.yml:7:5: error: observability.openTelemetry.endpoint is not set" in joined
    assert "[observability-endpoint]" in joined
    assert "warning: observability.datadog.env is not set and there is no --env" in joined
    assert "[observability-env-missing]" in joined


def test_bad_observability_exits_1_and_leaves_out_alone(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": BAD}))
    result = CliRunner().invoke(app, ["render", str(root)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not (root / "out").exists()


def test_without_ecs_the_images_carry_the_tracer_and_a_warning_says_so(tmp_path: Path) -> None:
    files = {
        "versions.txt": "1.30.1\n",
        "overlays/storage.yml": "persistentStorage:\n  s3: {enabled: true, bucket: spin-front50, region: eu-west-1}\n",
        "overlays/observability.yml": OTEL,
    }
    root = make_project(tmp_path, files)
    project, rendered = render_ok(root)
    assert "opentelemetry-javaagent" in rendered.files["services/orca/Dockerfile"].decode()
    warnings = [d.text() for d in project.diagnostics.sorted() if d.code == "observability-without-ecs"]
    assert warnings and "overlays/observability.yml:5:3: warning:" in warnings[0]
