"""The ECS target on a complete Fargate project: what register-task-definition and create-service get."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from spinconf.render import Rendered
from tests.helpers import make_project, render_ok, service_doc
from tests.targets.ecs_validation import assert_valid_service_definition, assert_valid_task_definitions
from tests.targets.projects import fargate

DB_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/db-AbCdEf"
KUBECONFIG_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/kubeconfig-prod-XyZ123"
KEYSTORE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/gate-keystore-AbC123"
TRUSTSTORE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/gate-truststore-DeF456"
SECRETS = f"""
notifications:
  slack: {{enabled: true, botName: spinnakerbot, token: {{secret: slack-token}}}}
providers:
  kubernetes:
    enabled: true
    accounts:
      - name: prod
        kubeconfigFile: {{secret: prod-kubeconfig}}
security:
  apiSecurity:
    ssl:
      enabled: true
      keyStore: {{secret: gate-keystore}}
      keyStorePassword: 'encrypted:secrets-manager!r:eu-west-1!s:spinnaker/gate-keystore-password'
      trustStore: {{secret: gate-truststore}}
      trustStorePassword: 'encrypted:secrets-manager!r:eu-west-1!s:spinnaker/gate-keystore-password'
  authn:
    x509: {{enabled: true}}
ecs:
  discovery: {{mode: serviceConnect}}  # Service Connect needs no registry ARNs: every service.json is written
secrets:
  gate-keystore: {{secretsManager: '{KEYSTORE_ARN}'}}
  gate-truststore: {{secretsManager: '{TRUSTSTORE_ARN}'}}
  slack-token: {{ssm: /spinnaker/slack-token}}
  clouddriver-db: {{secretsManager: '{DB_ARN}', key: password}}
  prod-kubeconfig: {{secretsManager: '{KUBECONFIG_ARN}'}}
services:
  clouddriver:
    sql:
      jdbcUrl: jdbc:mysql://clouddriver-db.internal:3306/clouddriver
      user: clouddriver_service
      password: {{secret: clouddriver-db}}
  gate:
    ecs: {{cpu: 1024, memory: 3072, taskRoleArn: 'arn:aws:iam::123456789012:role/gate'}}
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = make_project(tmp_path_factory.mktemp("fargate"), fargate(extra={"overlays/secrets.yml": SECRETS}))
    return render_ok(root)[1]


def doc(rendered: Rendered, path: str) -> Any:
    return json.loads(rendered.files[path])


def enabled(rendered: Rendered) -> list[str]:
    return sorted(p.split("/")[1].split(".")[0] for p in rendered.files if p.endswith(".taskdef.json"))


def container(rendered: Rendered, svc: str) -> dict[str, Any]:
    containers: list[dict[str, Any]] = doc(rendered, f"ecs/{svc}.taskdef.json")["containerDefinitions"]
    return containers[0]


def test_every_task_and_service_definition_is_valid_for_ecs(rendered: Rendered) -> None:
    services = enabled(rendered)
    assert {"clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco"} <= set(services)
    assert_valid_task_definitions([doc(rendered, f"ecs/{svc}.taskdef.json") for svc in services])
    for svc in services:
        assert_valid_service_definition(doc(rendered, f"ecs/{svc}.service.json"))


