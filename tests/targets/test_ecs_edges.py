"""The ECS target where one setting overrides another: per service over shared over default, secrets over
plain values, and what each IAM policy allows. Every value is read back from the rendered JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from spinconf.render import Rendered
from tests.helpers import make_project, render_ok
from tests.targets.ecs_validation import assert_valid_service_definition
from tests.targets.projects import ECS, GATE_TLS, fargate

SM_FULL = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/db-AbCdEf"
SM_TOKEN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/token-XyZ123"
ACCOUNT = "123456789012"
SM_KUBE = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/kube-QwErTy"
KMS_SHARED = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
KMS_OWN = "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222"

OVERRIDES = f"""
ecs:
  cluster: spinnaker-prod
  familyPrefix: spin
  logGroup: /spinnaker/logs
  logStreamPrefix: svc
  desiredCount: 2
  healthCheckGracePeriodSeconds: 120
  kmsKeyArn: {KMS_SHARED}
  discovery: {{mode: serviceConnect}}  # a service.json create-service takes as written (no Cloud Map ARNs)
  network:
    assignPublicIp: true
  environment:
    SHARED: shared
    OVERRIDDEN: shared
    JAVA_OPTS: -Xmx1g
    SWITCHED: {{secret: param}}
secrets:
  token: {{secretsManager: '{SM_TOKEN}', kmsKeyArn: '{KMS_OWN}'}}
  db: {{secretsManager: '{SM_FULL}', key: password}}
  param: {{ssm: /spinnaker/param}}
  param-arn: {{ssm: 'arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/x'}}
  xray: {{ssm: /Xray/key}}
  kube: {{secretsManager: '{SM_KUBE}'}}
providers:
  kubernetes:
    enabled: true
    accounts:
      - name: prod
        kubeconfigFile: {{secret: kube}}
services:
  orca:
    ecs:
      desiredCount: 3
      healthCheckGracePeriodSeconds: 45
      executionRoleArn: arn:aws:iam::123456789012:role/orca-execution
      subnets: [subnet-orca]
      securityGroups: [sg-orca]
      assignPublicIp: false
      environment:
        OVERRIDDEN: own
        SHARED: {{secret: token}}
        PARAM: {{secret: param}}
        XRAY: {{secret: xray}}
        SWITCHED: plain now
  echo:
    ecs:
      environment:
        DB: {{secret: db}}
        ARN: {{secret: param-arn}}
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = make_project(tmp_path_factory.mktemp("edges"), fargate(extra={"overlays/overrides.yml": OVERRIDES}))
    return render_ok(root)[1]


def doc(rendered: Rendered, path: str) -> Any:
    return json.loads(rendered.files[path])


def container(rendered: Rendered, svc: str) -> dict[str, Any]:
    (c,) = doc(rendered, f"ecs/{svc}.taskdef.json")["containerDefinitions"]
    return c


