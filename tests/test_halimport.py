"""`spinconf import-hal`: a Halyard halconfig becomes a project that validates and renders like the original."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.halimport import import_hal, write_imported
from tests.helpers import REPO, assert_modeline_schema_accepts, render_ok

KLEAT_HALCONFIG = REPO / "tests/conformance/kleat/testdata/halconfig.yml"
HAL_HOME = REPO / "tests/fixtures/halyard/.hal"
HAL_DIRECT = REPO / "tests/fixtures/halyard/direct"
# every plain-text secret of the Halyard fixture: none may appear in anything import-hal writes or prints
HAL_SECRETS = [
    "hunter2-docker",
    "s3-plaintext-secret",
    "dd-plaintext-api-key",
    "xoxb-plaintext-slack-token",
    "ghp-plaintext-status-token",
    "jenkins-plaintext-password",
    "oauth-plaintext-client-secret",
    "ghp-plaintext-artifact-token",
    "clouddriver-plaintext-db-password",
    "clouddriver-env-plaintext-password",
    "redis-plaintext-password",
]
SECRET_PLACEHOLDER = re.compile(r"\$\{SPINCONF_SECRET_[A-Z0-9_]+\}")
runner = CliRunner()


def imported_project(halconfig: Path, to: Path, deployment: str | None = None) -> Path:
    write_imported(import_hal(halconfig, deployment), to)
    return to


def direct_project(halconfig: Path, tmp_path: Path) -> Path:
    root = tmp_path / "direct"
    (root / "overlays").mkdir(parents=True)
    shutil.copy(halconfig, root / "overlays" / "halconfig.yml")
    (root / "spinconf.yml").write_text("plaintextSecrets: warn\n")
    return root


def differences(imported: Any, direct: Any, path: str = "") -> list[str]:
    """Where two re-parsed documents differ; a secret placeholder on the import side stands for any text."""
    if isinstance(imported, str) and SECRET_PLACEHOLDER.search(imported):
        pattern = "^" + ".+".join(re.escape(part) for part in SECRET_PLACEHOLDER.split(imported)) + "$"
        ok = isinstance(direct, str) and re.match(pattern, direct) is not None
        return (
            [] if ok else [f"{path}: import {imported!r}, direct {'<text>' if isinstance(direct, str) else direct!r}"]
        )
    if isinstance(imported, dict) and isinstance(direct, dict):
        out = [
            f"{path}.{k}: only in {'import' if k in imported else 'direct'}" for k in imported.keys() ^ direct.keys()
        ]
        for key in imported.keys() & direct.keys():
            out += differences(imported[key], direct[key], f"{path}.{key}")
        return out
    if isinstance(imported, list) and isinstance(direct, list) and len(imported) == len(direct):
        return [
            d for i, (a, b) in enumerate(zip(imported, direct, strict=True)) for d in differences(a, b, f"{path}[{i}]")
        ]
    return [] if imported == direct else [f"{path}: import {imported!r}, direct {direct!r}"]


def assert_same_render(imported_root: Path, direct_root: Path) -> None:
    _, got = render_ok(imported_root)
    _, want = render_ok(direct_root)
    services = lambda files: sorted(p for p in files if p.startswith("services/") and p.endswith(".yml"))  # noqa: E731
    assert services(got.files) == services(want.files)
    problems = []
    for path in services(got.files):
        problems += differences(yaml.safe_load(got.files[path]), yaml.safe_load(want.files[path]), path)
    assert not problems, "\n".join(problems)


def test_kleat_halconfig_imports_and_renders_like_the_original(tmp_path: Path) -> None:
    root = imported_project(KLEAT_HALCONFIG, tmp_path / "imported")
    assert (root / "versions.txt").read_text() == "master-latest-unvalidated\n"
    assert_same_render(root, direct_project(KLEAT_HALCONFIG, tmp_path))


def test_halyard_config_with_profiles_and_service_settings_renders_like_its_hand_conversion(tmp_path: Path) -> None:
    root = imported_project(HAL_HOME / "config", tmp_path / "imported")
    assert_same_render(root, HAL_DIRECT)
    # deck's settings-local.js is shipped as it was
    _, rendered = render_ok(root)
    local_js = (HAL_HOME / "default/profiles/settings-local.js").read_bytes()
    assert rendered.files["services/deck/settings-local.js"].strip().endswith(local_js.strip())


def test_topic_overlays_carry_the_schema_modeline_and_kleat_spelling(tmp_path: Path) -> None:
    root = imported_project(HAL_HOME / "config", tmp_path / "p")
    overlays = sorted(p.relative_to(root / "overlays").as_posix() for p in (root / "overlays").rglob("*.yml"))
    for name in ("providers/aws.yml", "storage.yml", "security/authn.yml", "security/authz.yml", "canary.yml"):
        assert name in overlays
    for name in ("notifications/slack.yml", "notifications/githubStatus.yml", "ci/jenkins.yml", "artifacts/github.yml"):
        assert name in overlays
    for name in overlays:
        assert_modeline_schema_accepts(root / "overlays" / name)
    doc = lambda rel: yaml.safe_load((root / "overlays" / rel).read_text())  # noqa: E731
    assert doc("storage.yml")["persistentStorage"]["s3"]["enabled"] is True
    assert "persistentStoreType" not in doc("storage.yml")["persistentStorage"]
    assert list(doc("canary.yml")["canary"]["serviceIntegrations"]) == ["google", "prometheus", "aws"]
    assert doc("notifications/githubStatus.yml")["notifications"]["githubStatus"]["token"] == {
        "secret": "github-status-token"
    }
    assert doc("metric-stores.yml")["metricStores"]["datadog"]["api_key"] == {"secret": "datadog-api-key"}
    assert doc("providers/aws.yml")["providers"]["aws"]["accounts"][0]["name"] == "prod"
    assert "deploymentEnvironment" not in (root / "overlays").joinpath("general.yml").read_text()
    assert doc("services/gate.yml")["services"]["gate"] == {
        "port": 8084,
        "baseUrl": "https://spinnaker-api.acme.test",
        "ecs": {"environment": {"JAVA_OPTS": "-Xmx2g"}},
    }
    assert doc("profiles/clouddriver.yml")["profiles"]["clouddriver"]["sql"]["migration"]["password"] == {
        "env": "CLOUDDRIVER_MIGRATE_PASSWORD"
    }
    assert (root / "versions.txt").read_text() == "1.32.4\n"


def test_no_secret_value_is_written_or_printed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import-hal", str(HAL_HOME / "config"), "--to", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    written = b"".join(p.read_bytes() for p in (tmp_path / "p").rglob("*") if p.is_file())
    for value in HAL_SECRETS:
        assert value.encode() not in written, value
        assert value not in result.output, value
    secrets = yaml.safe_load((tmp_path / "p/overlays/secrets.yml").read_text())["secrets"]
    assert secrets["slack-token"] == {"ssm": "/spinnaker/slack-token"}
    assert secrets["redis-url"] == {"ssm": "/spinnaker/redis-url"}
    assert len(secrets) == len(HAL_SECRETS)


def test_summary_lists_parameters_conversions_and_what_needs_attention(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import-hal", str(HAL_HOME), "--to", str(tmp_path / "p"), "--secret-prefix", "acme/spinnaker"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Create these SSM parameters" in out
    assert "  /acme/spinnaker/slack-token\n" in out
    assert "persistentStorage.persistentStoreType: s3 -> persistentStorage.s3.enabled: true" in out
    assert "notifications.github-status -> notifications.githubStatus" in out
    assert "metricStores.datadog.apiKey -> metricStores.datadog.api_key" in out
    assert "deploymentEnvironment.size dropped: Halyard's preset container sizes" in out
    assert "security.authn.oauth2.provider removed" not in out  # Halyard's presets are in the model
    assert "profiles/fiat.yml not imported" in out
    assert "service-settings/gate.yml: kubernetes not imported" in out


def test_deployment_is_chosen_by_name(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import-hal", str(HAL_HOME / "config"), "--to", str(tmp_path / "s"), "--deployment", "staging"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s/versions.txt").read_text() == "1.30.1\n"
    # staging has no profiles folder: nothing of default's is taken
    assert not (tmp_path / "s/overlays/profiles").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--deployment", "nope"], "no deployment 'nope' in the halconfig (found: staging, default)"),
        ([], None),
    ],
)
def test_bad_input_is_a_usage_error(tmp_path: Path, args: list[str], message: str | None) -> None:
    halconfig = HAL_HOME / "config" if message else tmp_path / "missing.yml"
    result = runner.invoke(app, ["import-hal", str(halconfig), "--to", str(tmp_path / "p"), *args])
    assert result.exit_code == 2
    assert (message or "cannot read") in result.output
    assert not (tmp_path / "p").exists()


def test_refuses_a_non_empty_target(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p/keep.txt").write_text("mine")
    result = runner.invoke(app, ["import-hal", str(KLEAT_HALCONFIG), "--to", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["keep.txt"]


def test_import_is_deterministic() -> None:
    assert import_hal(HAL_HOME / "config").files == import_hal(HAL_HOME / "config").files


def test_bare_document_with_odd_values_still_imports_valid(tmp_path: Path) -> None:
    halconfig = tmp_path / "halconfig.yml"
    halconfig.write_text(
        "notifications:\n  slack:\n    enabled: true\n    token: 12345\n"
        "canary:\n  serviceIntegrations:\n  - enabled: true\n"
    )
    result = runner.invoke(app, ["import-hal", str(halconfig), "--to", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "12345" not in result.output
    slack = yaml.safe_load((tmp_path / "p/overlays/notifications/slack.yml").read_text())["notifications"]["slack"]
    assert slack["token"] == {"secret": "slack-token"}
    assert "canary.serviceIntegrations: an item without a name was left out" in result.output
    assert "no version in the halconfig" in result.output


def test_wrapped_config_without_deployments_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("deploymentConfigurations: []\n")
    result = runner.invoke(app, ["import-hal", str(tmp_path / "config"), "--to", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert "deploymentConfigurations holds no deployment" in result.output


@pytest.mark.parametrize("value", ["7", "prod", "{name: prod}"])
def test_deployments_that_are_not_a_list_are_a_usage_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "config").write_text(f"deploymentConfigurations: {value}\n")
    result = runner.invoke(app, ["import-hal", str(tmp_path / "config"), "--to", str(tmp_path / "p")])
    assert result.exit_code == 2, result.output
    assert "deploymentConfigurations must be a list of deployments" in result.output


def test_comments_of_local_profiles_survive_import(tmp_path: Path) -> None:
    root = imported_project(HAL_HOME / "config", tmp_path / "p")
    source = (HAL_HOME / "default/profiles/clouddriver-local.yml").read_text()
    written = (root / "overlays/profiles/clouddriver.yml").read_text()
    comments = [line.split("#", 1)[1].strip() for line in source.splitlines() if "#" in line]
    assert comments and all(c in written for c in comments), written
    data = yaml.safe_load(written)["profiles"]["clouddriver"]
    assert data["sql"]["cache"]["readBatchSize"] == 500
    assert data["sql"]["connectionPools"]["default"]["password"] == {
        "secret": "clouddriver-connection-pools-default-password"
    }
    assert "clouddriver-plaintext-db-password" not in written


def test_saml_metadata_file_moves_into_the_project_and_gates_image(tmp_path: Path) -> None:
    hal = tmp_path / ".hal"
    (hal / "saml").mkdir(parents=True)
    (hal / "saml" / "idp.xml").write_text("<EntityDescriptor/>\n")
    (hal / "config").write_text(
        "currentDeployment: default\ndeploymentConfigurations:\n- name: default\n  version: 1.34.0\n"
        "  security:\n    authn:\n      enabled: true\n      saml:\n        enabled: true\n"
        f"        metadataLocal: {hal}/saml/idp.xml\n        issuerId: spinnaker\n"
        "        serviceAddress: https://gate.example.com\n        keyStore: /opt/saml/keystore.jks\n"
        "        keyStorePassword: changeit\n        keyStoreAliasName: saml\n"
    )
    root = imported_project(hal / "config", tmp_path / "p")
    assert (root / "saml/idp.xml").read_text() == "<EntityDescriptor/>\n"
    authn = yaml.safe_load((root / "overlays/security/authn.yml").read_text())["security"]["authn"]
    assert authn["saml"]["metadataLocal"] == "saml/idp.xml"
    result = runner.invoke(app, ["render", str(root)])
    assert result.exit_code == 0, result.output
    gate = yaml.safe_load((root / "out/services/gate/gate.yml").read_text())
    assert gate["saml"]["metadataUrl"] == "file:/opt/spinnaker/saml/idp.xml"
    assert (root / "out/services/gate/files/opt/spinnaker/saml/idp.xml").read_text() == "<EntityDescriptor/>\n"
