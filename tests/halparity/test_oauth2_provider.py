"""security.authn.oauth2.provider expands into Halyard's presets (OAuth2.setProvider)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import make_project, render_ok, service_doc

SECRETS = """
secrets:
  oauth-client-secret:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/oauth
"""


def gate_yml(tmp_path: Path, provider: str, extra: str = "", version: str = "2025.2.0") -> Any:
    overlay = f"""\
version: {version}
security:
  apiSecurity:
    overrideBaseUrl: https://api.example.com
  authn:
    enabled: true
    oauth2:
      enabled: true
      provider: {provider}
      client:
        clientId: my-client
        clientSecret: {{secret: oauth-client-secret}}
{extra}{SECRETS}"""
    root = make_project(tmp_path / "project", {"overlays/main.yml": overlay})
    _, rendered = render_ok(root)
    return service_doc(rendered, "gate")


def test_github_preset_on_2025_2_is_the_github_registration(tmp_path: Path) -> None:
    client = gate_yml(tmp_path, "GITHUB")["spring"]["security"]["oauth2"]["client"]
    registration = client["registration"]
    assert registration["github"]["client-id"] == "my-client"
    assert registration["github"]["scope"] == "user:email"
    assert registration["github"]["redirect-uri"] == "https://api.example.com/login/oauth2/code/github"
    assert client["provider"]["github"] == {
        "authorization-uri": "https://github.com/login/oauth/authorize",
        "token-uri": "https://github.com/login/oauth/access_token",
        "user-info-uri": "https://api.github.com/user",
    }
    assert registration["user-info-mapping"] == {
        "email": "email",
        "firstName": "",
        "lastName": "name",
        "username": "login",
    }


def test_azure_preset_before_2025_2_has_halyards_query_scheme(tmp_path: Path) -> None:
    oauth2 = gate_yml(tmp_path, "AZURE", version="1.34.0")["security"]["oauth2"]
    assert "provider" not in oauth2  # gate has no provider property
    assert oauth2["client"] == {
        "clientId": "my-client",
        "clientSecret": "${SPINCONF_SECRET_OAUTH_CLIENT_SECRET}",
        "accessTokenUri": "https://login.microsoftonline.com/${azureTenantId}/oauth2/token",
        "userAuthorizationUri": "https://login.microsoftonline.com/${azureTenantId}/oauth2/authorize"
        "?resource=https://graph.windows.net",
        "scope": "profile",
        "clientAuthenticationScheme": "query",
    }
    assert oauth2["resource"] == {"userInfoUri": "https://graph.windows.net/me?api-version=1.6"}
    assert oauth2["userInfoMapping"] == {"email": "userPrincipalName", "firstName": "givenName", "lastName": "surname"}


def test_an_explicit_value_wins_over_the_preset(tmp_path: Path) -> None:
    extra = "        scope: openid email\n      userInfoMapping:\n        username: email\n"
    client = gate_yml(tmp_path, "GOOGLE", extra)["spring"]["security"]["oauth2"]["client"]
    registration = client["registration"]
    assert registration["google"]["scope"] == "openid,email"
    assert registration["user-info-mapping"] == {
        "email": "email",
        "firstName": "given_name",
        "lastName": "family_name",
        "username": "email",
    }
    assert client["provider"]["google"]["token-uri"] == "https://www.googleapis.com/oauth2/v4/token"


@pytest.mark.parametrize("provider", ["ORACLE", "GOOGLE"])
def test_the_provider_names_the_registration_even_on_another_host(provider: str, tmp_path: Path) -> None:
    extra = "        accessTokenUri: https://sso.example.com/token\n"
    registration = gate_yml(tmp_path, provider, extra)["spring"]["security"]["oauth2"]["client"]["registration"]
    assert provider.lower() in registration


def test_a_preset_completes_the_method_for_the_checks(tmp_path: Path) -> None:
    from tests.helpers import load

    overlay = (
        "security:\n  authn:\n    enabled: true\n    oauth2:\n      enabled: true\n      provider: GOOGLE\n"
        "      client:\n        clientId: my-client\n        clientSecret: {secret: oauth-client-secret}\n" + SECRETS
    )
    project = load(make_project(tmp_path / "p", {"overlays/main.yml": overlay}))
    assert [d.text() for d in project.diagnostics.sorted() if d.code == "authn-incomplete"] == []
