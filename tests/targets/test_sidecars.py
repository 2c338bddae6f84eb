"""Sidecars: extra containers per service and project-wide, validated like the service's own container."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinconf.render import Rendered
from tests.helpers import load, make_project, render_ok
from tests.targets.ecs_validation import assert_valid_task_definitions
from tests.targets.projects import containers, fargate, taskdef

PROXY_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/proxy-token"
SIDECARS = f"""
secrets:
  proxy-token: {{ssm: '{PROXY_ARN}'}}
ecs:
  sidecars:
    egress-proxy:
      image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/egress-proxy@sha256:{"a" * 64}
      command: [--listen, "127.0.0.1:3128"]
      environment:
        UPSTREAM: proxy.internal:3128
        PROXY_TOKEN: {{secret: proxy-token}}
      cpu: 128
      memory: 512
      essential: true
      portMappings: [{{containerPort: 3128}}]
      healthCheck: {{command: [CMD-SHELL, "nc -z 127.0.0.1 3128"]}}
services:
  clouddriver:
    ecs:
      sidecars:
        egress-proxy: {{memory: 1024}}
        token-refresher:
          image: public.ecr.aws/example/token-refresher:1.2.3
          dependsOn: [{{containerName: egress-proxy, condition: HEALTHY}}]
          essential: false
  echo:
    ecs:
      sidecars:
        egress-proxy: {{enabled: false}}
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = make_project(tmp_path_factory.mktemp("sidecars"), fargate(extra={"overlays/sidecars.yml": SIDECARS}))
    return render_ok(root)[1]


def test_sidecars_register_on_fargate(rendered: Rendered) -> None:
    services = sorted(
        p.split("/")[1].removesuffix(".taskdef.json") for p in rendered.files if p.endswith(".taskdef.json")
    )
    assert_valid_task_definitions([taskdef(rendered, svc) for svc in services])


def test_project_wide_sidecar_reaches_the_java_services_not_deck(rendered: Rendered) -> None:
    assert set(containers(rendered, "orca")) == {"orca", "egress-proxy"}
    assert set(containers(rendered, "gate")) == {"gate", "egress-proxy"}
    assert set(containers(rendered, "deck")) == {"deck"}
    assert set(containers(rendered, "echo")) == {"echo"}  # switched off for echo
    proxy = containers(rendered, "orca")["egress-proxy"]
    assert proxy["command"] == ["--listen", "127.0.0.1:3128"]
    assert proxy["environment"] == [{"name": "UPSTREAM", "value": "proxy.internal:3128"}]
    assert proxy["secrets"] == [{"name": "PROXY_TOKEN", "valueFrom": PROXY_ARN}]
    assert (proxy["cpu"], proxy["memory"], proxy["essential"]) == (128, 512, True)
    assert proxy["portMappings"] == [
        {"name": "egress-proxy-3128", "containerPort": 3128, "hostPort": 3128, "protocol": "tcp"}
    ]
    assert proxy["healthCheck"]["command"] == ["CMD-SHELL", "nc -z 127.0.0.1 3128"]


def test_secrets_stay_with_their_container(rendered: Rendered) -> None:
    orca = containers(rendered, "orca")["orca"]
    assert PROXY_ARN not in json.dumps(orca)
    assert PROXY_ARN in rendered.files["iam/orca.execution-policy.json"].decode()
    assert PROXY_ARN not in rendered.files["iam/deck.execution-policy.json"].decode()
    assert PROXY_ARN not in rendered.files["iam/echo.execution-policy.json"].decode()


def test_a_service_changes_and_adds_its_own(rendered: Rendered) -> None:
    found = containers(rendered, "clouddriver")
    assert list(found) == ["clouddriver", "egress-proxy", "token-refresher"]
    assert found["egress-proxy"]["memory"] == 1024  # the service's value, the rest project-wide
    assert found["egress-proxy"]["image"].endswith("a" * 64)
    refresher = found["token-refresher"]
    assert refresher["dependsOn"] == [{"containerName": "egress-proxy", "condition": "HEALTHY"}]
    assert refresher["essential"] is False and "memory" not in refresher


def test_task_size_holds_the_sidecars(rendered: Rendered) -> None:
    # clouddriver's default 2048/8192 plus the proxy's cpu 128 and memory 1024
    task = taskdef(rendered, "clouddriver")
    assert (task["cpu"], task["memory"]) == ("4096", "9216")
    assert containers(rendered, "clouddriver")["clouddriver"]["memory"] == 9216 - 1024
    orca = taskdef(rendered, "orca")
    assert (orca["cpu"], orca["memory"]) == ("2048", "5120")
    assert containers(rendered, "orca")["orca"]["memory"] == 5120 - 512
    # no sidecar, no container limit: the task's memory is the service's
    assert "memory" not in containers(rendered, "echo")["echo"]


def test_containers_json_holds_every_container(rendered: Rendered) -> None:
    for svc in ("clouddriver", "orca", "deck"):
        listed = json.loads(rendered.files[f"ecs/{svc}.containers.json"])
        assert listed == taskdef(rendered, svc)["containerDefinitions"]


