"""SAML per release: Halyard's metadataLocal and serviceAddress become what gate reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import load, make_project, render_ok, service_doc

METADATA = b'<?xml version="1.0"?><EntityDescriptor entityID="https://idp.example.com"/>\n'
SECRETS = """
secrets:
  saml-keystore-password:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/saml
"""


def _saml(tmp_path: Path, version: str, extra: str = "") -> tuple[Path, str]:
    overlay = f"""\
version: {version}
security:
  authn:
    enabled: true
    saml:
      enabled: true
      issuerId: spinnaker
      metadataLocal: saml/metadata.xml
      serviceAddress: https://gate.example.com:8443/api
      keyStore: /opt/spinnaker/saml/keystore.jks
      keyStorePassword: {{secret: saml-keystore-password}}
      keyStoreAliasName: saml
{extra}{SECRETS}"""
    root = make_project(tmp_path / "p", {"overlays/security.yml": overlay})
    (root / "saml").mkdir()
    (root / "saml" / "metadata.xml").write_bytes(METADATA)
    return root, overlay


def _render(root: Path) -> tuple[Any, dict[str, bytes]]:
    _, rendered = render_ok(root)
    return service_doc(rendered, "gate"), rendered.files


def test_up_to_1_34_halyards_samlconfig_shape(tmp_path: Path) -> None:
    gate, files = _render(_saml(tmp_path, "1.34.0")[0])
    saml = gate["saml"]
    assert saml["metadataUrl"] == "file:/opt/spinnaker/saml/metadata.xml"
    assert saml["redirectProtocol"] == "https"
    assert saml["redirectHostname"] == "gate.example.com:8443"
    assert saml["redirectBasePath"] == "/api"
    assert "metadataLocal" not in saml and "serviceAddress" not in saml
    # the metadata file is baked into gate's image where metadataUrl points
    assert files["services/gate/files/opt/spinnaker/saml/metadata.xml"] == METADATA
    dockerfile = files["services/gate/Dockerfile"].decode()
    assert 'COPY ["files/opt/spinnaker/saml/metadata.xml", "/opt/spinnaker/saml/metadata.xml"]' in dockerfile


def test_from_1_35_the_redirect_comes_from_forwarded_headers(tmp_path: Path) -> None:
    gate, files = _render(_saml(tmp_path, "1.35.0")[0])
    saml = gate["saml"]
    assert saml["metadataUrl"] == "file:/opt/spinnaker/saml/metadata.xml"
    # gate 1.35's SecuritySamlProperties builds {baseUrl}/saml/{registrationId}: no redirect keys
    assert not {"redirectProtocol", "redirectHostname", "redirectBasePath"} & set(saml)
    assert gate["server"]["forward-headers-strategy"] == "native"
    assert "services/gate/files/opt/spinnaker/saml/metadata.xml" in files


def test_explicit_values_win(tmp_path: Path) -> None:
    extra = "      metadataUrl: https://idp.example.com/metadata\n      redirectHostname: login.example.com\n"
    gate, files = _render(_saml(tmp_path, "1.34.0", extra)[0])
    assert gate["saml"]["metadataUrl"] == "https://idp.example.com/metadata"
    assert gate["saml"]["redirectHostname"] == "login.example.com"
    assert gate["saml"]["redirectProtocol"] == "https"
    assert not any(p.startswith("services/gate/files/") for p in files)


def test_a_missing_metadata_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    root, _ = _saml(tmp_path, "1.34.0")
    (root / "saml" / "metadata.xml").unlink()
    project = load(root)
    errors = [d.text() for d in project.diagnostics.sorted() if d.is_error]
    assert any(
        e.startswith("overlays/security.yml:8:7:") and "saml-metadata-missing" in e and "saml/metadata.xml" in e
        for e in errors
    ), errors


def test_from_1_35_no_redirect_host_is_needed(tmp_path: Path) -> None:
    root, overlay = _saml(tmp_path, "1.35.0")
    (root / "overlays/security.yml").write_text(
        overlay.replace("      serviceAddress: https://gate.example.com:8443/api\n", "")
    )
    texts = [d.text() for d in load(root).diagnostics.sorted() if d.code == "authn-incomplete"]
    assert texts == []
    (root / "overlays/security.yml").write_text(
        overlay.replace("1.35.0", "1.34.0").replace("      serviceAddress: https://gate.example.com:8443/api\n", "")
    )
    texts = [d.text() for d in load(root).diagnostics.sorted() if d.code == "authn-incomplete"]
    assert len(texts) == 1 and "redirectHostname is not set" in texts[0]
