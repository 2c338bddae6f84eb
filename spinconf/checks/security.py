"""Rules: authentication, authorization and public base URLs.

Halyard: halyard-config/.../validate/v1/security/{PublicServiceValidator, OAuth2Validator,
SamlValidator, LdapValidator, IAPValidator, X509Validator, AuthnValidator, AuthzValidator,
GithubRoleProviderValidator, GoogleRoleProviderValidator, LdapRoleProviderValidator,
FileRoleProviderValidator}.java. Halyard made an incomplete authn method an error; kleat's own
test configs leave them incomplete (gate then starts, and login fails), so here they are warnings.
Fiat's role providers bind with @NotEmpty properties (fiat-github GitHubProperties, fiat-google
GoogleDirectoryUserRolesProvider.Config, fiat-ldap LdapConfig): fiat does not start without them.
"""

from __future__ import annotations

from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, given, is_on, report, text, url_problem
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.releases import Release, gate_oauth2_spring_security, gate_spring_saml2

BASE_URL = rule(
    "base-url-invalid",
    Severity.ERROR,
    "overrideBaseUrl is an absolute http(s) URL with a host: browsers and notification links use it",
    applies_to=("security.apiSecurity.overrideBaseUrl", "security.uiSecurity.overrideBaseUrl"),
)
AUTHN_INCOMPLETE = rule(
    "authn-incomplete",
    Severity.WARNING,
    "an enabled authentication method has the settings it needs (OAuth2 client and endpoints, SAML metadata, "
    "issuer and keystore, LDAP url and user search, IAP audience, basic user)",
    applies_to=("security.authn.*",),
)
AUTHN_NOT_ENABLED = rule(
    "authn-not-enabled",
    Severity.WARNING,
    "an authentication method that is configured is enabled: otherwise its settings have no effect",
    applies_to=("security.authn.*.enabled",),
)
AUTHN_NO_METHOD = rule(
    "authn-no-method",
    Severity.WARNING,
    "security.authn.enabled goes with at least one enabled method",
    applies_to=("security.authn.enabled",),
)
AUTHZ_INCOMPLETE = rule(
    "authz-incomplete",
    Severity.ERROR,
    "the role provider of enabled authorization has the settings fiat needs to start",
    applies_to=("security.authz.groupMembership.*",),
)
FIAT_WITHOUT_AUTHN = rule(
    "authz-without-authn",
    Severity.WARNING,
    "authorization (fiat) is enabled together with an authentication method: otherwise every user is anonymous",
    applies_to=("security.authz.enabled",),
)
OAUTH2_DROPPED = rule(
    "oauth2-setting-dropped",
    Severity.WARNING,
    "an OAuth2 client setting Spring Security OAuth had and gate's Spring Security 5 client (2025.2.0 on) "
    "has no counterpart for",
    applies_to=(
        "security.authn.oauth2.client.clientAuthenticationScheme",
        "security.authn.oauth2.client.useCurrentUri",
        "security.authn.oauth2.client.preEstablishedRedirectUri",
    ),
)

METHODS = ("oauth2", "saml", "ldap", "x509", "iap", "basic")
REDIRECT_NEEDED = ("metadataUrl", "redirectHostname")  # gate up to 1.34 (SAMLSecurityConfigProperties)
# fields whose presence shows a method was meant to be used (Halyard's AuthnValidator "core fields")
CORE_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "oauth2": (("client", "clientId"), ("client", "clientSecret")),
    "saml": (("issuerId",), ("keyStore",), ("metadataUrl",), ("metadataLocal",)),
    "ldap": (("url",), ("userDnPattern",), ("userSearchBase",), ("userSearchFilter",)),
    "iap": (("audience",),),
    "basic": (("user", "username"),),
}


