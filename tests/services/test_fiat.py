"""fiat.yml: security.authz as `auth`, fiat's redis and port; fiat only renders with authz on."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_project, render_ok, service_doc

SECRETS = """
secrets:
  github-token:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/github-token
  fiat-redis:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/fiat-redis
"""
AUTHZ = """
security:
  authz:
    enabled: true
    groupMembership:
      service: GITHUB
      github: {organization: my-org, accessToken: {secret: github-token}}
"""


def test_authz_is_auth_with_secret_placeholders(tmp_path: Path) -> None:
    overlay = AUTHZ + "services:\n  fiat:\n    port: 7103\n    redis: {url: {secret: fiat-redis}}\n"
    root = make_project(tmp_path / "p", {"overlays/main.yml": f"version: 2025.2.0\n{overlay}{SECRETS}"})
    _, rendered = render_ok(root)
    doc = service_doc(rendered, "fiat")
    assert doc["auth"] == {
        "enabled": True,
        "groupMembership": {
            "service": "GITHUB",
            "github": {"organization": "my-org", "accessToken": "${SPINCONF_SECRET_GITHUB_TOKEN}"},
        },
    }
    assert doc["redis"]["connection"] == "${SPINCONF_SECRET_FIAT_REDIS}"
    assert doc["server"] == {"port": 7103}


def test_fiat_not_rendered_without_authz(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/main.yml": "version: 2025.2.0\n"})
    _, rendered = render_ok(root)
    assert "services/fiat/fiat.yml" not in rendered.files
    assert service_doc(rendered, "gate", "spinnaker.yml")["services"]["fiat"]["enabled"] is False
