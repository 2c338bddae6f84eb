"""Build a user's kustomization around spinconf's kubernetes/ component with ``kubectl kustomize``.

The bases under tests/fixtures/kustomize are small stand-ins written for these tests, with the
generator, Deployment and image names of spinnaker/kustomization-base and spinnaker/spinnaker-kustomize.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import REPO

FIXTURES = REPO / "tests" / "fixtures" / "kustomize"
KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed: kustomize builds not checked")

# what a user's own kustomization.yml says today, with spinconf's folder listed as a component
USER_KUSTOMIZATION = {
    "kustomization-base": "resources:\n- base/core\n",
    "spinnaker-kustomize": "resources:\n- base/base\n",
}


def build(tmp: Path, base: str, component: Path, namespace: str = "spinnaker") -> list[dict[str, Any]]:
    """Lay out base + component + the user's kustomization in ``tmp``; return the built objects."""
    assert KUBECTL is not None
    shutil.copytree(FIXTURES / base, tmp / "base")
    shutil.copytree(component, tmp / "spinconf")
    (tmp / "kustomization.yml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"namespace: {namespace}\n{USER_KUSTOMIZATION[base]}components:\n- spinconf\n"
    )
    proc = subprocess.run([KUBECTL, "kustomize", str(tmp)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return [doc for doc in yaml.safe_load_all(proc.stdout) if doc]


def find(objects: list[dict[str, Any]], kind: str, prefix: str) -> dict[str, Any]:
    """The object of ``kind`` whose name is ``prefix`` plus kustomize's hash suffix (or exactly ``prefix``)."""
    for obj in objects:
        name = obj["metadata"]["name"]
        if obj["kind"] == kind and (name == prefix or name.rsplit("-", 1)[0] == prefix):
            return obj
    raise AssertionError(f"no {kind} {prefix}")


def data(obj: dict[str, Any]) -> dict[str, str]:
    """A ConfigMap's or Secret's files as text."""
    if obj["kind"] == "Secret":
        return {k: base64.b64decode(v).decode() for k, v in (obj.get("data") or {}).items()}
    return dict(obj.get("data") or {})


def deployments(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == "Deployment"}


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = deployment["spec"]["template"]["spec"]["containers"][0]
    return found
