"""docs/reference.md's "lands in" column, checked against a render: set a key, see which files change."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinconf.reference import entries
from tests.helpers import REPO, render_ok

EXAMPLE = REPO / "examples" / "fargate-mysql"

# key (not set by the example) -> a value that differs from its default and keeps the project valid
KEYS: dict[str, Any] = {
    "services.deck.ecs": {"cpu": 512, "memory": 1024},
    "services.echo.ecs.memory": 3072,
    "services.gate.ecs.environment": {"FOO": "bar"},
    "services.gate.ecs.taskRoleArn": "arn:aws:iam::123456789012:role/gate",
    "services.gate.ecs.desiredCount": 3,
    "services.gate.ecs.assignPublicIp": True,
    "services.gate.ecs.healthCheckGracePeriodSeconds": 600,
    "services.echo.ecs.subnets": ["subnet-0a1b2c3d4e5f69999"],
    "services.gate.port": 8090,  # 8085 is the example x509 port
    "services.deck.port": 9001,
    "services.deck.image": "registry.example.com/deck:1",
    "services.gate.enabled": True,
}


def files_of(label: str, svc_files: set[str]) -> set[str]:
    """The rendered paths a "lands in" label names."""
    if label == "spinnaker.yml":
        return {f for f in svc_files if f.endswith("/spinnaker.yml")}
    if label == "deck settings.js":
        return {"services/deck/settings.js"}
    if m := re.fullmatch(r"ECS task definition of (\w+)", label):
        return {f"ecs/{m[1]}.taskdef.json", f"ecs/{m[1]}.containers.json"}
    if m := re.fullmatch(r"ECS service of (\w+)", label):
        # service.json where it can be used as it stands, and the Terraform module's aws_ecs_service
        return {f"ecs/{m[1]}.service.json"} | {f for f in svc_files if f.startswith("terraform/")}
    if m := re.fullmatch(r"(\w+)\.yml", label):
        return {f"services/{m[1]}/{label}"}
    return {label}


def normalised(rel: str, data: bytes) -> Any:
    """A file's content without what every change moves: comments, and image tags (a hash of the
    build context, so a change to gate.yml also moves gate's task definition's image)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "image"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    if rel.endswith(".json"):
        return strip(json.loads(data))
    if rel.endswith(".yml"):
        return yaml.safe_load(data)
    return [ln for ln in data.decode().splitlines() if not ln.startswith(("#", "//"))]


@pytest.fixture(scope="module")
def base() -> dict[str, bytes]:
    return render_ok(EXAMPLE)[1].files


@pytest.mark.parametrize("key", sorted(KEYS))
def test_a_key_lands_where_the_reference_says(key: str, base: dict[str, bytes], tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(EXAMPLE, root)
    doc: Any = KEYS[key]
    for part in reversed(key.split(".")):
        doc = {part: doc}
    (root / "overlays/zz-extra.yml").write_text(yaml.safe_dump(doc))
    files = render_ok(root)[1].files
    # the manifest lists every file; terraform/ mirrors ecs/ (the module's own reference), and is
    # where an ECS service's settings land when service.json is not written (Terraform's network)
    changed = {
        rel
        for rel in set(base) | set(files)
        if rel != "manifest.json"
        and (rel not in base or rel not in files or normalised(rel, base[rel]) != normalised(rel, files[rel]))
    }
    (entry,) = [e for e in entries() if e.path == key]
    if not any(label.startswith("ECS service of") for label in entry.files):
        changed = {rel for rel in changed if not rel.startswith("terraform/")}
    if key == "services.gate.enabled":  # already the default: lands nowhere new
        assert changed == set()
        return
    claimed = {label: files_of(label, set(files)) for label in entry.files}
    assert changed, f"{key}: nothing changed; pick another value"
    uncovered = changed - set().union(*claimed.values())
    assert uncovered == set(), f"{key} lands in {sorted(uncovered)}, which docs/reference.md does not say"
    unused = [label for label, paths in claimed.items() if not paths & changed]
    assert unused == [], f"docs/reference.md says {key} lands in {unused}; it does not"
