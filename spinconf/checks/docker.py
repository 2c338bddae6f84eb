"""Rules: docker registry accounts.

Halyard: halyard-config/.../validate/v1/providers/dockerRegistry/DockerRegistryAccountValidator.java
(its network checks are left out: spinconf validates offline).
"""

from __future__ import annotations

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, given, report, text, url_problem
from spinconf.diagnostics import Severity
from spinconf.loader import Project

PASSWORD_SOURCES = rule(
    "docker-password-sources",
    Severity.ERROR,
    "a docker registry account has at most one of password, passwordCommand and passwordFile",
    applies_to=(
        "providers.dockerRegistry.accounts.*.password",
        "providers.dockerRegistry.accounts.*.passwordCommand",
        "providers.dockerRegistry.accounts.*.passwordFile",
    ),
)
CREDENTIALS_HALF = rule(
    "docker-credentials-incomplete",
    Severity.WARNING,
    "a docker registry account has a username and a password, or neither (anonymous)",
    applies_to=("providers.dockerRegistry.accounts.*.username",),
)
ADDRESS = rule(
    "docker-address-invalid",
    Severity.ERROR,
    "a docker registry account has an address: a host, or an http(s) URL",
    applies_to=("providers.dockerRegistry.accounts.*.address",),
)

_SECRET_SOURCES = ("password", "passwordCommand", "passwordFile")


def _address_problem(address: str) -> str | None:
    # clouddriver's DockerRegistryNamedAccountCredentials prefixes https:// when the address has no scheme
    candidate = address if "://" in address else "https://" + address
    return url_problem(candidate)


@check
def docker_registry_accounts(project: Project) -> None:
    config = config_of(project)
    registry = config.providers.dockerRegistry if config.providers else None
    for i, account in enumerate(registry.accounts or [] if registry else []):
        path = ("providers", "dockerRegistry", "accounts", i)
        sources = [f for f in _SECRET_SOURCES if given(getattr(account, f))]
        if len(sources) > 1:
            report(
                project,
                PASSWORD_SOURCES,
                (*path, sources[1]),
                f"docker registry {account.name!r} sets {' and '.join(sources)}: give at most one",
            )
        elif sources and not given(account.username):
            report(
                project,
                CREDENTIALS_HALF,
                (*path, sources[0]),
                f"docker registry {account.name!r} has a {sources[0]} but no username",
            )
        elif not sources and given(account.username):
            report(
                project,
                CREDENTIALS_HALF,
                (*path, "username"),
                f"docker registry {account.name!r} has a username but no password, passwordCommand or passwordFile",
            )
        address = text(account.address)
        if account.address is None or account.address == "":
            report(project, ADDRESS, path, f"docker registry {account.name!r} has no address (e.g. index.docker.io)")
        elif address is not None and (problem := _address_problem(address)) is not None:
            report(project, ADDRESS, (*path, "address"), f"docker registry address {address!r} {problem}")
