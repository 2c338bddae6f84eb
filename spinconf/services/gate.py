"""gate's Spring profile (`gate.yml`): authentication, TLS, CORS and the peers the API fronts.

Modelled on kleat's HalToGate (internal/convert/gate.go); beyond it: OAuth2 in the shape
of the release, forwarded headers behind a TLS-terminating load balancer, the listening
port and gate's redis (sessions).
"""

from __future__ import annotations

import re
from typing import Any

from spinconf.model.base import dump
from spinconf.model.hal.security import OAuth2, OAuth2Client
from spinconf.provenance import copied, derived
from spinconf.releases import gate_oauth2_spring_security, spring_boot_forward_headers_strategy
from spinconf.services.context import RenderContext, server_port, service
from spinconf.services.oauth2_presets import expand, provider_name
from spinconf.services.saml import gate_saml
from spinconf.services.stores import deep_merge, redis_connection
from spinconf.targets.gate_ports import x509_port


def profile(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    sec = config.security
    authn = sec.authn if sec else None
    api = sec.apiSecurity if sec else None
    doc: dict[str, Any] = {}

    server = _server(ctx)
    if server:
        doc["server"] = server
    if api is not None and api.corsAccessPattern not in (None, ""):
        doc["cors"] = {"allowedOriginsPattern": api.corsAccessPattern}

    if authn is not None:
        if authn.basic is not None:
            doc.setdefault("security", {})["basic"] = dump(authn.basic)
        oauth2 = authn.oauth2
        if oauth2 is not None and oauth2.enabled is True:
            oauth2 = expand(oauth2)  # Halyard's provider presets under the user's own values
            if gate_oauth2_spring_security(ctx.release):
                deep_merge(doc, {"spring": {"security": {"oauth2": {"client": spring_oauth2(oauth2, ctx)}}}})
            else:
                # gate before 2025.2: @EnableOAuth2Sso reads security.oauth2.* (kleat's shape);
                # gate has no `provider` property: Halyard expanded it, as expand() did above
                legacy = dump(oauth2)
                legacy.pop("provider", None)
                doc.setdefault("security", {})["oauth2"] = legacy
        if authn.saml is not None:
            doc["saml"] = gate_saml(authn.saml, ctx.release)
        for name in ("ldap", "x509"):
            section = getattr(authn, name)
            if section is not None:
                doc[name] = dump(section)
        if authn.iap is not None:
            doc["google"] = {"iap": dump(authn.iap)}

    services = _services(ctx)
    if services:
        doc["services"] = services
    if config.features is not None and config.features.gremlin is True:
        doc["integrations"] = {"gremlin": {"enabled": True}}
    # gate keeps its HTTP sessions in redis (spring.session.store-type: redis in gate-web/config/gate.yml)
    deep_merge(doc, redis_connection(service(config, "gate").redis, ("services", "gate", "redis")))
    deep_merge(doc, redis_without_config(ctx))
    port = x509_port(config, ctx.topology.ports["gate"])
    if port is not None:
        # kork's second connector (targets/gate_ports.py): client certificates on a port of its own
        doc["default"] = {"apiPort": derived(port, ("security", "authn", "x509", "enabled"), rule=X509_RULE)}
    return doc


X509_RULE = "kork's x509 connector: default.apiPort when x509 and gate's TLS are on (spinconf/targets/gate_ports.py)"
REDIS_SECURE_RULE = (
    "gate on a managed redis (ElastiCache, MemoryDB) must not send CONFIG: redis.configuration.secure; "
    "set notify-keyspace-events gxE in the cache's parameter group instead (spinconf/services/gate.py)"
)
# Managed redis endpoints (ElastiCache: *.cache.amazonaws.com, MemoryDB: *.memorydb.<region>.amazonaws.com)
_MANAGED_REDIS = re.compile(r"^rediss?://(?:[^@/]*@)?[^/:]*\.(?:cache|memorydb\.[a-z0-9-]+)\.amazonaws\.com(?:[:/]|$)")


def redis_without_config(ctx: RenderContext) -> dict[str, Any]:
    """``redis.configuration.secure: true`` where gate's redis may refuse CONFIG.

    On its first connection gate's session store runs ``CONFIG GET/SET notify-keyspace-events``
    (Spring Session's ConfigureNotifyKeyspaceEventsAction) unless ``redis.configuration.secure``
    makes it a no-op; ElastiCache and MemoryDB refuse CONFIG, and logins then fail
    (spinnaker/spinnaker#5570). Every release reads that key: gate-web GateConfig.groovy and
    PostConnectionConfiguringJedisConnectionFactory on spinnaker/gate release-1.22.x and
    release-1.30.x, gate-web RedisActionConfig.java in the spinnaker/spinnaker monorepo
    (release-2025.2.x, release-2025.4.x). On the ECS target the redis is a managed one (nothing
    else runs beside Fargate tasks), so the key is always written there; the cache's parameter
    group then sets ``notify-keyspace-events gxE`` (Spinnaker's docs), which gate needs for
    expired sessions and can no longer set itself.
    """
    redis = service(ctx.config, "gate").redis
    url = redis.url if redis is not None else None
    if ctx.config.ecs is not None:
        sources: tuple[tuple[str, ...], ...] = (("services", "gate", "redis", "url"), ("ecs",))
    elif isinstance(url, str) and _MANAGED_REDIS.match(url):
        sources = (("services", "gate", "redis", "url"),)
    else:
        return {}
    return {"redis": {"configuration": {"secure": derived(True, *sources, rule=REDIS_SECURE_RULE)}}}


FORWARDED_RULE = (
    "gate behind a TLS-terminating load balancer (an https:// URL) honours forwarded headers "
    "(spinconf/services/gate.py)"
)
SSL_RULE = "Spring Boot's server.ssl from security.apiSecurity.ssl (spinconf/services/gate.py)"


def _server(ctx: RenderContext) -> dict[str, Any]:
    sec = ctx.config.security
    api = sec.apiSecurity if sec else None
    server: dict[str, Any] = {}
    if api is not None and api.ssl is not None:
        server["ssl"] = copied(dump(api.ssl), ("security", "apiSecurity", "ssl"), rule=SSL_RULE)
    server.update(server_port(ctx, "gate").get("server", {}))
    authn = sec.authn if sec else None
    saml = authn.saml if authn is not None and authn.saml is not None and authn.saml.enabled is True else None
    # Halyard's SAML serviceAddress is gate's public address (from 1.35 the SAML redirect is built from it)
    urls = (ctx.topology.base_urls.get("gate"), external_url(ctx), saml.serviceAddress if saml else None)
    if any(isinstance(url, str) and url.lower().startswith("https://") for url in urls):
        # Behind a TLS-terminating load balancer gate sees plain HTTP: without the forwarded
        # headers its OAuth2/SAML redirect URIs and absolute links would say http://.
        # "native" makes Spring Boot install Tomcat's RemoteIpValve (X-Forwarded-Proto/-For/-Port
        # from internal proxies); before Spring Boot 2.2 the switch was server.use-forward-headers.
        sources = (("security", "apiSecurity", "overrideBaseUrl"), ("services", "gate", "baseUrl"))
        if spring_boot_forward_headers_strategy(ctx.release):
            server["forward-headers-strategy"] = derived("native", *sources, rule=FORWARDED_RULE)
        else:
            server["use-forward-headers"] = derived(True, *sources, rule=FORWARDED_RULE)
    return server


def _services(ctx: RenderContext) -> dict[str, Any]:
    config = ctx.config
    out: dict[str, Any] = {}
    ui = config.security.uiSecurity if config.security else None
    if ui is not None and ui.overrideBaseUrl is not None:
        out["deck"] = {"baseUrl": ui.overrideBaseUrl}
    if config.canary is not None and config.canary.enabled is True:
        out["kayenta"] = {"enabled": True}
    return out


# --- OAuth2 from 2025.2.0: Spring Security 5's client registration ---------------------

# Registration ids by the host of the provider's endpoints. Spring Boot pre-fills the
# endpoints of "google" and "github" (CommonOAuth2Provider); the redirect URI a user
# registers with the provider ends in /login/oauth2/code/<id>. Everything else is "other",
# as the 2025.2.0 changelog tells Halyard users without a provider to write.
_PROVIDER_HOSTS = (
    ("google", ("accounts.google.com", "googleapis.com")),
    ("github", ("github.com",)),
    ("azure", ("login.microsoftonline.com",)),
    ("oracle", ("oraclecloud.com",)),
)
_COMMON_PROVIDERS = ("google", "github")

# Spring Security OAuth's clientAuthenticationScheme -> Spring Security 5's client-authentication-method.
# "query" (secret in the URL) has no counterpart; the default (client_secret_basic) applies.
_AUTH_METHODS = {"header": "client_secret_basic", "form": "client_secret_post", "none": "none"}


def registration_id(client: OAuth2Client, oauth2: OAuth2 | None = None) -> str:
    """Halyard's provider names the registration; without one, the host of the endpoints does."""
    preset = provider_name(oauth2) if oauth2 is not None else None
    if preset is not None:
        return preset.lower()
    for uri in (client.accessTokenUri, client.userAuthorizationUri):
        if isinstance(uri, str):
            for name, hosts in _PROVIDER_HOSTS:
                if any(host in uri for host in hosts):
                    return name
    return "other"


def _scope(scope: Any) -> Any:
    # Spring Security OAuth split the scope on spaces; Spring Boot binds a comma-separated set.
    if isinstance(scope, str):
        return ",".join(s for s in re.split(r"[\s,]+", scope) if s)
    return scope


def external_url(ctx: RenderContext) -> str | None:
    """Where browsers reach gate: ``security.apiSecurity.overrideBaseUrl`` (services.gate.baseUrl may be internal)."""
    api = ctx.config.security.apiSecurity if ctx.config.security else None
    url = api.overrideBaseUrl if api is not None else None
    return url if isinstance(url, str) and url else None


def _redirect_uri(oauth2: OAuth2, reg_id: str, ctx: RenderContext) -> str:
    base = external_url(ctx)
    pre = oauth2.client.preEstablishedRedirectUri if oauth2.client else None
    if base is None and isinstance(pre, str) and pre.rstrip("/").endswith("/login"):
        # the Halyard-era redirect URI was <gate>/login
        base = pre.rstrip("/").removesuffix("/login")
    if base is None:
        # resolved by Spring Security from the request (with forwarded headers honoured)
        return "{baseUrl}/login/oauth2/code/{registrationId}"
    return f"{base.rstrip('/')}/login/oauth2/code/{reg_id}"


_OAUTH2 = ("security", "authn", "oauth2")
OAUTH2_RULE = (
    "Spring Security 5's client registration from security.authn.oauth2 (spinconf/services/gate.py spring_oauth2)"
)


def spring_oauth2(oauth2: OAuth2, ctx: RenderContext) -> dict[str, Any]:
    """``spring.security.oauth2.client``: one registration and its provider, plus gate's mapping keys.

    Gate's own extensions sit beside the registrations: OAuth2SsoConfig binds
    ``spring.security.oauth2.client.registration.user-info-mapping`` and
    ``...registration.user-info-requirements``
    (gate/gate-oauth2/src/main/java/com/netflix/spinnaker/gate/security/oauth2/OAuth2SsoConfig.java).
    """
    client = oauth2.client or OAuth2Client()
    reg_id = registration_id(client, oauth2)

    def of(value: Any, *path: str) -> Any:
        return derived(value, (*_OAUTH2, *path), rule=OAUTH2_RULE)

    registration: dict[str, Any] = {}
    if client.clientId is not None:
        registration["client-id"] = of(client.clientId, "client", "clientId")
    if client.clientSecret is not None:
        registration["client-secret"] = of(client.clientSecret, "client", "clientSecret")
    if client.scope is not None:
        registration["scope"] = of(_scope(client.scope), "client", "scope")
    method = _AUTH_METHODS.get(str(client.clientAuthenticationScheme or ""))
    if method is not None:
        registration["client-authentication-method"] = of(method, "client", "clientAuthenticationScheme")
    registration["authorization-grant-type"] = "authorization_code"
    registration["redirect-uri"] = derived(
        _redirect_uri(oauth2, reg_id, ctx),
        ("security", "apiSecurity", "overrideBaseUrl"),
        (*_OAUTH2, "client", "preEstablishedRedirectUri"),
        rule=OAUTH2_RULE,
    )

    provider: dict[str, Any] = {}
    if client.userAuthorizationUri is not None:
        provider["authorization-uri"] = of(client.userAuthorizationUri, "client", "userAuthorizationUri")
    if client.accessTokenUri is not None:
        provider["token-uri"] = of(client.accessTokenUri, "client", "accessTokenUri")
    if oauth2.resource is not None and oauth2.resource.userInfoUri is not None:
        provider["user-info-uri"] = of(oauth2.resource.userInfoUri, "resource", "userInfoUri")
    mapping = dump(oauth2.userInfoMapping)
    if reg_id not in _COMMON_PROVIDERS:
        # Spring's DefaultOAuth2UserService (which gate's SpinnakerOAuth2UserInfoService extends)
        # refuses a provider without a user-name attribute; gate's username mapping defaults to email.
        provider["user-name-attribute"] = of(mapping.get("username", "email"), "userInfoMapping", "username")

    registrations: dict[str, Any] = {reg_id: registration}
    if mapping:
        registrations["user-info-mapping"] = copied(mapping, (*_OAUTH2, "userInfoMapping"), rule=OAUTH2_RULE)
    if oauth2.userInfoRequirements:
        requirements = dict(oauth2.userInfoRequirements)
        registrations["user-info-requirements"] = copied(
            requirements, (*_OAUTH2, "userInfoRequirements"), rule=OAUTH2_RULE
        )
    out: dict[str, Any] = {"registration": registrations}
    if provider:
        out["provider"] = {reg_id: provider}
    return out