def test_task_definition_runs_the_baked_image_on_fargate(rendered: Rendered) -> None:
    taskdef = doc(rendered, "ecs/orca.taskdef.json")
    assert taskdef["family"] == "spinnaker-orca"
    assert (taskdef["networkMode"], taskdef["requiresCompatibilities"]) == ("awsvpc", ["FARGATE"])
    assert (taskdef["cpu"], taskdef["memory"]) == ("1024", "4096")
    assert taskdef["runtimePlatform"] == {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"}
    assert taskdef["executionRoleArn"] == "arn:aws:iam::123456789012:role/spinnaker-execution"
    orca = container(rendered, "orca")
    assert orca["name"] == "orca"
    assert re.fullmatch(
        r"123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com/spinnaker/orca:1\.30\.1-[0-9a-f]{12}", orca["image"]
    )
    assert orca["portMappings"] == [
        {"name": "orca", "containerPort": 8083, "hostPort": 8083, "protocol": "tcp", "appProtocol": "http"}
    ]
    assert orca["logConfiguration"] == {
        "logDriver": "awslogs",
        "options": {"awslogs-group": "/ecs/spinnaker", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "orca"},
    }
    env = {e["name"]: e["value"] for e in orca["environment"]}
    assert env["TZ"] == "UTC"
    assert "-XX:MaxRAMPercentage=75.0" in env["JAVA_OPTS"]


def test_per_service_size_and_task_role(rendered: Rendered) -> None:
    taskdef = doc(rendered, "ecs/gate.taskdef.json")
    assert (taskdef["cpu"], taskdef["memory"]) == ("1024", "3072")
    assert taskdef["taskRoleArn"] == "arn:aws:iam::123456789012:role/gate"
    assert doc(rendered, "ecs/orca.taskdef.json")["taskRoleArn"] == "arn:aws:iam::123456789012:role/spinnaker-task"


def test_gate_with_x509_gets_its_second_port(rendered: Rendered) -> None:
    ports = [(m["name"], m["containerPort"], m["hostPort"]) for m in container(rendered, "gate")["portMappings"]]
    assert ports == [("gate", 8084, 8084), ("gate-x509", 8085, 8085)]


def test_secrets_reach_only_the_services_that_use_them(rendered: Rendered) -> None:
    secrets = {
        svc: {s["name"]: s["valueFrom"] for s in container(rendered, svc)["secrets"]} for svc in enabled(rendered)
    }
    assert secrets["echo"] == {"SPINCONF_SECRET_SLACK_TOKEN": "/spinnaker/slack-token"}
    assert secrets["clouddriver"] == {"SPINCONF_SECRET_CLOUDDRIVER_DB": DB_ARN + ":password::"}
    assert secrets["orca"] == {} and secrets["gate"] == {}
    assert "${SPINCONF_SECRET_SLACK_TOKEN}" in rendered.files["services/echo/echo.yml"].decode()


def test_execution_policy_allows_exactly_the_services_secrets_and_log_group(rendered: Rendered) -> None:
    echo = doc(rendered, "iam/echo.execution-policy.json")
    by_sid = {s["Sid"]: s for s in echo["Statement"]}
    assert by_sid["ReadParameters"]["Resource"] == ["arn:aws:ssm:eu-west-1:*:parameter/spinnaker/slack-token"]
    assert "ReadSecrets" not in by_sid
    assert by_sid["WriteLogs"]["Resource"] == ["arn:aws:logs:eu-west-1:*:log-group:/ecs/spinnaker:log-stream:*"]
    assert by_sid["PullImage"]["Resource"] == ["arn:aws:ecr:eu-west-1:123456789012:repository/spinnaker/echo"]
    clouddriver = {s["Sid"]: s for s in doc(rendered, "iam/clouddriver.execution-policy.json")["Statement"]}
    assert clouddriver["ReadSecrets"]["Resource"] == [DB_ARN]  # not the kubeconfig: the task role reads that
    gate = {s["Sid"] for s in doc(rendered, "iam/gate.execution-policy.json")["Statement"]}
    assert gate == {"WriteLogs", "EcrLogin", "PullImage"}


def test_file_secret_becomes_a_kork_encrypted_file_read_by_the_task_role(rendered: Rendered) -> None:
    clouddriver = service_doc(rendered, "clouddriver")
    account = clouddriver["kubernetes"]["accounts"][0]
    assert account["kubeconfigFile"] == f"encryptedFile:secrets-manager!r:eu-west-1!s:{KUBECONFIG_ARN}"
    policy = doc(rendered, "iam/clouddriver.task-policy.json")
    assert policy["Statement"] == [
        {
            "Sid": "ReadSecrets",
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": [KUBECONFIG_ARN],
        }
    ]
    assert "iam/orca.task-policy.json" not in rendered.files
    assert all(s["name"] != "SPINCONF_SECRET_PROD_KUBECONFIG" for s in container(rendered, "clouddriver")["secrets"])


def test_health_checks_use_what_the_images_have(rendered: Rendered) -> None:
    orca = container(rendered, "orca")["healthCheck"]
    assert orca["command"] == ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8083/health || exit 1"]
    deck = container(rendered, "deck")["healthCheck"]
    assert deck["command"][0] == "CMD-SHELL" and "/dev/tcp/127.0.0.1/9000" in deck["command"][1]
    clouddriver = container(rendered, "clouddriver")["healthCheck"]
    assert clouddriver["startPeriod"] == 300  # ECS's maximum: the service's grace period covers the rest
    assert doc(rendered, "ecs/clouddriver.service.json")["healthCheckGracePeriodSeconds"] == 600


def test_containers_json_is_normalised_for_terraform(rendered: Rendered) -> None:
    def no_nulls(value: Any) -> bool:
        if isinstance(value, dict):
            return all(v is not None and no_nulls(v) for v in value.values())
        if isinstance(value, list):
            return all(no_nulls(v) for v in value)
        return value is not None

    for svc in enabled(rendered):
        containers = doc(rendered, f"ecs/{svc}.containers.json")
        assert containers == doc(rendered, f"ecs/{svc}.taskdef.json")["containerDefinitions"]
        (c,) = containers
        assert c["essential"] is True and no_nulls(c)
        assert all(m["hostPort"] == m["containerPort"] and m["protocol"] == "tcp" for m in c["portMappings"])
        names = [e["name"] for e in c["environment"]]
        assert names == sorted(names)


def test_service_definition_deploys_safely(rendered: Rendered) -> None:
    service = doc(rendered, "ecs/front50.service.json")
    assert service["launchType"] == "FARGATE"
    assert service["taskDefinition"] == "spinnaker-front50"
    assert service["deploymentConfiguration"] == {
        "minimumHealthyPercent": 100,
        "maximumPercent": 200,
        "deploymentCircuitBreaker": {"enable": True, "rollback": True},
    }
    assert service["networkConfiguration"] == {
        "awsvpcConfiguration": {
            "subnets": ["subnet-0a", "subnet-0b"],
            "securityGroups": ["sg-01"],
            "assignPublicIp": "DISABLED",
        }
    }


TARGET_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orca/0123456789abcdef"
DISCOVERY = {
    # every peer the others call needs its target group in loadBalancer mode (checks/discovery.py)
    "loadBalancer": """
ecs:
  discovery: {mode: loadBalancer}
services:
"""
    + "".join(
        f"  {svc}:\n    ecs:\n      loadBalancers: [{{targetGroupArn: '{TARGET_GROUP.replace('orca', svc)}'}}]\n"
        for svc in ("clouddriver", "echo", "front50", "orca", "rosco")
    ),
    "cloudMap": """
ecs:
  discovery: {mode: cloudMap}
services:
  orca:
    ecs: {registryArn: 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-orca'}
""",
    "serviceConnect": """
ecs:
  discovery: {mode: serviceConnect, namespace: spinnaker.internal}
""",
}


@pytest.mark.parametrize("mode", sorted(DISCOVERY))
def test_discovery_as_the_operator_chose(tmp_path: Path, mode: str) -> None:
    root = make_project(tmp_path, fargate(extra={"overlays/discovery.yml": DISCOVERY[mode]}))
    orca = json.loads(render_ok(root)[1].files["ecs/orca.service.json"])
    assert_valid_service_definition(orca)
    if mode == "loadBalancer":
        assert orca["loadBalancers"] == [
            {
                "targetGroupArn": TARGET_GROUP,
                "containerName": "orca",
                "containerPort": 8083,
            }
        ]
    elif mode == "cloudMap":
        assert orca["serviceRegistries"] == [
            {"registryArn": "arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-orca"}
        ]
    else:
        assert orca["serviceConnectConfiguration"] == {
            "enabled": True,
            "namespace": "spinnaker.internal",
            "services": [
                {
                    "portName": "orca",
                    "discoveryName": "orca",
                    "clientAliases": [{"port": 8083, "dnsName": "orca.spinnaker.internal"}],
                }
            ],
        }
    assert {"loadBalancers", "serviceRegistries", "serviceConnectConfiguration"} & set(orca) == {
        {
            "loadBalancer": "loadBalancers",
            "cloudMap": "serviceRegistries",
            "serviceConnect": "serviceConnectConfiguration",
        }[mode]
    }


def test_deck_gets_its_container_environment(rendered: Rendered) -> None:
    env = {e["name"]: e["value"] for e in container(rendered, "deck")["environment"]}
    assert env["DECK_PORT"] == "9000"
    assert "JAVA_OPTS" not in env
