"""Rules: cross-references between sections (a name here must exist there)."""

from __future__ import annotations

from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import account_names, config_of, report, text
from spinconf.diagnostics import Severity
from spinconf.loader import Project

ECS_AWS_ACCOUNT = rule(
    "ecs-aws-account-unknown",
    Severity.ERROR,
    "an ECS account's awsAccount names an AWS account: clouddriver's ECS provider takes its credentials",
    applies_to=("providers.ecs.accounts.*.awsAccount",),
)
DOCKER_REGISTRY_REF = rule(
    "docker-registry-unknown",
    Severity.ERROR,
    "dockerRegistries[].accountName of a dcos account names a dockerRegistry account",
    applies_to=("providers.dcos.accounts.*.dockerRegistries.*.accountName",),
)
CANARY_ACCOUNT_REF = rule(
    "canary-account-unknown",
    Severity.WARNING,
    "canary.defaultMetricsAccount and canary.storageAccountName name canary accounts",
    applies_to=("canary.defaultMetricsAccount", "canary.storageAccountName"),
)
ARTIFACT_TEMPLATE = rule(
    "artifact-template-invalid",
    Severity.WARNING,
    "each artifacts.templates entry has a unique name and a templatePath",
    applies_to=("artifacts.templates.*",),
)


@check
def ecs_aws_accounts(project: Project) -> None:
    config = config_of(project)
    ecs = config.providers.ecs if config.providers else None
    if ecs is None or not ecs.accounts:
        return
    aws = account_names(config, "aws")
    for i, account in enumerate(ecs.accounts):
        path = ("providers", "ecs", "accounts", i, "awsAccount")
        ref = text(account.awsAccount)
        if account.awsAccount is None:
            report(project, ECS_AWS_ACCOUNT, path[:-1], f"ECS account {account.name!r} has no awsAccount")
        elif ref is not None and ref not in aws:
            report(
                project,
                ECS_AWS_ACCOUNT,
                path,
                f"awsAccount {ref!r} is not an account of providers.aws (accounts: {_list(aws)})",
            )


@check
def docker_registry_references(project: Project) -> None:
    config = config_of(project)
    if config.providers is None:
        return
    registries = account_names(config, "dockerRegistry")
    # Not kubernetes: Halyard's KubernetesAccountValidator checks dockerRegistries only for V1
    # accounts (spinnaker/halyard, halyard-config/.../validate/v1/providers/kubernetes/
    # KubernetesAccountValidator.java), and clouddriver's V2 provider, the only one since 1.21, never
    # reads them. DCOSAccountValidator checks them for every account.
    for provider in ("dcos",):
        model = getattr(config.providers, provider, None)
        for i, account in enumerate(getattr(model, "accounts", None) or []):
            for j, ref in enumerate(account.dockerRegistries or []):
                name = text(ref.accountName)
                if name is not None and name not in registries:
                    report(
                        project,
                        DOCKER_REGISTRY_REF,
                        ("providers", provider, "accounts", i, "dockerRegistries", j, "accountName"),
                        f"docker registry {name!r} is not an account of providers.dockerRegistry "
                        f"(accounts: {_list(registries)})",
                    )


@check
def canary_defaults(project: Project) -> None:
    config = config_of(project)
    canary = config.canary
    if canary is None:
        return
    names: set[Any] = set()
    integrations = canary.serviceIntegrations
    for key in ("aws", "datadog", "google", "newrelic", "prometheus", "signalfx"):
        integration = getattr(integrations, key, None)
        names.update(a.name for a in getattr(integration, "accounts", None) or [])
    for field in ("defaultMetricsAccount", "storageAccountName"):
        value = text(getattr(canary, field))
        if value is not None and value not in names:
            known = _list({n for n in names if isinstance(n, str)})
            report(
                project,
                CANARY_ACCOUNT_REF,
                ("canary", field),
                f"canary.{field} {value!r} is not a canary account (accounts: {known})",
            )


@check
def artifact_templates(project: Project) -> None:
    config = config_of(project)
    templates = config.artifacts.templates if config.artifacts else None
    seen: set[str] = set()
    for i, template in enumerate(templates or []):
        path = ("artifacts", "templates", i)
        name = text(template.name)
        if template.name is None or template.name == "":
            report(
                project, ARTIFACT_TEMPLATE, path, "this artifact template has no name: igor looks templates up by it"
            )
        elif name is not None and name in seen:
            report(project, ARTIFACT_TEMPLATE, (*path, "name"), f"artifact template {name!r} is defined twice")
        elif name is not None:
            seen.add(name)
        if template.templatePath is None or template.templatePath == "":
            report(project, ARTIFACT_TEMPLATE, path, f"artifact template {template.name!r} has no templatePath")


def _list(names: set[str]) -> str:
    return ", ".join(sorted(names)) or "none"
