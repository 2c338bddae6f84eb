"""The Terraform module render writes for the ECS side: its shape, and applied against moto's server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spinconf.render import Rendered
from tests.helpers import REPO, make_project, render_ok
from tests.targets.projects import ECS, fargate
from tests.targets.terraform_run import Terraform, boto, moto_server, require_tools, root_module
from tests.targets.test_discovery import discovered_urls

ROLES = (
    "  executionRoleArn: arn:aws:iam::123456789012:role/spinnaker-execution\n",
    "  taskRoleArn: arn:aws:iam::123456789012:role/spinnaker-task\n",
)
KEYSTORE = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/gate-keystore-GhIjKl"
# the reference layout: Cloud Map between services, a public ALB for deck and gate, an NLB
# passing gate's x509 port through; no role ARNs (the module creates the roles)
LAYOUT = f"""
providers:
  aws:
    enabled: true
    primaryAccount: prod
    accounts:
      - {{name: prod, accountId: '123456789012', assumeRole: role/SpinnakerManaged, regions: [{{name: eu-west-1}}]}}
      - {{name: test, accountId: '210987654321', assumeRole: role/SpinnakerManaged, regions: [{{name: eu-west-1}}]}}
security:
  apiSecurity:
    ssl:
      enabled: true
      keyStore: {{secret: gate-keystore}}
      keyStoreType: PKCS12
      keyStorePassword: {{secret: gate-keystore-password}}
  authn:
    x509: {{enabled: true}}
secrets:
  gate-keystore: {{secretsManager: '{KEYSTORE}'}}
  gate-keystore-password: {{ssm: /spinnaker/gate-keystore-password}}
  slack-token: {{ssm: /spinnaker/slack-token}}
notifications:
  slack: {{enabled: true, botName: spinnakerbot, token: {{secret: slack-token}}}}
ecs:
  loadBalancers:
    public: {{type: application}}
    x509: {{type: network}}
services:
  deck:
    ecs:
      loadBalancers: [{{loadBalancer: public}}]
  gate:
    ecs:
      loadBalancers:
        - {{loadBalancer: public}}
        - {{loadBalancer: x509, containerPort: 8085}}
