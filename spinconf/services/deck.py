"""deck's settings.js: the browser's ``window.spinnakerSettings``.

deck's image serves ``/opt/deck/html/settings.js``, built from deck's own settings.js;
``docker/run-apache2.sh`` replaces it with ``/opt/spinnaker/config/settings.js`` at
start. The file written here is therefore a full replacement: deck's defaults for the
release (``spinconf/data/deck/<era>.json``, each citing the source it was read from),
then what the config says (the mapping of kleat's ``internal/convert/deck.go`` and
Halyard's ``halconfig/settings.js``), then ``deck.settings`` deep-merged last.

The browser is public: no secret-bearing field is read, and any reference object that
would land in the object is dropped (``spinconf.checks.deck`` reports where).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from spinconf.model.base import dump
from spinconf.model.hal.fieldinfo import LOCAL_FILE_FIELDS, SECRET_FIELDS, SECRET_FILE_FIELDS
from spinconf.refs import EnvRef, SecretRef
from spinconf.releases import Release, Version

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered
    from spinconf.services.context import RenderContext

SETTINGS_JS = "services/deck/settings.js"
SETTINGS_LOCAL_JS = "services/deck/settings-local.js"
SETTINGS_TARGET = "window.spinnakerSettings"

# halconfig provider name -> deck's key under `providers` (kleat's deck.go; deck's settings.js)
PROVIDER_KEYS = {
    "appengine": "appengine",
    "aws": "aws",
    "azure": "azure",
    "cloudfoundry": "cloudfoundry",
    "dcos": "dcos",
    "ecs": "ecs",
    "google": "gce",
    "huaweicloud": "huaweicloud",
    "kubernetes": "kubernetes",
    "oracle": "oracle",
}
# providers whose deck defaults carry a region: the first region of the primary account
REGIONAL = {"aws", "azure", "google", "huaweicloud"}
# halconfig notification -> deck's key under `notifications`; deck reads `googlechat` and `sms`
# (packages/core/src/notification/selector/types/*/*.notification.ts, `key:`)
NOTIFICATION_KEYS = {
    "bearychat": "bearychat",
    "email": "email",
    "githubStatus": "githubStatus",
    "googlechat": "googlechat",
    "microsoftteams": "microsoftteams",
    "pubsub": "pubsub",
    "slack": "slack",
    "twilio": "sms",
}
# Halyard showed these only when echo was configured for them (halconfig/settings.js:
# `enabled: '{%notifications.slack.enabled%}' === 'true'`); deck's own default is true.
OFF_UNLESS_CONFIGURED = {"slack", "twilio", "githubStatus"}
_HIDDEN = SECRET_FIELDS | SECRET_FILE_FIELDS | LOCAL_FILE_FIELDS


# ---------------------------------------------------------------- deck's defaults per release


@cache
def _eras() -> tuple[tuple[Version, str], ...]:
    folder = resources.files("spinconf") / "data" / "deck"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            version = Version.parse(entry.name.removesuffix(".json") + ".0")
            if version is not None:
                found.append((version, entry.name.removesuffix(".json")))
    return tuple(sorted(found))


def era_of(release: Release) -> str:
    """The data file for a release: the newest era that starts at or before it (else the oldest)."""
    eras = _eras()
    chosen = eras[0][1]
    for start, name in eras:
        if start <= release.version:
            chosen = name
    return chosen


@cache
def _era_data(era: str) -> dict[str, Any]:
    text = (resources.files("spinconf") / "data" / "deck" / f"{era}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def deck_defaults(release: Release) -> dict[str, Any]:
    """A fresh copy of the settings deck's image carries for this release."""
    settings: dict[str, Any] = json.loads(json.dumps(_era_data(era_of(release))["settings"]))
    return settings