def test_service_environment_over_shared_and_secrets_over_plain(rendered: Rendered) -> None:
    orca = container(rendered, "orca")
    assert {e["name"]: e["value"] for e in orca["environment"]} == {
        "JAVA_OPTS": "-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -Xmx1g",
        "OVERRIDDEN": "own",
        "SWITCHED": "plain now",  # a plain value in a later layer replaces a secret of the same name
        "TZ": "UTC",
    }
    assert orca["secrets"] == [
        {"name": "PARAM", "valueFrom": "/spinnaker/param"},
        {"name": "SHARED", "valueFrom": SM_TOKEN},
        {"name": "XRAY", "valueFrom": "/Xray/key"},
    ]
    echo = container(rendered, "echo")
    assert {e["name"]: e["value"] for e in echo["environment"]} == {
        "JAVA_OPTS": "-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -Xmx1g",
        "OVERRIDDEN": "shared",
        "SHARED": "shared",
        "TZ": "UTC",
    }
    assert echo["secrets"] == [
        {"name": "ARN", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/x"},
        {"name": "DB", "valueFrom": SM_FULL + ":password::"},  # one JSON key: ECS's arn:key:stage:version form
        {"name": "SWITCHED", "valueFrom": "/spinnaker/param"},
    ]


def test_service_definition_settings_per_service_over_shared(rendered: Rendered) -> None:
    orca = doc(rendered, "ecs/orca.service.json")
    echo = doc(rendered, "ecs/echo.service.json")
    for service in (orca, echo):
        assert_valid_service_definition(service)
        assert service["cluster"] == "spinnaker-prod"
    assert (orca["desiredCount"], echo["desiredCount"]) == (3, 2)
    assert (orca["healthCheckGracePeriodSeconds"], echo["healthCheckGracePeriodSeconds"]) == (45, 120)
    assert orca["networkConfiguration"]["awsvpcConfiguration"] == {
        "subnets": ["subnet-orca"],
        "securityGroups": ["sg-orca"],
        "assignPublicIp": "DISABLED",
    }
    assert echo["networkConfiguration"]["awsvpcConfiguration"] == {
        "subnets": ["subnet-0a", "subnet-0b"],
        "securityGroups": ["sg-01"],
        "assignPublicIp": "ENABLED",
    }
    assert orca["serviceName"] == orca["taskDefinition"] == "spin-orca"
    assert (orca["launchType"], orca["platformVersion"]) == ("FARGATE", "LATEST")
    assert (orca["propagateTags"], orca["enableECSManagedTags"]) == ("SERVICE", True)


def test_task_definition_roles_logs_and_family(rendered: Rendered) -> None:
    orca = doc(rendered, "ecs/orca.taskdef.json")
    assert orca["family"] == "spin-orca"
    assert orca["executionRoleArn"] == "arn:aws:iam::123456789012:role/orca-execution"
    assert orca["taskRoleArn"] == "arn:aws:iam::123456789012:role/spinnaker-task"
    assert doc(rendered, "ecs/echo.taskdef.json")["executionRoleArn"].endswith("role/spinnaker-execution")
    assert container(rendered, "orca")["logConfiguration"] == {
        "logDriver": "awslogs",
        "options": {"awslogs-group": "/spinnaker/logs", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "svc"},
    }


def test_execution_policies_read_exactly_each_services_secrets(rendered: Rendered) -> None:
    orca = {s["Sid"]: s for s in doc(rendered, "iam/orca.execution-policy.json")["Statement"]}
    assert orca["ReadSecrets"]["Resource"] == [SM_TOKEN]
    # a parameter name resolves in the task's region and account
    assert orca["ReadParameters"] == {
        "Sid": "ReadParameters",
        "Effect": "Allow",
        "Action": ["ssm:GetParameters"],
        "Resource": ["arn:aws:ssm:eu-west-1:*:parameter/Xray/key", "arn:aws:ssm:eu-west-1:*:parameter/spinnaker/param"],
    }
    assert orca["WriteLogs"]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert orca["DecryptSecrets"] == {
        "Sid": "DecryptSecrets",
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": sorted([KMS_OWN, KMS_SHARED]),
    }
    assert orca["WriteLogs"]["Resource"] == ["arn:aws:logs:eu-west-1:*:log-group:/spinnaker/logs:log-stream:*"]
    echo = {s["Sid"]: s for s in doc(rendered, "iam/echo.execution-policy.json")["Statement"]}
    assert echo["ReadSecrets"]["Resource"] == [SM_FULL]  # a full ARN is used as it is
    assert echo["ReadParameters"]["Resource"] == [
        "arn:aws:ssm:eu-west-1:*:parameter/spinnaker/param",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/x",
    ]
    assert echo["DecryptSecrets"]["Resource"] == [KMS_SHARED]
    assert list(echo) == ["WriteLogs", "EcrLogin", "PullImage", "ReadSecrets", "ReadParameters", "DecryptSecrets"]
    gate = doc(rendered, "iam/gate.execution-policy.json")
    assert gate["Version"] == "2012-10-17"
    # gate reads only the shared environment's secret
    assert [s["Sid"] for s in gate["Statement"]] == [
        "WriteLogs",
        "EcrLogin",
        "PullImage",
        "ReadParameters",
        "DecryptSecrets",
    ]
    assert gate["Statement"][3]["Resource"] == ["arn:aws:ssm:eu-west-1:*:parameter/spinnaker/param"]
    assert gate["Statement"][1] == {
        "Sid": "EcrLogin",
        "Effect": "Allow",
        "Action": ["ecr:GetAuthorizationToken"],
        "Resource": ["*"],
    }
    assert gate["Statement"][2]["Action"] == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]


