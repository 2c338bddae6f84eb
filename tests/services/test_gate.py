"""gate.yml: authentication per release (OAuth2's two shapes), TLS, forwarded headers, redis, port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import contains, make_project, render_ok, service_doc

SECRETS = """
secrets:
  oauth-client-secret:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/oauth
  gate-redis:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/gate-redis
"""

GOOGLE_OAUTH2 = """
security:
  apiSecurity:
    overrideBaseUrl: https://api.spinnaker.example.com
  authn:
    oauth2:
      enabled: true
      client:
        clientId: my-client
        clientSecret: {secret: oauth-client-secret}
        accessTokenUri: https://www.googleapis.com/oauth2/v4/token
        userAuthorizationUri: https://accounts.google.com/o/oauth2/v2/auth
        scope: profile email
      resource:
        userInfoUri: https://www.googleapis.com/oauth2/v3/userinfo
      userInfoMapping: {email: email, firstName: given_name}
      userInfoRequirements: {hd: example.com}
"""


def gate_yml(tmp_path: Path, overlay: str, version: str = "2025.2.0") -> Any:
    root = make_project(tmp_path / "project", {"overlays/main.yml": f"version: {version}\n{overlay}{SECRETS}"})
    _, rendered = render_ok(root)
    return service_doc(rendered, "gate")


def test_oauth2_from_2025_2_is_a_spring_security_client_registration(tmp_path: Path) -> None:
    doc = gate_yml(tmp_path, GOOGLE_OAUTH2, "2025.2.0")
    client = doc["spring"]["security"]["oauth2"]["client"]
    assert client["registration"]["google"] == {
        "client-id": "my-client",
        "client-secret": "${SPINCONF_SECRET_OAUTH_CLIENT_SECRET}",
        "scope": "profile,email",  # Spring Boot binds a comma-separated set
        "authorization-grant-type": "authorization_code",
        "redirect-uri": "https://api.spinnaker.example.com/login/oauth2/code/google",
    }
    assert client["provider"]["google"] == {
        "authorization-uri": "https://accounts.google.com/o/oauth2/v2/auth",
        "token-uri": "https://www.googleapis.com/oauth2/v4/token",
        "user-info-uri": "https://www.googleapis.com/oauth2/v3/userinfo",
    }
    assert client["registration"]["user-info-mapping"] == {"email": "email", "firstName": "given_name"}
    assert client["registration"]["user-info-requirements"] == {"hd": "example.com"}
    assert "oauth2" not in doc.get("security", {})


@pytest.mark.parametrize("version", ["2025.1.0", "1.30.1", "master-latest-unvalidated"])
def test_oauth2_before_2025_2_keeps_spring_security_oauth_keys(tmp_path: Path, version: str) -> None:
    doc = gate_yml(tmp_path, GOOGLE_OAUTH2, version)
    want = {
        "security": {
            "oauth2": {
                "enabled": True,
                "client": {"clientId": "my-client", "scope": "profile email"},
                "resource": {"userInfoUri": "https://www.googleapis.com/oauth2/v3/userinfo"},
                "userInfoRequirements": {"hd": "example.com"},
            }
        }
    }
    assert contains(want, doc) == []
    assert doc["security"]["oauth2"]["client"]["clientSecret"] == "${SPINCONF_SECRET_OAUTH_CLIENT_SECRET}"
    assert "oauth2" not in doc.get("spring", {}).get("security", {})


def test_oauth2_other_provider_names_the_user_attribute_and_maps_auth_scheme(tmp_path: Path) -> None:
    overlay = """
security:
  authn:
    oauth2:
      enabled: true
      client:
        clientId: c
        clientSecret: {secret: oauth-client-secret}
        accessTokenUri: https://sso.example.com/token
        userAuthorizationUri: https://sso.example.com/authorize
        clientAuthenticationScheme: form
        preEstablishedRedirectUri: https://gate.example.com/login
      resource:
        userInfoUri: https://sso.example.com/userinfo
      userInfoMapping: {username: preferred_username}