# ---------------------------------------------------------------- the config's values


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set a nested key, creating mappings on the way; None means "the config says nothing"."""
    if value is None:
        return
    node = target
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = value


def _with_scheme(url: str, https: bool) -> str:
    return "https://" + url.removeprefix("http://") if https and url.startswith("http://") else url


def internal_gate_url(ctx: RenderContext) -> str | SecretRef | EnvRef:
    """gate's base URL as the other containers reach it; https when gate serves TLS on the default URL."""
    url = ctx.topology.base_urls["gate"]
    rule = ctx.topology.url_rules.get("gate", "")
    sec = ctx.config.security
    ssl = sec.apiSecurity.ssl if sec and sec.apiSecurity else None
    if isinstance(url, str) and rule.startswith("default") and ssl is not None and ssl.enabled is True:
        return _with_scheme(url, True)
    return url


def browser_gate_url(ctx: RenderContext) -> str | None:
    """Where browsers reach gate: apiSecurity.overrideBaseUrl, else gate's base URL (kleat's getGateURL)."""
    sec = ctx.config.security
    override = sec.apiSecurity.overrideBaseUrl if sec and sec.apiSecurity else None
    if override is not None:
        return _text(override)
    return _text(internal_gate_url(ctx))


def _primary_account(provider: Any) -> tuple[str | None, Any]:
    """The primary account's name and model; Halyard made the first account primary when none was named."""
    accounts = [a for a in (getattr(provider, "accounts", None) or []) if a is not None]
    primary = getattr(provider, "primaryAccount", None)
    name = _text(primary)
    if primary is None and accounts:
        name = _text(getattr(accounts[0], "name", None))
    account = next((a for a in accounts if getattr(a, "name", None) == name), None)
    return name, account


def _first_region(account: Any) -> str | None:
    for region in getattr(account, "regions", None) or []:
        # aws regions are {name: ...}; the others plain strings
        return _text(getattr(region, "name", region))
    return None


def _providers(ctx: RenderContext, out: dict[str, Any]) -> None:
    providers = ctx.config.providers
    for hal_name, deck_key in PROVIDER_KEYS.items():
        provider = getattr(providers, hal_name, None) if providers else None
        if provider is None or provider.enabled is not True:
            continue
        _put(out, ("providers", deck_key), {})
        if hal_name == "kubernetes":
            continue  # deck's kubernetes provider takes no defaults (kleat writes `kubernetes: {}`)
        name, account = _primary_account(provider)
        _put(out, ("providers", deck_key, "defaults", "account"), name)
        if hal_name in REGIONAL and account is not None:
            _put(out, ("providers", deck_key, "defaults", "region"), _first_region(account))


def _notifications(ctx: RenderContext, out: dict[str, Any]) -> None:
    notifications = ctx.config.notifications
    for hal_name, deck_key in NOTIFICATION_KEYS.items():
        model = getattr(notifications, hal_name, None) if notifications else None
        if hal_name in OFF_UNLESS_CONFIGURED:
            _put(out, ("notifications", deck_key, "enabled"), bool(model is not None and model.enabled is True))
        if model is None:
            continue
        fields = dump(model)
        for key, value in fields.items():
            if f"notifications.{hal_name}.{key}" in _HIDDEN:
                continue  # tokens stay with echo
            _put(out, ("notifications", deck_key, key), value)


def _canary(ctx: RenderContext, out: dict[str, Any]) -> None:
    canary = ctx.config.canary
    _put(out, ("canary", "featureDisabled"), not (canary is not None and canary.enabled is True))
    if canary is None:
        return
    _put(out, ("canary", "defaultJudge"), _text(canary.defaultJudge))
    _put(out, ("canary", "metricsAccountName"), _text(canary.defaultMetricsAccount))
    _put(out, ("canary", "metricStore"), _text(canary.defaultMetricsStore))
    _put(out, ("canary", "showAllConfigs"), _flag(canary.showAllConfigsEnabled))
    _put(out, ("canary", "storageAccountName"), _text(canary.storageAccountName))
    _put(out, ("canary", "templatesEnabled"), _flag(canary.templatesEnabled))
    _put(out, ("canary", "atlasWebComponentsUrl"), _text(canary.atlasWebComponentsUrl))
    if canary.enabled is True:
        # Halyard's DeckProfileFactory bound canary.stages and canary.reduxLogger from Canary.java,
        # whose stagesEnabled and reduxLoggerEnabled default to true (spinnaker/halyard,
        # halyard-deploy/.../profile/deck/DeckProfileFactory.java), into deck's halconfig/settings.js
        # (`stagesEnabled: '{%canary.stages%}' === 'true'`). deck registers the canary analysis stage
        # only when canary.stagesEnabled is true; its own default is false.
        stages = _flag(canary.stagesEnabled)
        logger = _flag(canary.reduxLoggerEnabled)
        _put(out, ("canary", "stagesEnabled"), True if stages is None else stages)
        _put(out, ("canary", "reduxLogger"), True if logger is None else logger)


