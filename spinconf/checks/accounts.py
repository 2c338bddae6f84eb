"""Rules: account names, primary accounts, providers without accounts.

Halyard's checks, offline: halyard-config/.../validate/v1/providers/{AccountValidator,
ProvidersValidator,ProviderValidator}.java and canary/{CanaryValidator,CanaryAccountValidator}.java.
"""

from __future__ import annotations

import re
from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import PROVIDERS, config_of, is_on, provider_accounts, report, text
from spinconf.diagnostics import Severity
from spinconf.loader import Project

# Halyard's CanaryAccountValidator pattern; clouddriver and kayenta key their credentials
# repositories by this name and Deck puts it in URLs.
ACCOUNT_NAME = re.compile(r"^[a-z0-9]+([-a-z0-9_]*[a-z0-9])?$")

NAME_MISSING = rule(
    "account-name-missing",
    Severity.ERROR,
    "every account needs a name: clouddriver and kayenta key accounts by it",
    applies_to=("providers.*.accounts.*.name", "canary.serviceIntegrations.*.accounts.*.name"),
)
NAME_INVALID = rule(
    "account-name-invalid",
    Severity.ERROR,
    "account names are lower-case letters, digits, '-' and '_', starting and ending with a letter or digit",
    applies_to=("providers.*.accounts.*.name", "canary.serviceIntegrations.*.accounts.*.name"),
)
NAME_DUPLICATE = rule(
    "account-name-duplicate",
    Severity.ERROR,
    "an account name is used once across all providers (and once across all canary integrations)",
    applies_to=("providers.*.accounts.*.name", "canary.serviceIntegrations.*.accounts.*.name"),
)
PRIMARY_UNKNOWN = rule(
    "primary-account-unknown",
    Severity.WARNING,
    "primaryAccount names an account of the same provider",
    applies_to=("providers.*.primaryAccount",),
)
NO_ACCOUNTS = rule(
    "provider-without-accounts",
    Severity.WARNING,
    "an enabled provider has at least one account",
    applies_to=("providers.*.enabled", "providers.*.accounts"),
)

CANARY_INTEGRATIONS = ("aws", "datadog", "google", "newrelic", "prometheus", "signalfx")


def _check_names(project: Project, accounts: list[tuple[tuple[Any, ...], Any]], scope: str) -> None:
    """Names present, well formed and unique within ``accounts`` (one pass, a dict of first places)."""
    first: dict[str, tuple[Any, ...]] = {}
    for path, name in accounts:
        if name is None or name == "":
            report(project, NAME_MISSING, path, "this account has no name")
            continue
        if not isinstance(name, str):
            continue  # {env: ...}: decided at start
        if not ACCOUNT_NAME.match(name):
            report(
                project,
                NAME_INVALID,
                (*path, "name"),
                f"account name {name!r} must match {ACCOUNT_NAME.pattern} (lower case, digits, '-' and '_')",
            )
        if name in first:
            where = project.origin(first[name] + ("name",))
            report(
                project,
                NAME_DUPLICATE,
                (*path, "name"),
                f"account {name!r} is already defined at {where.file}:{where.line} ({dotted_provider(first[name])}); "
                f"{scope} account names must be unique",
            )
        else:
            first[name] = path


def dotted_provider(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path[:-2])


@check
def account_names(project: Project) -> None:
    config = config_of(project)
    accounts = [(("providers", key, "accounts", i), a.name) for key, i, a in provider_accounts(config)]
    _check_names(project, accounts, "provider")
    integrations = config.canary.serviceIntegrations if config.canary else None
    canary: list[tuple[tuple[Any, ...], Any]] = []
    for key in CANARY_INTEGRATIONS:
        integration = getattr(integrations, key, None)
        for i, account in enumerate(getattr(integration, "accounts", None) or []):
            canary.append((("canary", "serviceIntegrations", key, "accounts", i), account.name))
    _check_names(project, canary, "canary")


@check
def primary_accounts(project: Project) -> None:
    config = config_of(project)
    if config.providers is None:
        return
    for key in PROVIDERS:
        provider = getattr(config.providers, key, None)
        if provider is None:
            continue
        accounts = provider.accounts or []
        primary = text(provider.primaryAccount)
        names = {a.name for a in accounts}
        if primary is not None and primary not in names:
            known = ", ".join(sorted(n for n in names if isinstance(n, str))) or "none"
            report(
                project,
                PRIMARY_UNKNOWN,
                ("providers", key, "primaryAccount"),
                f"primaryAccount {primary!r} is not an account of providers.{key} (accounts: {known})",
            )
        if is_on(provider.enabled) and not accounts:
            report(
                project,
                NO_ACCOUNTS,
                ("providers", key, "enabled"),
                f"providers.{key} is enabled but has no accounts: clouddriver loads nothing for it",
            )
