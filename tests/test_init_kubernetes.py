"""`spinconf init` offers the Kubernetes target and Kubernetes Secrets beside ECS (issue 20)."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from tests.test_init import uncomment

runner = CliRunner()


def test_the_commented_kubernetes_target_works_once_uncommented(tmp_path: Path) -> None:
    root = tmp_path / "spinnaker"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    for rel in ("overlays/kubernetes.yml", "overlays/secrets.yml"):
        path = root / rel
        path.write_text("".join(uncomment(line) for line in path.read_text().splitlines(keepends=True)))
    secrets = yaml.safe_load((root / "overlays/secrets.yml").read_text())["secrets"]
    assert secrets["github-token"] == {"kubernetesSecret": "spinnaker-secrets", "key": "github-token"}
    result = runner.invoke(app, ["render", str(root)])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    component = yaml.safe_load((root / "out/kubernetes/kustomization.yml").read_text())
    assert component["kind"] == "Component"
    assert not list((root / "out").rglob("Dockerfile"))