"""
    client = gate_yml(tmp_path, overlay)["spring"]["security"]["oauth2"]["client"]
    registration = client["registration"]["other"]
    assert registration["client-authentication-method"] == "client_secret_post"
    # the Halyard-era <gate>/login redirect gives the base URL of the new callback path
    assert registration["redirect-uri"] == "https://gate.example.com/login/oauth2/code/other"
    assert client["provider"]["other"]["user-name-attribute"] == "preferred_username"


def test_oauth2_disabled_writes_no_oauth2(tmp_path: Path) -> None:
    overlay = "security:\n  authn:\n    oauth2:\n      enabled: false\n      client: {clientId: c}\n"
    doc = gate_yml(tmp_path, overlay)
    assert "spring" not in doc and "security" not in doc


@pytest.mark.parametrize(
    ("version", "want"),
    [
        ("2025.2.0", {"forward-headers-strategy": "native"}),
        ("1.19.0", {"forward-headers-strategy": "native"}),
        ("1.18.5", {"use-forward-headers": True}),
    ],
)
def test_https_base_url_honours_forwarded_headers(tmp_path: Path, version: str, want: dict[str, Any]) -> None:
    overlay = "security:\n  apiSecurity:\n    overrideBaseUrl: https://api.spinnaker.example.com\n"
    assert gate_yml(tmp_path, overlay, version)["server"] == want


def test_plain_http_gate_gets_no_forwarded_header_settings(tmp_path: Path) -> None:
    overlay = "security:\n  apiSecurity:\n    overrideBaseUrl: http://gate.internal:8084\n"
    assert "server" not in gate_yml(tmp_path, overlay)


def test_server_ssl_cors_and_authn_sections_pass_through(tmp_path: Path) -> None:
    overlay = """
security:
  apiSecurity:
    corsAccessPattern: https://deck.example.com
    ssl: {enabled: true, keyAlias: gate, keyStore: /opt/spinnaker/certs/gate.jks, clientAuth: WANT}
  uiSecurity:
    overrideBaseUrl: https://deck.example.com
  authn:
    x509: {enabled: true, roleOid: 1.2.3}
    iap: {enabled: true, jwtHeader: x-goog-iap-jwt-assertion}
canary:
  enabled: true
features:
  gremlin: true
"""
    want = {
        "server": {"ssl": {"enabled": True, "keyAlias": "gate", "clientAuth": "WANT"}},
        "cors": {"allowedOriginsPattern": "https://deck.example.com"},
        "x509": {"enabled": True, "roleOid": "1.2.3"},
        "google": {"iap": {"enabled": True, "jwtHeader": "x-goog-iap-jwt-assertion"}},
        "services": {"deck": {"baseUrl": "https://deck.example.com"}, "kayenta": {"enabled": True}},
        "integrations": {"gremlin": {"enabled": True}},
    }
    assert contains(want, gate_yml(tmp_path, overlay)) == []


def test_redis_and_port(tmp_path: Path) -> None:
    overlay = "services:\n  gate:\n    port: 8184\n    redis: {url: {secret: gate-redis}}\n"
    doc = gate_yml(tmp_path, overlay)
    assert doc["redis"]["connection"] == "${SPINCONF_SECRET_GATE_REDIS}"
    assert doc["server"]["port"] == 8184


def test_default_port_is_left_to_gate(tmp_path: Path) -> None:
    assert "server" not in gate_yml(tmp_path, "")


def test_redirect_uri_never_uses_an_internal_service_url(tmp_path: Path) -> None:
    overlay = GOOGLE_OAUTH2.replace(
        "    overrideBaseUrl: https://api.spinnaker.example.com\n", "    corsAccessPattern: x\n"
    )
    overlay += "services:\n  gate:\n    baseUrl: http://gate.spinnaker.internal:8084\n"
    registration = gate_yml(tmp_path, overlay)["spring"]["security"]["oauth2"]["client"]["registration"]
    assert registration["google"]["redirect-uri"] == "{baseUrl}/login/oauth2/code/{registrationId}"