def _get(model: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        model = getattr(model, part, None) if model is not None else None
    return model


@check
def base_urls(project: Project) -> None:
    security = config_of(project).security
    for section in ("apiSecurity", "uiSecurity"):
        url = text(_get(security, (section, "overrideBaseUrl")))
        if url is not None and (problem := url_problem(url)) is not None:
            report(project, BASE_URL, ("security", section, "overrideBaseUrl"), f"overrideBaseUrl {url!r} {problem}")


def _missing(method: Any, fields: tuple[tuple[str, ...], ...]) -> list[str]:
    return [".".join(f) for f in fields if not given(_get(method, f))]


def _method_problems(name: str, method: Any, config: Any, release: Release | None = None) -> list[str]:
    """What an enabled method lacks, in the words of the setting to add."""
    need: tuple[tuple[str, ...], ...]
    if name == "oauth2":
        from spinconf.services.oauth2_presets import expand

        method = expand(method)  # Halyard's provider presets fill the endpoints
        need = (
            ("client", "clientId"),
            ("client", "clientSecret"),
            ("client", "accessTokenUri"),
            ("client", "userAuthorizationUri"),
            ("resource", "userInfoUri"),
        )
        return [f"{m} is not set" for m in _missing(method, need)]
    if name == "saml":
        from spinconf.services.saml import effective

        need = (("issuerId",), ("keyStore",), ("keyStorePassword",), ("keyStoreAliasName",))
        out = [f"{m} is not set" for m in _missing(method, need)]
        # Halyard's metadataLocal and serviceAddress stand for metadataUrl and the redirect host
        resolved = effective(method)
        # from 1.35 gate builds the SAML redirect from its own base URL (spinconf/services/saml.py)
        needed = ("metadataUrl",) if release is not None and gate_spring_saml2(release) else REDIRECT_NEEDED
        out += [f"{m} is not set" for m in needed if not given(resolved.get(m))]
        return out
    if name == "ldap":
        out = [f"{m} is not set" for m in _missing(method, (("url",),))]
        url = text(method.url)
        if url is not None and url_problem(url, ("ldap", "ldaps")) is not None:
            out.append(f"url {url!r} is not an ldap:// or ldaps:// URL")
        if not given(method.userDnPattern) and not given(method.userSearchFilter):
            out.append("neither userDnPattern nor userSearchFilter is set: gate cannot find users")
        return out
    if name == "iap":
        return [f"{m} is not set" for m in _missing(method, (("audience",),))]
    if name == "basic":
        return [f"{m} is not set" for m in _missing(method, (("user", "username"), ("user", "password")))]
    if name == "x509":
        out = []
        if method.roleOid == "":
            out.append("roleOid is blank: remove it or give an OID")
        ssl = _get(config.security, ("apiSecurity", "ssl"))
        if not is_on(_get(ssl, ("enabled",))):
            if config.ecs is None:  # on the ECS target x509-unusable (checks/gate.py) says it as an error
                out.append("security.apiSecurity.ssl.enabled is not true (x509 needs TLS on gate)")
        elif not given(_get(ssl, ("trustStore",))):
            # kork copies the main connector's truststore to the x509 connector (TomcatConfiguration)
            out.append(
                "security.apiSecurity.ssl.trustStore is not set: gate then accepts only client certificates "
                "signed by the JVM's default CAs"
            )
        return out
    return []


@check
def authentication(project: Project) -> None:
    config = config_of(project)
    authn = config.security.authn if config.security else None
    if authn is None:
        return
    any_enabled = False
    for name in METHODS:
        method = getattr(authn, name)
        if method is None:
            continue
        path = ("security", "authn", name)
        if is_on(method.enabled):
            any_enabled = True
            for problem in _method_problems(name, method, config, Release.of(project.release)):
                report(project, AUTHN_INCOMPLETE, path, f"{name} is enabled but {problem}")
        elif method.enabled is not None and not isinstance(method.enabled, bool):
            any_enabled = True  # {env: ...}: decided at start
        elif any(given(_get(method, f)) for f in CORE_FIELDS.get(name, ())):
            report(
                project,
                AUTHN_NOT_ENABLED,
                (*path, "enabled") if method.enabled is not None else path,
                f"security.authn.{name} is configured but not enabled: set enabled: true for it to take effect",
            )
    if is_on(authn.enabled) and not any_enabled:
        report(
            project,
            AUTHN_NO_METHOD,
            ("security", "authn", "enabled"),
            "authentication is enabled but no method (oauth2, saml, ldap, x509, iap, basic) is",
        )


# role provider -> the settings fiat needs
ROLE_PROVIDER_NEEDS: dict[str, tuple[str, ...]] = {
    "GITHUB": ("organization", "accessToken"),
    "GOOGLE": ("adminUsername", "credentialPath", "domain"),
    "FILE": ("path",),
    "LDAP": ("url",),
}


@check
def authorization(project: Project) -> None:
    config = config_of(project)
    security = config.security
    authz = security.authz if security else None
    if authz is None or not is_on(authz.enabled):
        return
    membership = authz.groupMembership
    service = membership.service if membership else None
    if isinstance(service, str) and service in ROLE_PROVIDER_NEEDS:
        provider = getattr(membership, service.lower(), None)
        path = ("security", "authz", "groupMembership", service.lower())
        missing = [f for f in ROLE_PROVIDER_NEEDS[service] if not given(getattr(provider, f, None))]
        if missing:
            at = path if provider is not None else ("security", "authz", "groupMembership", "service")
            report(project, AUTHZ_INCOMPLETE, at, f"role provider {service} needs {', '.join(missing)}")
        if service == "LDAP" and provider is not None:
            dn, password = given(provider.managerDn), given(provider.managerPassword)
            if dn != password:
                report(project, AUTHZ_INCOMPLETE, path, "LDAP role provider: managerDn and managerPassword go together")
    authn = security.authn if security else None
    if not any(getattr(getattr(authn, m, None), "enabled", None) not in (None, False) for m in METHODS):
        report(
            project,
            FIAT_WITHOUT_AUTHN,
            ("security", "authz", "enabled"),
            "authorization is enabled but no authentication method is: fiat sees every user as anonymous",
        )


@check
def oauth2_settings_dropped(project: Project) -> None:
    """From 2025.2.0 gate registers one Spring Security 5 client (spinconf/services/gate.py
    spring_oauth2): what the legacy client had beyond that is dropped, and said so here."""
    config = config_of(project)
    authn = config.security.authn if config.security else None
    oauth2 = authn.oauth2 if authn is not None else None
    if oauth2 is not None:
        from spinconf.services.oauth2_presets import expand

        oauth2 = expand(oauth2)  # Azure's preset sends the secret in the query string
    client = oauth2.client if oauth2 is not None else None
    if client is None or not gate_oauth2_spring_security(Release.of(project.release)):
        return
    base = ("security", "authn", "oauth2", "client")
    if client.clientAuthenticationScheme == "query":
        report(
            project,
            OAUTH2_DROPPED,
            (*base, "clientAuthenticationScheme"),
            "gate from 2025.2.0 cannot send the client secret in the query string: it authenticates with "
            "HTTP basic (client_secret_basic); check that the provider accepts it",
        )
    if client.useCurrentUri is not None:
        report(
            project,
            OAUTH2_DROPPED,
            (*base, "useCurrentUri"),
            "gate from 2025.2.0 has no useCurrentUri: the redirect URI is <overrideBaseUrl>/login/oauth2/code/<id>, "
            "or built from each request when security.apiSecurity.overrideBaseUrl is unset",
        )
    redirect = text(client.preEstablishedRedirectUri)
    if redirect is not None and not redirect.rstrip("/").endswith("/login"):
        report(
            project,
            OAUTH2_DROPPED,
            (*base, "preEstablishedRedirectUri"),
            f"gate from 2025.2.0 redirects to <gate>/login/oauth2/code/<id>, not {redirect}: register that URI with "
            "the provider (gate's public URL comes from security.apiSecurity.overrideBaseUrl)",
        )