def _features(ctx: RenderContext, out: dict[str, Any]) -> None:
    cfg = ctx.config
    features = cfg.features
    if features is not None:
        _put(out, ("feature", "pipelineTemplates"), _flag(features.pipelineTemplates))
        _put(out, ("feature", "chaosMonkey"), _flag(features.chaos))
        _put(out, ("feature", "managedPipelineTemplatesV2UI"), _flag(features.managedPipelineTemplatesV2UI))
        # Halyard's DeckProfileFactory bound these into deck's halconfig/settings.js `feature` block
        for flag in ("infrastructureStages", "travis", "wercker"):
            _put(out, ("feature", flag), _flag(getattr(features, flag)))
    authz = cfg.security.authz if cfg.security else None
    _put(out, ("feature", "fiatEnabled"), bool(authz is not None and authz.enabled is True))
    delivery = _flag(cfg.managedDelivery.enabled) if cfg.managedDelivery else None
    _put(out, ("feature", "managedDelivery"), delivery)
    _put(out, ("feature", "managedResources"), delivery)
    # Halyard always ran rosco and said so (halconfig/settings.js: `roscoMode: true`): bake stages use it
    _put(out, ("feature", "roscoMode"), ctx.topology.is_enabled("rosco"))


def config_settings(ctx: RenderContext) -> dict[str, Any]:
    """What the config says about deck (kleat's HalToDeck), without deck's defaults."""
    out: dict[str, Any] = {}
    gate = browser_gate_url(ctx)
    _put(out, ("gateUrl",), gate)
    authn = ctx.config.security.authn if ctx.config.security else None
    _put(out, ("authEnabled",), bool(authn is not None and authn.enabled is True))
    if gate is not None:
        _put(out, ("authEndpoint",), gate + "/auth/user")
        # {{...}} is deck's own template syntax, filled in the browser per bake
        _put(out, ("bakeryDetailUrl",), gate + "/bakery/logs/{{context.region}}/{{context.status.resourceId}}")
    _canary(ctx, out)
    _notifications(ctx, out)
    _providers(ctx, out)
    _put(out, ("version",), ctx.release.text)
    _put(out, ("defaultTimeZone",), _text(ctx.config.timezone))
    _features(ctx, out)
    return out


def without_references(value: Any) -> Any:
    """A copy without any secret or environment reference: nothing resolves them in a browser."""
    if isinstance(value, dict):
        return {k: without_references(v) for k, v in value.items() if not isinstance(v, SecretRef | EnvRef)}
    if isinstance(value, list):
        return [without_references(v) for v in value if not isinstance(v, SecretRef | EnvRef)]
    return value


def _adjust_gce_zone(defaults: dict[str, Any], configured: dict[str, Any]) -> None:
    # deck's default gce zone (us-central1-f) would sit beside a configured region it is not in
    region = configured.get("providers", {}).get("gce", {}).get("defaults", {}).get("region")
    gce = defaults.get("providers", {}).get("gce", {}).get("defaults", {})
    if isinstance(region, str) and isinstance(gce.get("zone"), str) and not gce["zone"].startswith(region + "-"):
        del gce["zone"]


