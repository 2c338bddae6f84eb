"""Rules: the release, the time zone, canary analysis.

Halyard: halyard-config/.../validate/v1/DeploymentConfigurationValidator.java (timezone against
the known zone IDs, version against the published versions) and canary/CanaryValidator.java
(a CONFIGURATION_STORE/OBJECT_STORE account when canary is enabled).

kayenta's aws accounts (kayenta-aws AwsManagedAccount) take explicit keys as
``explicitCredentials.accessKey``/``secretKey``; halconfig's ``accessKeyId``/``secretAccessKey``
were never read by kayenta: Halyard wrote them into an AWS credentials file beside it
(halyard-deploy KayentaService.generateAwsProfile). kleat passes ``accessKeyId`` through unread.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, is_on, report, text
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.releases import LAST_1X, Version, is_known_release, releases_near

TIMEZONE = rule(
    "timezone-unknown",
    Severity.WARNING,
    "timezone is an IANA time zone (e.g. America/Los_Angeles): Java falls back to GMT for anything else",
    applies_to=("timezone",),
)
VERSION = rule(
    "version-unknown",
    Severity.WARNING,
    "version is a published Spinnaker release; anything else renders with the shapes of the last 1.x release",
    applies_to=("version",),
)
CANARY_METRICS = rule(
    "canary-no-metrics-store",
    Severity.WARNING,
    "enabled canary analysis has an enabled metrics integration with an account",
    applies_to=("canary.enabled", "canary.serviceIntegrations.*"),
)
CANARY_STORAGE = rule(
    "canary-no-storage",
    Severity.WARNING,
    "enabled canary analysis has an object store account (aws with s3Enabled, or google with gcsEnabled)",
    applies_to=("canary.enabled", "canary.serviceIntegrations.aws", "canary.serviceIntegrations.google"),
)

CANARY_AWS_KEY = rule(
    "canary-aws-key-unused",
    Severity.WARNING,
    "canary aws accounts get credentials from the task role or profiles.kayenta explicitCredentials: "
    "kayenta does not read accessKeyId",
    applies_to=("canary.serviceIntegrations.aws.accounts.*.accessKeyId",),
)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@check
def timezone(project: Project) -> None:
    zone = text(config_of(project).timezone)
    if zone is not None and zone not in _zones():
        report(project, TIMEZONE, ("timezone",), f"timezone {zone!r} is not an IANA time zone (e.g. Europe/Berlin)")


@check
def version(project: Project) -> None:
    release = project.release
    if release is None or is_known_release(release):
        return
    path = ("version",)
    if Version.parse(release) is None:
        message = (
            f"version {release!r} is not a release: services render with the property shapes of {LAST_1X}, "
            "and on the ECS target every services.<svc>.image must be given"
        )
    else:
        message = f"{release} is not a known Spinnaker release (known near it: {', '.join(releases_near(release))})"
    origin = project.release_origin or project.origin(path)
    project.diagnostics.warning(origin, VERSION.code, message, key="version")


@check
def canary(project: Project) -> None:
    canary = config_of(project).canary
    if canary is None or not is_on(canary.enabled):
        return
    integrations = canary.serviceIntegrations
    aws = integrations.aws if integrations is not None else None
    for i, account in enumerate(aws.accounts or [] if aws is not None else []):
        if account.accessKeyId is not None:
            report(
                project,
                CANARY_AWS_KEY,
                ("canary", "serviceIntegrations", "aws", "accounts", i, "accessKeyId"),
                "kayenta does not read accessKeyId (Halyard wrote it to an AWS credentials file): give "
                "kayenta's task role access to the bucket, or write kayenta.aws.accounts under profiles.kayenta "
                "(the list replaces this one) with explicitCredentials: accessKey, secretKey as {secret: ...}",
            )

    def on(key: str, flag: str | None = None) -> bool:
        integration = getattr(integrations, key, None)
        if integration is None or not is_on(integration.enabled) or not integration.accounts:
            return False
        return flag is None or is_on(getattr(integration, flag))

    metrics = any(on(k) for k in ("datadog", "newrelic", "prometheus", "signalfx")) or on(
        "google", "stackdriverEnabled"
    )
    if not metrics:
        report(
            project,
            CANARY_METRICS,
            ("canary", "enabled"),
            "canary is enabled but no metrics integration (datadog, newrelic, prometheus, signalfx, google "
            "with stackdriverEnabled) is enabled with an account",
        )
    if not (on("aws", "s3Enabled") or on("google", "gcsEnabled")):
        report(
            project,
            CANARY_STORAGE,
            ("canary", "enabled"),
            "canary is enabled but has no object store: enable aws with s3Enabled or google with gcsEnabled, "
            "with an account",
        )
