"""`import-hal` for a Halyard deployment on Kubernetes: secrets offered as keys of a Kubernetes Secret (issue 20)."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from tests.test_halimport import HAL_HOME, HAL_SECRETS

runner = CliRunner()


def test_a_kubernetes_deployment_is_offered_kubernetes_secrets(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import-hal", str(HAL_HOME), "--to", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "ran on Kubernetes" in result.output and "--kubernetes-secret" in result.output


def test_secrets_become_keys_of_the_named_kubernetes_secret(tmp_path: Path) -> None:
    root = tmp_path / "p"
    result = runner.invoke(app, ["import-hal", str(HAL_HOME), "--to", str(root), "--kubernetes-secret", "spin-hal"])
    assert result.exit_code == 0, result.output
    secrets = yaml.safe_load((root / "overlays/secrets.yml").read_text())["secrets"]
    assert secrets["slack-token"] == {"kubernetesSecret": "spin-hal", "key": "slack-token"}
    assert all(s["kubernetesSecret"] == "spin-hal" and s["key"] == name for name, s in secrets.items())
    assert len(secrets) == len(HAL_SECRETS)
    assert "SSM" not in result.output
    assert "create secret generic spin-hal" in result.output and "slack-token" in result.output
    written = b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())
    for value in HAL_SECRETS:
        assert value.encode() not in written and value not in result.output, value


def test_a_bad_secret_name_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import-hal", str(HAL_HOME), "--to", str(tmp_path / "p"), "--kubernetes-secret", "Bad_Name"]
    )
    assert result.exit_code == 2
    assert "not a Kubernetes Secret name" in result.output
