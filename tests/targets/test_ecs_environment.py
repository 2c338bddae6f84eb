"""Each container gets the environment that fits it: the JVM's options add up, deck gets only its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import make_project, render_ok
from tests.targets.projects import fargate

DD_KEY_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog-api-key-AbCdEf"
USER_OPTIONS = f"""
secrets:
  dd-api-key: {{secretsManager: '{DD_KEY_ARN}'}}
ecs:
  environment:
    JAVA_OPTS: -XX:MaxRAMPercentage=50.0 -Dnetworkaddress.cache.ttl=60
    DD_API_KEY: {{secret: dd-api-key}}
services:
  orca:
    ecs:
      environment:
        JAVA_OPTS: -Xss512k
  deck:
    ecs:
      environment:
        LOG_LEVEL: debug
"""


def _containers(root: Path, svc: str) -> list[dict[str, Any]]:
    _, rendered = render_ok(root)
    taskdef = json.loads(rendered.files[f"ecs/{svc}.taskdef.json"])
    containers: list[dict[str, Any]] = taskdef["containerDefinitions"]
    return containers


def _env(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container["environment"]}


def test_user_jvm_options_are_added_after_spinconfs(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": USER_OPTIONS}))
    (gate,) = _containers(root, "gate")
    # spinconf's first, the user's after: HotSpot takes the last of two settings of one flag, so the user's wins
    assert _env(gate)["JAVA_OPTS"] == (
        "-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -XX:MaxRAMPercentage=50.0 -Dnetworkaddress.cache.ttl=60"
    )
    (orca,) = _containers(root, "orca")
    assert _env(orca)["JAVA_OPTS"].split() == [
        "-XX:MaxRAMPercentage=75.0",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:MaxRAMPercentage=50.0",
        "-Dnetworkaddress.cache.ttl=60",
        "-Xss512k",
    ]


def test_project_wide_environment_reaches_the_java_services_not_deck(tmp_path: Path) -> None:
    root = make_project(tmp_path, fargate(extra={"overlays/observability.yml": USER_OPTIONS}))
    (orca,) = _containers(root, "orca")
    assert _env(orca)["TZ"] == "UTC"
    assert {"name": "DD_API_KEY", "valueFrom": DD_KEY_ARN} in orca["secrets"]
    (deck,) = _containers(root, "deck")
    env = _env(deck)
    # what apache's start script reads, plus what the operator gave deck itself
    assert set(env) == {"API_HOST", "DECK_HOST", "DECK_PORT", "LOG_LEVEL"}
    assert deck["secrets"] == []
    project, rendered = render_ok(root)
    policy = json.loads(rendered.files["iam/deck.execution-policy.json"])
    assert DD_KEY_ARN not in json.dumps(policy)
    # the set-up works, and says where the key belongs instead
    (warning,) = [d.text() for d in project.diagnostics.sorted() if d.code == "observability-key-in-service-env"]
    assert warning.startswith("overlays/observability.yml:7:5: warning: DD_API_KEY here reaches the services' own")
