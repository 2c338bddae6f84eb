"""Halyard's OAuth2 provider presets: ``security.authn.oauth2.provider`` -> the client settings gate reads.

Halyard's ``OAuth2.setProvider`` (spinnaker/halyard, halyard-config/src/main/java/com/netflix/
spinnaker/halyard/config/model/v1/security/OAuth2.java) filled in the token, authorization and
user-info URIs, the scope, the whole ``userInfoMapping`` and, for Azure, the query-string client
authentication, keeping the client id and secret. gate itself has no ``provider`` property.
Unlike Halyard, which replaced the user's values, an explicit value written by the user wins here.
The ``${idcsTenantId}`` and ``${azureTenantId}`` placeholders are Halyard's: gate resolves them from
its properties (``profiles.gate``), as it did under Halyard.
"""

from __future__ import annotations

from typing import Any

from spinconf.model.hal.security import OAuth2, OAuth2Client, OAuth2Resource, OAuth2UserInfoMapping

_IDCS = "https://idcs-${idcsTenantId}.identity.oraclecloud.com"
_AZURE = "https://login.microsoftonline.com/${azureTenantId}"

# provider -> (client, resource, userInfoMapping) as OAuth2.setProvider set them
PRESETS: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {
    "GOOGLE": (
        {
            "accessTokenUri": "https://www.googleapis.com/oauth2/v4/token",
            "userAuthorizationUri": "https://accounts.google.com/o/oauth2/v2/auth",
            "scope": "profile email",
        },
        {"userInfoUri": "https://www.googleapis.com/oauth2/v3/userinfo"},
        {"email": "email", "firstName": "given_name", "lastName": "family_name"},
    ),
    "GITHUB": (
        {
            "accessTokenUri": "https://github.com/login/oauth/access_token",
            "userAuthorizationUri": "https://github.com/login/oauth/authorize",
            "scope": "user:email",
        },
        {"userInfoUri": "https://api.github.com/user"},
        {"email": "email", "firstName": "", "lastName": "name", "username": "login"},
    ),
    "ORACLE": (
        {
            "accessTokenUri": _IDCS + "/oauth2/v1/token",
            "userAuthorizationUri": _IDCS + "/oauth2/v1/authorize",
            "scope": "openid urn:opc:idm:__myscopes__",
        },
        {"userInfoUri": _IDCS + "/oauth2/v1/userinfo"},
        {"email": "", "firstName": "given_name", "lastName": "family_name", "username": "preferred_username"},
    ),
    "AZURE": (
        {
            "accessTokenUri": _AZURE + "/oauth2/token",
            "userAuthorizationUri": _AZURE + "/oauth2/authorize?resource=https://graph.windows.net",
            "scope": "profile",
            "clientAuthenticationScheme": "query",
        },
        {"userInfoUri": "https://graph.windows.net/me?api-version=1.6"},
        {"email": "userPrincipalName", "firstName": "givenName", "lastName": "surname"},
    ),
}


def provider_name(oauth2: OAuth2) -> str | None:
    """The preset named by ``provider`` (GOOGLE, ...), or None (unset or OTHER: the user's own values)."""
    provider = oauth2.provider
    name = provider.value if provider is not None and hasattr(provider, "value") else provider
    return name if isinstance(name, str) and name in PRESETS else None


def _filled(model: Any, cls: Any, preset: dict[str, str]) -> Any:
    if model is None:
        return cls.model_validate(preset)
    return model.model_copy(update={k: v for k, v in preset.items() if getattr(model, k, None) is None})


def expand(oauth2: OAuth2) -> OAuth2:
    """The OAuth2 settings with the provider's preset under the user's own values."""
    name = provider_name(oauth2)
    if name is None:
        return oauth2
    client, resource, mapping = PRESETS[name]
    return oauth2.model_copy(
        update={
            "client": _filled(oauth2.client, OAuth2Client, client),
            "resource": _filled(oauth2.resource, OAuth2Resource, resource),
            "userInfoMapping": _filled(oauth2.userInfoMapping, OAuth2UserInfoMapping, mapping),
        }
    )