def settings(ctx: RenderContext) -> dict[str, Any]:
    """The whole ``window.spinnakerSettings``: deck's defaults, the config, then ``deck.settings``."""
    from spinconf.render import merge_profile

    defaults = deck_defaults(ctx.release)
    configured = without_references(config_settings(ctx))
    _adjust_gce_zone(defaults, configured)
    merged = merge_profile(defaults, configured)
    extra = ctx.config.deck.settings if ctx.config.deck else None
    result: dict[str, Any] = without_credentials(without_references(merge_profile(merged, extra)))
    return result


# `scheme://userinfo@`: a browser never needs a URL's user or password, and settings.js goes to every browser
URL_USERINFO = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s]*@")


def without_credentials(value: Any) -> Any:
    """A copy with the user and password taken out of every URL (plaintextSecrets: warn lets them
    into the config; they still never reach settings.js)."""
    if isinstance(value, str):
        return URL_USERINFO.sub(r"\1", value) if "@" in value else value
    if isinstance(value, dict):
        return {k: without_credentials(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_credentials(v) for v in value]
    return value


# ---------------------------------------------------------------- the container


def container_environment(ctx: RenderContext) -> dict[str, Any]:
    """deck's environment (docker/run-apache2.sh): values are text or a SecretRef/EnvRef for the target.

    ``PASSPHRASE`` is the TLS key's passphrase: it is passed on as written in the config
    (a SecretRef becomes an ECS secret; plain text only passes validation with
    ``plaintextSecrets: warn``).
    """
    env: dict[str, Any] = {
        # apache proxies /gate to API_HOST (docker/spinnaker.conf.gen): gate as the container reaches it
        "API_HOST": internal_gate_url(ctx),
        "DECK_HOST": "0.0.0.0",  # noqa: S104 - apache must listen beyond the container's loopback
        "DECK_PORT": str(ctx.topology.ports["deck"]),
    }
    sec = ctx.config.security
    ssl = sec.uiSecurity.ssl if sec and sec.uiSecurity else None
    if ssl is None or ssl.enabled is not True:
        return env
    # run-apache2.sh switches to docker/spinnaker.conf.ssl when DECK_CERT is set (kleat's deck_env.go)
    for name, value in (
        ("DECK_CERT", ssl.sslCertificateFile),
        ("DECK_KEY", ssl.sslCertificateKeyFile),
        ("PASSPHRASE", ssl.sslCertificatePassphrase),
    ):
        if value is not None and value != "":
            env[name] = value
    return env


# ---------------------------------------------------------------- the files


def settings_local_source(project: Project) -> bytes | None:
    """The bytes of ``deck.settingsLocalFile``, or None when unset or unreadable (the checks report it)."""
    deck = project.config.deck if project.config else None
    rel = deck.settingsLocalFile if deck else None
    if not isinstance(rel, str) or not rel:
        return None
    from spinconf.project import inside

    path = project.root / rel
    if not inside(project.root, path) or not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def files(project: Project, ctx: RenderContext, rendered: Rendered) -> None:
    """Add ``services/deck/settings.js`` (and ``settings-local.js``) when deck is enabled."""
    if not ctx.topology.is_enabled("deck"):
        return
    from spinconf.js import assignment
    from spinconf.render import header

    document = settings(ctx)
    rendered.documents["deck"] = {"settings.js": document}
    notice = js_comment(header(project, ctx, "//"))
    text = notice + "'use strict';\n\n" + assignment(SETTINGS_TARGET, document)
    rendered.files[SETTINGS_JS] = text.encode("utf-8")
    local = settings_local_source(project)
    if local is not None:
        rendered.files[SETTINGS_LOCAL_JS] = notice.encode("utf-8") + local


# JavaScript ends a // comment at any of these (ECMA-262 LineTerminator), not only at \n
_JS_LINE_END = re.compile("\r\n|[\n\r\u2028\u2029]")


def js_comment(text: str) -> str:
    """``text`` as // comment lines only: a release or folder name with a line break stays a comment."""
    lines = [line for line in _JS_LINE_END.split(text) if line]
    return "".join((line if line.startswith("//") else "// " + line) + "\n" for line in lines)