"""


def layout(root: Path, mode: str = "cloudMap") -> Path:
    ecs = ECS
    for line in ROLES:
        ecs = ecs.replace(line, "")
    extra = {"overlays/layout.yml": LAYOUT, "overlays/discovery.yml": f"ecs:\n  discovery: {{mode: {mode}}}\n"}
    return make_project(root, {**fargate(extra=extra), "overlays/ecs.yml": ecs})


def module(rendered: Rendered) -> dict[str, Any]:
    """Every terraform/*.tf.json, merged as Terraform merges a module's files."""
    merged: dict[str, Any] = {}
    for path, data in sorted(rendered.files.items()):
        if path.startswith("terraform/"):
            assert path.endswith(".tf.json")
            for kind, blocks in json.loads(data).items():
                if kind in ("resource",):
                    for rtype, named in blocks.items():
                        merged.setdefault(kind, {}).setdefault(rtype, {}).update(named)
                elif isinstance(blocks, dict):
                    merged.setdefault(kind, {}).update(blocks)
    return merged


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render_ok(layout(tmp_path_factory.mktemp("layout")))[1]


def test_a_module_with_four_required_inputs_and_no_provider(reference: Rendered) -> None:
    tf = module(reference)
    required = sorted(name for name, v in tf["variable"].items() if "default" not in v)
    assert required == ["cluster_arn", "security_group_ids", "subnet_ids", "vpc_id"]
    assert "provider" not in tf
    aws = tf["terraform"]["required_providers"]["aws"]
    assert aws["source"] == "hashicorp/aws" and aws["version"] == ">= 5.0, < 6.0"  # admits 5.100.0
    # defaults come from the overlays
    assert tf["variable"]["desired_counts"]["default"]["orca"] == 1
    assert tf["variable"]["execution_role_arns"]["default"] == {}


def test_resources_are_keyed_by_service_name(reference: Rendered) -> None:
    tf = module(reference)
    services = tf["locals"]["services"]
    assert sorted(services) == ["clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco"]
    for rtype in ("aws_ecs_task_definition", "aws_ecs_service"):
        assert tf["resource"][rtype]["this"]["for_each"] == "${local.services}"
    assert sorted(tf["locals"]["target_groups"]) == ["deck.public.9000", "gate.public.8084", "gate.x509.8085"]


def test_target_groups_follow_gate_tls_and_the_x509_pass_through(reference: Rendered) -> None:
    groups = module(reference)["locals"]["target_groups"]
    api = groups["gate.public.8084"]
    assert (api["protocol"], api["health_check"]) == (
        "HTTPS",
        {"protocol": "HTTPS", "port": "traffic-port", "path": "/health", "matcher": "200"},
    )
    # the public ALB routes by the hosts browsers use (security.*.overrideBaseUrl)
    assert api["hosts"] == ["api.spinnaker.example.com"]
    assert groups["deck.public.9000"]["hosts"] == ["spinnaker.example.com"]
    x509 = groups["gate.x509.8085"]
    assert (x509["protocol"], x509["health_check"], x509["application"]) == (
        "TCP",
        {"protocol": "TCP", "port": "traffic-port"},
        False,
    )
    assert groups["deck.public.9000"]["health_check"]["path"] == "/"


def test_a_gate_profile_without_tls_moves_the_target_group_with_the_container(tmp_path: Path) -> None:
    # profiles.gate merges last: with server.ssl.enabled false gate speaks HTTP on 8084, and its
    # target group and health check must say so too (an HTTPS target group would find no healthy gate)
    root = layout(tmp_path)
    text = (root / "overlays/layout.yml").read_text().replace("x509: {enabled: true}", "x509: {enabled: false}")
    lines = [ln for ln in text.splitlines(keepends=True) if "{loadBalancer: x509, containerPort: 8085}" not in ln]
    (root / "overlays/layout.yml").write_text("".join(lines))
    (root / "overlays/tls-off.yml").write_text("profiles:\n  gate:\n    server:\n      ssl:\n        enabled: false\n")
    _, rendered = render_ok(root)
    api = module(rendered)["locals"]["target_groups"]["gate.public.8084"]
    assert (api["protocol"], api["health_check"]["protocol"]) == ("HTTP", "HTTP")
    (gate,) = [c for c in json.loads(rendered.files["ecs/gate.containers.json"]) if c["name"] == "gate"]
    assert "http://127.0.0.1:8084/health" in gate["healthCheck"]["command"][1]


def test_the_default_project_registers_the_names_its_spring_files_call() -> None:
    _, rendered = render_ok(REPO)
    tf = module(rendered)
    namespace = tf["locals"]["namespace_name"]
    registered = {svc: f"{s['registry_name']}.{namespace}" for svc, s in tf["locals"]["services"].items()}
    urls = discovered_urls(rendered)
    assert {"clouddriver", "front50", "orca", "rosco", "echo"} <= set(urls)
    for peer, url in urls.items():
        if peer in registered:
            assert urlsplit(url).hostname == registered[peer], peer
    assert "aws_service_discovery_service" in tf["resource"]


def test_the_module_does_not_grow_with_the_number_of_accounts(tmp_path: Path) -> None:
    def accounts(n: int) -> str:
        rows = "".join(
            f"      - {{name: a{i}, accountId: '{100000000000 + i}', assumeRole: role/SpinnakerManaged}}\n"
            for i in range(n)
        )
        return f"providers:\n  aws:\n    enabled: true\n    primaryAccount: a0\n    accounts:\n{rows}"

    small = render_ok(make_project(tmp_path / "small", fargate(extra={"overlays/aws.yml": accounts(2)})))[1]
    large = render_ok(make_project(tmp_path / "large", fargate(extra={"overlays/aws.yml": accounts(300)})))[1]

    def size(rendered: Rendered) -> int:
        return sum(len(data) for path, data in rendered.files.items() if path.startswith("terraform/"))

    # 2 listed roles against one wildcard ARN: the module's size stays put with 150 times the accounts
    assert abs(size(large) - size(small)) < 200
    assert [p for p in small.files if p.startswith("terraform/")] == [
        p for p in large.files if p.startswith("terraform/")
    ]
    policy = json.loads(large.files["iam/clouddriver.task-policy.json"])
    (assume,) = [s for s in policy["Statement"] if s["Action"] == ["sts:AssumeRole"]]
    assert assume["Resource"] == ["arn:aws:iam::*:role/SpinnakerManaged"]  # bounded past 50 roles


@pytest.fixture
def network() -> Any:
    """moto's server with the network the root module owns: VPC, subnets, a cluster, the two load balancers."""
    terraform, mirror = require_tools()
    with moto_server() as endpoint:
        ec2 = boto(endpoint, "ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"][
                "SubnetId"
            ]
            for i, z in enumerate("ab")
        ]
        group = ec2.create_security_group(GroupName="spinnaker", Description="spinnaker", VpcId=vpc)["GroupId"]
        cluster = boto(endpoint, "ecs").create_cluster(clusterName="spinnaker")["cluster"]["clusterArn"]
        elb = boto(endpoint, "elbv2")
        alb = elb.create_load_balancer(Name="public", Subnets=subnets, SecurityGroups=[group], Type="application")
        alb_arn = alb["LoadBalancers"][0]["LoadBalancerArn"]
        listener = elb.create_listener(
            LoadBalancerArn=alb_arn,
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
        )["Listeners"][0]["ListenerArn"]
        inputs = {
            "vpc_id": vpc,
            "subnet_ids": subnets,
            "security_group_ids": [group],  # moto answers 500 to a network configuration without them
            "cluster_arn": cluster,
            "listener_arns": {"public": listener},
        }
        yield terraform, mirror, endpoint, inputs


def apply(network: Any, project: Path) -> Terraform:
    """``spinconf render`` the project, then init, validate and apply a root module calling out/terraform."""
    terraform, mirror, endpoint, inputs = network
    run = subprocess.run(
        [sys.executable, "-m", "spinconf", "render", str(project)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    workdir = project / "infra"
    root_module(workdir, endpoint, project / "out" / "terraform", inputs)
    tf = Terraform(terraform, mirror, workdir)
    tf.run("init", "-input=false")
    tf.run("validate")
    tf.run("apply", "-input=false", "-auto-approve")
    return tf


# attributes of aws_ecs_service that moto 5.2 does not store, so a second plan proposes them again
# (enable_ecs_managed_tags too: moto's create_service ignores enableECSManagedTags)
NOT_STORED = {"availability_zone_rebalancing", "health_check_grace_period_seconds", "enable_ecs_managed_tags"}


def changes_after_apply(tf: Terraform) -> dict[str, set[str]]:
    tf.run("plan", "-input=false", "-out=again.plan")
    plan = tf.show("again.plan")
    changed: dict[str, set[str]] = {}
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions == ["no-op"] or actions == ["read"]:
            continue
        before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
        changed[change["address"]] = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert actions == ["update"], (change["address"], actions)
    return changed


def state_resources(tf: Terraform) -> list[dict[str, Any]]:
    state = tf.show()
    return list(_walk(state["values"]["root_module"]))


def _walk(module: dict[str, Any]) -> Any:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _walk(child)


def test_applied_with_cloud_map(network: Any, tmp_path: Path) -> None:
    project = layout(tmp_path / "project")
    tf = apply(network, project)
    endpoint = network[2]
    out = project / "out"
    _, rendered = render_ok(project)
    services = ["clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco"]

    # services and their task definitions: the containers render wrote, images included
    ecs = boto(endpoint, "ecs")
    arns = ecs.list_services(cluster=network[3]["cluster_arn"])["serviceArns"]
    described = ecs.describe_services(cluster=network[3]["cluster_arn"], services=arns)["services"]
    assert sorted(s["serviceName"] for s in described) == [f"spinnaker-{svc}" for svc in services]
    for found in described:
        svc = found["serviceName"].removeprefix("spinnaker-")
        taskdef = ecs.describe_task_definition(taskDefinition=found["taskDefinition"])["taskDefinition"]
        containers = json.loads((out / f"ecs/{svc}.containers.json").read_text())
        assert [(c["name"], c["image"]) for c in taskdef["containerDefinitions"]] == [
            (c["name"], c["image"]) for c in containers
        ]
        assert taskdef["executionRoleArn"].endswith(f":role/spinnaker-{svc}-execution")
        assert sorted(found["networkConfiguration"]["awsvpcConfiguration"]["subnets"]) == sorted(
            network[3]["subnet_ids"]
        )

    # Cloud Map: the namespace and service names are the names the Spring files call
    discovery = boto(endpoint, "servicediscovery")
    (namespace,) = discovery.list_namespaces()["Namespaces"]
    names = {s["Name"] for s in discovery.list_services()["Services"]}
    called = {urlsplit(url).hostname for peer, url in discovered_urls(rendered).items() if peer in services}
    assert called and called <= {f"{name}.{namespace['Name']}" for name in names}
    assert len(names) == len(services)

    # target groups and the public listener's rules
    elb = boto(endpoint, "elbv2")
    groups = {g["TargetGroupName"]: g for g in elb.describe_target_groups()["TargetGroups"]}
    gate = groups["spinnaker-gate-public-8084"]
    assert (gate["Protocol"], gate["Port"], gate["HealthCheckPath"], gate["TargetType"]) == (
        "HTTPS",
        8084,
        "/health",
        "ip",
    )
    x509 = groups["spinnaker-gate-x509-8085"]
    assert (x509["Protocol"], x509["HealthCheckProtocol"]) == ("TCP", "TCP")
    rules = [
        r for r in elb.describe_rules(ListenerArn=network[3]["listener_arns"]["public"])["Rules"] if not r["IsDefault"]
    ]
    hosts = sorted(v for r in rules for c in r["Conditions"] for v in c.get("HostHeaderConfig", {}).get("Values", []))
    assert hosts == ["api.spinnaker.example.com", "spinnaker.example.com"]

    # roles: each service's execution role reads exactly its secrets; clouddriver assumes the accounts' roles
    iam = boto(endpoint, "iam")
    for svc in services:
        policy = iam.get_role_policy(RoleName=f"spinnaker-{svc}-execution", PolicyName="least-privilege")
        document = policy["PolicyDocument"]
        document = json.loads(document) if isinstance(document, str) else document
        assert document == json.loads((out / f"iam/{svc}.execution-policy.json").read_text())
    secrets = {
        svc: sorted(
            r
            for s in json.loads((out / f"iam/{svc}.execution-policy.json").read_text())["Statement"]
            if s["Sid"] in ("ReadSecrets", "ReadParameters")
            for r in s["Resource"]
        )
        for svc in services
    }
    # the keystore is a file kork fetches itself (task role); its password arrives through ECS (execution role)
    assert secrets["gate"] == ["arn:aws:ssm:eu-west-1:*:parameter/spinnaker/gate-keystore-password"]
    gate_task = iam.get_role_policy(RoleName="spinnaker-gate-task", PolicyName="least-privilege")["PolicyDocument"]
    gate_task = json.loads(gate_task) if isinstance(gate_task, str) else gate_task
    assert [r for st in gate_task["Statement"] for r in st["Resource"]] == [KEYSTORE]
    assert secrets["echo"] == ["arn:aws:ssm:eu-west-1:*:parameter/spinnaker/slack-token"]
    assert secrets["orca"] == []
    task = iam.get_role_policy(RoleName="spinnaker-clouddriver-task", PolicyName="least-privilege")["PolicyDocument"]
    task = json.loads(task) if isinstance(task, str) else task
    (assume,) = [s for s in task["Statement"] if s["Action"] == ["sts:AssumeRole"]]
    assert assume["Resource"] == [
        "arn:aws:iam::123456789012:role/SpinnakerManaged",
        "arn:aws:iam::210987654321:role/SpinnakerManaged",
    ]

    # what moto does not keep, from terraform's state: the deployment settings
    for resource in state_resources(tf):
        if resource["type"] == "aws_ecs_service":
            values = resource["values"]
            assert (values["deployment_minimum_healthy_percent"], values["deployment_maximum_percent"]) == (100, 200)
            assert values["deployment_circuit_breaker"] == [{"enable": True, "rollback": True}]
            assert values["service_registries"][0]["registry_arn"].startswith("arn:aws:servicediscovery:")

    changed = changes_after_apply(tf)
    assert set().union(*changed.values()) <= NOT_STORED
    assert {address.split("[")[0] for address in changed} <= {"module.spinnaker.aws_ecs_service.this"}


def test_applied_with_service_connect(network: Any, tmp_path: Path) -> None:
    project = layout(tmp_path / "project", mode="serviceConnect")
    tf = apply(network, project)
    _, rendered = render_ok(project)
    (namespace,) = boto(network[2], "servicediscovery").list_namespaces()["Namespaces"]
    assert (namespace["Name"], namespace["Type"]) == ("spinnaker.internal", "HTTP")
    # moto keeps no Service Connect settings: terraform's state has them as applied
    aliases = {}
    for resource in state_resources(tf):
        if resource["type"] == "aws_ecs_service":
            (config,) = resource["values"]["service_connect_configuration"]
            assert config["enabled"] is True and config["namespace"] == namespace["Arn"]
            (server,) = config["service"]
            (alias,) = server["client_alias"]
            aliases[resource["index"]] = (alias["dns_name"], alias["port"])
    urls = {peer: url for peer, url in discovered_urls(rendered).items() if peer in aliases}  # the enabled ones
    assert {"clouddriver", "echo", "front50", "orca", "rosco"} <= set(urls)
    for peer, url in urls.items():
        called = urlsplit(url)
        assert aliases[peer] == (called.hostname, called.port), peer
    assert len(set(aliases.values())) == len(aliases)  # each name and port pair is unique in the namespace
    assert aliases["orca"] == ("orca.spinnaker.internal", 8083)
    changed = changes_after_apply(tf)
    assert set().union(*changed.values()) <= NOT_STORED | {"service_connect_configuration"}


def test_the_example_infra_calls_the_rendered_module(tmp_path: Path) -> None:
    terraform, mirror = require_tools()
    project = tmp_path / "fargate-mysql"
    shutil.copytree(REPO / "examples" / "fargate-mysql", project, ignore=shutil.ignore_patterns(".terraform", "out"))
    run = subprocess.run(
        [sys.executable, "-m", "spinconf", "render", str(project)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    tf = Terraform(terraform, mirror, project / "infra")
    tf.run("init", "-input=false", "-backend=false")
    tf.run("validate")
    # the NLB forwards to the module's x509 target group: the key the module outputs
    _, rendered = render_ok(project)
    assert "gate.x509.8085" in module(rendered)["locals"]["target_groups"]


def test_load_balancer_mode_module_validates(tmp_path: Path) -> None:
    terraform, mirror = require_tools()
    attached = "".join(
        f"  {svc}:\n    ecs:\n      loadBalancers: [{{loadBalancer: internal}}]\n"
        for svc in ("clouddriver", "echo", "front50", "orca", "rosco")
    )
    overlay = "ecs:\n  discovery: {mode: loadBalancer}\n  loadBalancers:\n    internal: {internal: true}\nservices:\n"
    project = make_project(tmp_path / "project", fargate(extra={"overlays/lb.yml": overlay + attached}))
    _, rendered = render_ok(project)
    tf = module(rendered)
    assert "aws_service_discovery_service" not in tf.get("resource", {})
    rules = {key: (g["hosts"], g["priority"]) for key, g in tf["locals"]["target_groups"].items()}
    # the internal ALB routes each peer by the host the Spring files call
    assert rules["orca.internal.8083"] == (["orca.spinnaker.internal"], 130)
    run = subprocess.run(
        [sys.executable, "-m", "spinconf", "render", str(project)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    workdir = project / "infra"
    inputs = {"vpc_id": "vpc-1", "subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"], "cluster_arn": "c"}
    root_module(workdir, "http://127.0.0.1:1", project / "out" / "terraform", inputs)
    tf_cli = Terraform(terraform, mirror, workdir)
    tf_cli.run("init", "-input=false", "-backend=false")
    tf_cli.run("validate")


def test_the_module_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    project = layout(tmp_path / "project")
    trees = []
    for seed in ("0", "4242"):
        out = tmp_path / f"out-{seed}"
        run = subprocess.run(
            [sys.executable, "-m", "spinconf", "render", str(project), "--out", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        trees.append({p.name: p.read_bytes() for p in sorted((out / "terraform").iterdir())})
    assert trees[0] == trees[1] and len(trees[0]) == 8
