"""`spinconf fix`: Halyard forms, unique typos and renamed keys rewritten in place, comments kept."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import REPO, make_project

FIXTURE = REPO / "tests/fixtures/fix/commented"
runner = CliRunner()


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def _comments(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"#(.*)$", text, re.MULTILINE)]


def test_validate_says_which_diagnostics_fix_repairs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(_copy(tmp_path))])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines and all("`spinconf fix`" in line for line in lines), lines
    assert any(line.startswith("overlays/halyard.yml:14:5:") and "did you mean 'accounts'" in line for line in lines)


def test_check_writes_nothing_and_fails(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    before = (root / "overlays/halyard.yml").read_bytes()
    result = runner.invoke(app, ["fix", str(root), "--check", "--diff"])
    assert result.exit_code == 1
    assert "-  persistentStoreType: s3" in result.output and "+    enabled: true" in result.output
    assert (root / "overlays/halyard.yml").read_bytes() == before


def test_fix_keeps_comments_order_and_quotes_and_the_project_validates(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    original = (root / "overlays/halyard.yml").read_text()
    result = runner.invoke(app, ["fix", str(root)])
    assert result.exit_code == 0, result.output
    fixed = (root / "overlays/halyard.yml").read_text()
    assert _comments(fixed) == _comments(original)  # every comment, in order
    assert "timezone: 'Europe/Berlin'" in fixed and 'bucket: "acme-front50"' in fixed
    data = yaml.safe_load(fixed)
    assert list(data) == ["timezone", "persistentStorage", "providers", "canary", "notifications", "features"]
    assert data["persistentStorage"] == {"s3": {"enabled": True, "bucket": "acme-front50", "region": "eu-west-1"}}
    assert data["providers"]["kubernetes"]["accounts"][0] == {
        "name": "eks",
        "context": "eks-prod",
        "kubeconfigFile": "/home/spinnaker/.kube/config",
    }
    assert list(data["canary"]["serviceIntegrations"]) == ["prometheus", "aws"]
    assert data["canary"]["storageAccountName"] == "canary-s3"
    assert data["notifications"] == {"githubStatus": {"enabled": False}}
    assert data["features"] == {"chaos": False}
    validated = runner.invoke(app, ["validate", str(root)])
    assert validated.exit_code == 0, validated.output


def test_fix_is_idempotent(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert runner.invoke(app, ["fix", str(root)]).exit_code == 0
    once = (root / "overlays/halyard.yml").read_bytes()
    again = runner.invoke(app, ["fix", str(root), "--check"])
    assert again.exit_code == 0, again.output
    assert runner.invoke(app, ["fix", str(root)]).exit_code == 0
    assert (root / "overlays/halyard.yml").read_bytes() == once


def test_an_ambiguous_typo_is_left_alone(tmp_path: Path) -> None:
    # `chaoss` is close to one key of features; `defaultMetrics` to two of canary's: only the first is renamed
    overlay = "features:\n  chaoss: true  # keep\ncanary:\n  defaultMetrics: prom\n"
    root = make_project(tmp_path / "p", {"overlays/a.yml": overlay}, "plaintextSecrets: warn\n")
    result = runner.invoke(app, ["validate", str(root)])
    ambiguous = [line for line in result.output.splitlines() if "defaultMetrics'" in line]
    assert ambiguous and "spinconf fix" not in ambiguous[0]
    runner.invoke(app, ["fix", str(root)])
    data = yaml.safe_load((root / "overlays/a.yml").read_text())
    assert data == {"features": {"chaos": True}, "canary": {"defaultMetrics": "prom"}}
    assert "# keep" in (root / "overlays/a.yml").read_text()


def test_fix_does_not_import_ruamel_for_validate() -> None:
    code = "import sys, spinconf.cli; from spinconf.loader import load_project; print('ruamel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_hal_cli_spelling_of_the_oauth2_provider_and_oraclebmcs(tmp_path: Path) -> None:
    overlay = (
        "security:\n  authn:\n    oauth2:\n      provider: google   # hal config security authn oauth2 edit\n"
        "providers:\n  oraclebmcs:\n    enabled: false\n"
    )
    root = make_project(tmp_path / "p", {"overlays/a.yml": overlay}, "plaintextSecrets: warn\n")
    result = runner.invoke(app, ["fix", str(root)])
    assert result.exit_code == 0, result.output
    text = (root / "overlays/a.yml").read_text()
    assert yaml.safe_load(text) == {
        "security": {"authn": {"oauth2": {"provider": "GOOGLE"}}},
        "providers": {"oracle": {"enabled": False}},
    }
    assert "# hal config security authn oauth2 edit" in text


def test_environment_overlays_are_fixed_too_and_a_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        {
            "overlays/a.yml": "timezone: UTC\n",
            "environments/prod/b.yml": "notifications:\n  github-status: {enabled: true}\n",
        },
        "plaintextSecrets: warn\n",
    )
    result = runner.invoke(app, ["fix", str(root)])
    assert result.exit_code == 0 and "environments/prod/b.yml: notifications.github-status" in result.output
    assert yaml.safe_load((root / "environments/prod/b.yml").read_text()) == {
        "notifications": {"githubStatus": {"enabled": True}}
    }
    assert (root / "overlays/a.yml").read_text() == "timezone: UTC\n"  # nothing to fix: not rewritten
    assert runner.invoke(app, ["fix", str(tmp_path / "nope")]).exit_code == 2


def test_a_v1_kubernetes_account_is_not_claimed_fixable(tmp_path: Path) -> None:
    overlay = (
        "providers:\n  kubernetes:\n    accounts:\n"
        "      - name: a\n        providerVersion: V1\n      - name: b\n        providerVersion: V2\n"
    )
    root = make_project(tmp_path / "p", {"overlays/a.yml": overlay}, "plaintextSecrets: warn\n")
    lines = [
        line for line in runner.invoke(app, ["validate", str(root)]).output.splitlines() if "providerVersion" in line
    ]
    assert len(lines) == 2
    assert lines[0].startswith("overlays/a.yml:5:") and "spinconf fix" not in lines[0]
    assert lines[1].startswith("overlays/a.yml:7:") and "`spinconf fix` rewrites it" in lines[1]
    runner.invoke(app, ["fix", str(root)])
    accounts = yaml.safe_load((root / "overlays/a.yml").read_text())["providers"]["kubernetes"]["accounts"]
    assert accounts == [{"name": "a", "providerVersion": "V1"}, {"name": "b"}]


def test_the_second_oauth_spelling_old_halyard_wrote_is_merged_into_one_key(tmp_path: Path) -> None:
    # Halyard before 1.22 wrote oAuthScopes and oauthScopes both (KubernetesAccount.java: "whichever came
    # last in the file would end up taking precedence"); one account has them equal, one not
    overlay = (
        "providers:\n  kubernetes:\n    enabled: true\n    accounts:\n"
        "    - name: a\n      context: c\n      oAuthScopes: [x]  # scopes\n      oauthScopes: [x]\n"
        "      oAuthServiceAccount: sa\n      oauthServiceAccount: sa\n"
        "    - name: b\n      context: c\n      oAuthScopes: [old]\n      oauthScopes: [new]  # the one hal read\n"
    )
    root = make_project(tmp_path / "p", {"overlays/a.yml": overlay}, "plaintextSecrets: warn\n")
    result = runner.invoke(app, ["validate", str(root)])
    lines = [line for line in result.output.splitlines() if "oauthS" in line]
    assert lines and lines[0].startswith("overlays/a.yml:8:7:") and "(`spinconf fix` rewrites it)" in lines[0]
    assert runner.invoke(app, ["fix", str(root)]).exit_code == 0
    text = (root / "overlays/a.yml").read_text()
    accounts = yaml.safe_load(text)["providers"]["kubernetes"]["accounts"]
    assert accounts[0] == {"name": "a", "context": "c", "oAuthScopes": ["x"], "oAuthServiceAccount": "sa"}
    assert accounts[1] == {"name": "b", "context": "c", "oAuthScopes": ["new"]}
    assert "# scopes" in text and "# the one hal read" in text
    validated = runner.invoke(app, ["validate", str(root)])
    assert validated.exit_code == 0, validated.output
    assert runner.invoke(app, ["fix", str(root), "--check"]).exit_code == 0
