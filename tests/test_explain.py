"""`spinconf explain`: the final value of a rendered key and the overlay line (or rule) it came from."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

FILES = {
    "overlays/providers/k8s-a.yml": """\
        providers:
          kubernetes:
            enabled: true
            accounts:
              - name: prod
                context: prod-ctx
        """,
    "overlays/providers/k8s-b.yml": """\
        providers:
          kubernetes:
            accounts:
              - name: staging
                context: staging-ctx
        """,
    "overlays/security.yml": """\
        security:
          apiSecurity:
            overrideBaseUrl: https://api.spinnaker.example.com
        """,
    "overlays/profiles.yml": """\
        profiles:
          clouddriver:
            kubernetes:
              cacheThreads: 4
        """,
    "environments/prod/k8s.yml": """\
        providers:
          kubernetes:
            accounts:
              - name: staging
                context: staging-ctx-2
        """,
}


def _explain(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["explain", *args, str(root)])
    return result.exit_code, result.output


def test_merged_named_list_item_names_its_file_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "clouddriver", "kubernetes.accounts.1.context")
    assert code == 0
    assert "= staging-ctx" in out
    assert "overlays/providers/k8s-b.yml:5" in out


def test_environment_layer_wins_and_is_named(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    result = runner.invoke(app, ["explain", "clouddriver", "kubernetes.accounts.1.context", str(root), "--env", "prod"])
    assert result.exit_code == 0, result.output
    assert "= staging-ctx-2" in result.output and "environments/prod/k8s.yml:5" in result.output


def test_profile_value_names_the_profile_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "clouddriver", "kubernetes.cacheThreads")
    assert code == 0 and "= 4" in out and "overlays/profiles.yml:4" in out


def test_shared_file_base_url_names_the_rule(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "spinnaker", "services.gate.baseUrl")
    assert code == 0
    assert "= https://api.spinnaker.example.com" in out
    assert "overlays/security.yml:3 (security.apiSecurity.overrideBaseUrl)" in out


def test_derived_key_names_the_rule_not_a_lookalike(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "spinnaker", "services.clouddriver.enabled")
    assert code == 0 and "derived by spinconf" in out


def test_unknown_key_exits_1(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, _ = _explain(root, "clouddriver", "no.such.key")
    assert code == 1


def test_deck_gate_url_names_the_override(tmp_path: Path) -> None:
    root = make_project(tmp_path, FILES)
    code, out = _explain(root, "deck", "gateUrl")
    assert code == 0
    assert "= https://api.spinnaker.example.com" in out
    assert "overlays/security.yml:3 (security.apiSecurity.overrideBaseUrl)" in out