@pytest.mark.parametrize(
    ("repository", "arn"),
    [
        (
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spinnaker",
            "arn:aws:ecr:eu-west-1:123456789012:repository/spinnaker/orca",
        ),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/spin/",
            "arn:aws:ecr:cn-north-1:123456789012:repository/spin/orca",
        ),
        ("registry.example.com/spinnaker", None),
    ],
)
def test_image_pull_permissions_only_for_ecr(repository: str, arn: str | None, tmp_path: Path) -> None:
    ecs = ECS.replace(
        "imageRepository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/spinnaker", f"imageRepository: {repository}"
    )
    root = make_project(tmp_path, {**fargate(), "overlays/ecs.yml": ecs})
    _, rendered = render_ok(root)
    statements = {s["Sid"]: s for s in doc(rendered, "iam/orca.execution-policy.json")["Statement"]}
    if arn is None:
        assert sorted(statements) == ["WriteLogs"]
    else:
        assert statements["PullImage"]["Resource"] == [arn]
        assert "EcrLogin" in statements
    assert container(rendered, "orca")["image"].startswith(repository.rstrip("/") + "/orca:")


def test_defaults_when_nothing_overrides(tmp_path: Path) -> None:
    connect = {"overlays/sc.yml": "ecs:\n  discovery: {mode: serviceConnect}\n"}  # service.json as written
    _, rendered = render_ok(make_project(tmp_path, fargate(extra=connect)))
    three = ("clouddriver", "deck", "orca")
    grace = {svc: doc(rendered, f"ecs/{svc}.service.json")["healthCheckGracePeriodSeconds"] for svc in three}
    assert grace == {"clouddriver": 600, "deck": 60, "orca": 300}
    start = {svc: container(rendered, svc)["healthCheck"]["startPeriod"] for svc in three}
    assert start == {"clouddriver": 300, "deck": 30, "orca": 240}
    orca = doc(rendered, "ecs/orca.service.json")
    assert orca["desiredCount"] == 1 and "cluster" not in orca
    assert container(rendered, "orca")["healthCheck"] == {
        "command": ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8083/health || exit 1"],
        "interval": 30,
        "timeout": 5,
        "retries": 3,
        "startPeriod": 240,
    }
    options = container(rendered, "orca")["logConfiguration"]["options"]
    assert (options["awslogs-group"], options["awslogs-stream-prefix"]) == ("/ecs/spinnaker", "orca")


def test_a_service_with_tls_is_checked_over_https(tmp_path: Path) -> None:
    overlay = "profiles:\n  orca:\n    server:\n      ssl:\n        enabled: true\n"
    _, rendered = render_ok(make_project(tmp_path, fargate(extra={"overlays/tls.yml": overlay})))
    command = container(rendered, "orca")["healthCheck"]["command"]
    assert command == [
        "CMD-SHELL",
        "wget -q --no-check-certificate -O /dev/null https://127.0.0.1:8083/health || exit 1",
    ]


