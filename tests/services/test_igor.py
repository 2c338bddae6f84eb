"""igor.yml: CI masters, artifactory, docker registry polling and redis; igor runs only when needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import contains, make_project, render_ok, service_doc

SECRETS = """
secrets:
  jenkins-password:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/jenkins
"""


def render(tmp_path: Path, overlay: str) -> Any:
    root = make_project(tmp_path / "project", {"overlays/main.yml": f"{overlay}{SECRETS}"})
    _, rendered = render_ok(root)
    return rendered


CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "jenkins with redis",
        "ci:\n  jenkins:\n    enabled: true\n    masters:\n    - name: ci\n      address: https://jenkins.internal\n"
        "      username: spinnaker\n      password: {secret: jenkins-password}\n"
        "services: {igor: {redis: {url: 'redis://igor-redis.internal:6379'}}}\n",
        {
            "jenkins": {
                "enabled": True,
                "masters": [
                    {
                        "name": "ci",
                        "address": "https://jenkins.internal",
                        "username": "spinnaker",
                        "password": "${SPINCONF_SECRET_JENKINS_PASSWORD}",
                    }
                ],
            },
            "redis": {"connection": "redis://igor-redis.internal:6379"},
            "services": {"redis": {"baseUrl": "redis://igor-redis.internal:6379"}},
        },
    ),
    (
        "docker registry: only the switch, the accounts live in clouddriver",
        "providers:\n  dockerRegistry:\n    enabled: true\n    accounts: [{name: hub, address: 'https://index.docker.io'}]\n",
        {"dockerRegistry": {"enabled": True}},
    ),
    (
        "artifactory alone starts igor",
        "repository:\n  artifactory:\n    enabled: true\n    searches: [{name: libs, baseUrl: 'https://af.internal', "
        "repo: libs-release, groupId: com.example}]\n",
        {"artifactory": {"enabled": True, "searches": [{"name": "libs", "repo": "libs-release"}]}},
    ),
]


@pytest.mark.parametrize(("overlay", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_igor_profile(tmp_path: Path, overlay: str, want: dict[str, Any]) -> None:
    doc = service_doc(render(tmp_path, overlay), "igor")
    assert contains(want, doc) == []


def test_docker_registry_accounts_stay_out_of_igor(tmp_path: Path) -> None:
    doc = service_doc(render(tmp_path, CASES[1][1]), "igor")
    assert doc["dockerRegistry"] == {"enabled": True}


def test_igor_is_not_rendered_without_ci(tmp_path: Path) -> None:
    rendered = render(tmp_path, "artifacts:\n  templates: [{name: t, templatePath: /opt/t.jinja}]\n")
    assert "services/igor/igor.yml" not in rendered.files
    assert "services/clouddriver/clouddriver.yml" in rendered.files
