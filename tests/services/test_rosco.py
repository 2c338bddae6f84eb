"""rosco.yml: the bakery providers pass through; rosco's redis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import contains, make_project, render_ok, service_doc

AWS = """
providers:
  aws:
    enabled: true
    accounts: [{name: prod, accountId: '123456789012', regions: [{name: eu-west-1}]}]
    bakeryDefaults:
      awsSubnetId: subnet-0abc
      templateFile: aws-ebs.json
  kubernetes:
    enabled: true
    accounts: [{name: k8s, kubeconfigFile: /k/config}]
"""


def rosco_yml(tmp_path: Path, overlay: str) -> Any:
    root = make_project(tmp_path / "project", {"overlays/main.yml": overlay})
    _, rendered = render_ok(root)
    return service_doc(rendered, "rosco")


CASES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    (
        "aws bakery defaults",
        AWS,
        {"aws": {"enabled": True, "bakeryDefaults": {"awsSubnetId": "subnet-0abc", "templateFile": "aws-ebs.json"}}},
        # rosco bakes no kubernetes images
        ["kubernetes", "redis"],
    ),
    (
        "redis from the environment",
        "services: {rosco: {redis: {url: {env: ROSCO_REDIS_URL, default: 'redis://localhost:6379'}}}}\n",
        {"redis": {"connection": "${ROSCO_REDIS_URL:redis://localhost:6379}"}},
        ["server"],  # the release's default port needs no server.port
    ),
    (
        "another port",
        "services: {rosco: {port: 8187}}\n",
        {"server": {"port": 8187}},
        [],
    ),
]


@pytest.mark.parametrize(("overlay", "want", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rosco_profile(tmp_path: Path, overlay: str, want: dict[str, Any], absent: list[str]) -> None:
    doc = rosco_yml(tmp_path, overlay)
    assert contains(want, doc) == []
    for key in absent:
        assert key not in doc, f"{key} should not be set: {doc}"