def test_service_connect_names_each_port(tmp_path: Path) -> None:
    # x509 with gate's own TLS: kork opens the second connector (default.apiPort), mapped as gate-x509
    overlay = (
        "ecs:\n  discovery: {mode: serviceConnect}\nsecurity:\n  authn:\n    x509: {enabled: true}\n"
        + GATE_TLS
        + "services:\n  gate:\n    ecs: {discoveryName: api}\n"
    )
    _, rendered = render_ok(make_project(tmp_path, fargate(extra={"overlays/sc.yml": overlay})))
    gate = doc(rendered, "ecs/gate.service.json")
    services = gate["serviceConnectConfiguration"]["services"]
    # only the port peers call is published; the x509 port is for build machines through the NLB
    assert [(s["portName"], s["discoveryName"]) for s in services] == [("gate", "api")]
    # each alias is the host and port the Spring files call: orca as gate's spinnaker.yml calls it,
    # gate as the serviceUrl template names it (its own spinnaker.yml entry is the public URL)
    called = yaml.safe_load(rendered.files["services/gate/spinnaker.yml"])["services"]["orca"]["baseUrl"]
    url = urlsplit(called)
    orca = doc(rendered, "ecs/orca.service.json")["serviceConnectConfiguration"]["services"]
    assert orca[0]["clientAliases"] == [{"port": url.port, "dnsName": url.hostname}]
    assert services[0]["clientAliases"] == [{"port": 8084, "dnsName": "gate.spinnaker.internal"}]
    ports = {m["name"]: m["containerPort"] for m in container(rendered, "gate")["portMappings"]}
    assert ports == {"gate": 8084, "gate-x509": 8085}


def test_load_balancer_port_and_cloud_map_registration(tmp_path: Path) -> None:
    tg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/gate/0123456789abcdef"
    registry = "arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-gate0123456789"
    overlay = (
        "ecs:\n  discovery: {mode: cloudMap}\n"
        f"services:\n  gate:\n    ecs:\n      registryArn: '{registry}'\n"
        f"      loadBalancers: [{{targetGroupArn: '{tg}', containerPort: 8084}}]\n"
    )
    _, rendered = render_ok(make_project(tmp_path, fargate(extra={"overlays/lb.yml": overlay})))
    gate = doc(rendered, "ecs/gate.service.json")
    assert gate["loadBalancers"] == [{"targetGroupArn": tg, "containerName": "gate", "containerPort": 8084}]
    assert gate["serviceRegistries"] == [{"registryArn": registry}]
    assert "serviceConnectConfiguration" not in gate
    assert_valid_service_definition(gate)
    # orca has no Cloud Map registration to name: the Terraform module registers it, and no
    # service.json that create-service would take without one is written
    assert "ecs/orca.service.json" not in rendered.files
    module = json.loads(rendered.files["terraform/locals.tf.json"])["locals"]["services"]
    assert module["orca"]["registry_name"] == "orca"


def test_the_task_role_reads_the_file_secret_with_the_shared_key(rendered: Rendered) -> None:
    assert doc(rendered, "iam/clouddriver.task-policy.json") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadSecrets",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": [SM_KUBE],
            },
            {"Sid": "DecryptSecrets", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [KMS_SHARED]},
        ],
    }


def test_json_files_are_indented_with_sorted_keys(rendered: Rendered) -> None:
    for path, data in rendered.files.items():
        if path.startswith(("ecs/", "iam/")):
            assert data == (json.dumps(json.loads(data), indent=2, sort_keys=True) + "\n").encode(), path


def test_each_service_image_is_tagged_from_its_own_build_context(rendered: Rendered) -> None:
    tags = {svc: container(rendered, svc)["image"].rsplit(":", 1)[1] for svc in ("orca", "echo", "gate")}
    assert len(set(tags.values())) == 3 and all(t.startswith("1.30.1-") for t in tags.values())


def test_per_service_subnets_without_a_shared_network(tmp_path: Path) -> None:
    ecs = ECS.replace("  network:\n    subnets: [subnet-0a, subnet-0b]\n    securityGroups: [sg-01]\n", "")
    services = ("clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco")
    overlay = "ecs:\n  discovery: {mode: serviceConnect}\nservices:\n" + "".join(
        f"  {svc}:\n    ecs:\n      subnets: [subnet-{svc}]\n" for svc in services
    )
    root = make_project(tmp_path, {**fargate(extra={"overlays/subnets.yml": overlay}), "overlays/ecs.yml": ecs})
    _, rendered = render_ok(root)
    orca = doc(rendered, "ecs/orca.service.json")
    assert orca["networkConfiguration"] == {
        "awsvpcConfiguration": {"subnets": ["subnet-orca"], "assignPublicIp": "DISABLED"}
    }
    assert_valid_service_definition(orca)