def test_deck_gets_a_sidecar_only_when_asked(tmp_path: Path) -> None:
    asked = SIDECARS.replace("      essential: true\n", "      essential: true\n      services: [deck, gate]\n")
    root = make_project(tmp_path, fargate(extra={"overlays/sidecars.yml": asked}))
    _, rendered = render_ok(root)
    assert set(containers(rendered, "deck")) == {"deck", "egress-proxy"}
    assert set(containers(rendered, "orca")) == {"orca"}
    # deck's default 256/512 cannot hold a 128-cpu, 512 MiB proxy: the task grows to a valid pair
    deck = taskdef(rendered, "deck")
    assert (deck["cpu"], deck["memory"]) == ("512", "1024")


BAD = """
ecs:
  sidecars:
    no-image:
      memory: 128
services:
  gate:
    ecs:
      cpu: 512
      memory: 1024
      sidecars:
        gate: {image: busybox:1.36}
        waits:
          image: busybox:1.36
          dependsOn: [{containerName: nowhere}]
        healthy:
          image: busybox:1.36
          dependsOn: [{containerName: no-image, condition: HEALTHY}]
        clash:
          image: busybox:1.36
          portMappings: [{containerPort: 8084}, {containerPort: 8085}]
        big:
          image: busybox:1.36
          memory: 768
security:
  authn:
    x509: {enabled: true}
  apiSecurity:  # gate ends TLS itself, so kork opens the x509 port (default.apiPort) beside 8084
    ssl: {enabled: true, keyStore: /opt/spinnaker/certs/gate.jks, trustStore: /opt/spinnaker/certs/ca.jks}
"""


def test_bad_sidecars_are_reported_at_their_lines(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(extra={"overlays/sidecars.yml": BAD}))
    project = load(root)
    texts = [d.text() for d in project.diagnostics.sorted() if d.is_error]
    joined = "\n".join(texts)
    assert not project.valid
    # a project-wide sidecar's problem once, at its own line, not once per task
    missing = [t for t in texts if "[sidecar-image-missing]" in t]
    assert missing == [
        "overlays/sidecars.yml:4:5: error: sidecar 'no-image' has no image "
        "(in clouddriver's task and any other it is in) [sidecar-image-missing]"
    ]
    assert (
        "overlays/sidecars.yml:12:9: error: sidecar 'gate' of gate's task is the service's own container [sidecar-name]"
        in joined
    )
    assert (
        "overlays/sidecars.yml:15:23: error: sidecar 'waits' depends on 'nowhere', which is not a container" in joined
    )
    assert (
        "overlays/sidecars.yml:18:23: error: sidecar 'healthy' waits for 'no-image' to be HEALTHY, but 'no-image' "
        "has no healthCheck [sidecar-depends-on]" in joined
    )
    assert "overlays/sidecars.yml:21:26: error: sidecar 'clash' maps port 8084, which gate already uses" in joined
    assert "in gate's task (one network namespace: each port once) [sidecar-port]" in joined
    # gate's second port, for x509 client certificates, counts too
    assert "overlays/sidecars.yml:21:49: error: sidecar 'clash' maps port 8085, which gate already uses" in joined
    assert (
        "overlays/sidecars.yml:10:7: error: gate's task has memory 1024 MiB and its sidecars "
        "(big, clash, gate, healthy, no-image, waits) take 896: 128 MiB is left for gate (at least 512); "
        "raise services.gate.ecs.memory [sidecar-task-size]" in joined
    )


def test_localhost_is_fine_for_a_sidecar_of_the_same_task(tmp_path: Path) -> None:
    profile = """
    profiles:
      orca:
        proxy:
          url: http://localhost:3128
      gate:
        proxy:
          url: http://localhost:3128
    """
    only_orca = SIDECARS.replace("      essential: true\n", "      essential: true\n      services: [orca]\n")
    root = make_project(tmp_path, fargate(extra={"overlays/sidecars.yml": only_orca, "overlays/profiles.yml": profile}))
    project = load(root)
    from spinconf.render import render_project

    render_project(project)
    errors = [d.text() for d in project.diagnostics.sorted() if d.is_error]
    assert len(errors) == 1, errors
    assert "gate's proxy.url is http://localhost:3128: on Fargate that is its own task [ecs-localhost]" in errors[0]


def test_a_cpu_given_alone_takes_the_smallest_memory_that_holds_the_sidecars(tmp_path: Path) -> None:
    # orca's default memory (4096) is no size for cpu 4096 (8192-30720): with sidecars the task takes
    # the smallest that fits, and the size rule (checks/ecs.py, targets/ecs.task_layout) agrees
    own = "services:\n  orca:\n    ecs: {cpu: 4096}\n"
    root = make_project(tmp_path, fargate(extra={"overlays/sidecars.yml": SIDECARS, "overlays/orca.yml": own}))
    project, rendered = render_ok(root)
    assert not [d for d in project.diagnostics.sorted() if d.code == "ecs-task-size-invalid"]
    task = taskdef(rendered, "orca")
    assert (task["cpu"], task["memory"]) == ("4096", "8192")
