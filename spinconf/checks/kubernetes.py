"""Rules: kubernetes accounts.

Halyard: halyard-config/.../validate/v1/providers/kubernetes/KubernetesAccountValidator.java
(validateKindConfig, validateCacheThreads).
"""

from __future__ import annotations

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, report, text
from spinconf.diagnostics import Severity
from spinconf.loader import Project

KINDS_EXCLUSIVE = rule(
    "kubernetes-kinds-exclusive",
    Severity.ERROR,
    "a kubernetes account sets at most one of kinds and omitKinds",
    applies_to=("providers.kubernetes.accounts.*.kinds", "providers.kubernetes.accounts.*.omitKinds"),
)
CACHE_THREADS = rule(
    "kubernetes-cache-threads",
    Severity.ERROR,
    "cacheThreads is 0 or more",
    applies_to=("providers.kubernetes.accounts.*.cacheThreads",),
)
CUSTOM_RESOURCE_KIND = rule(
    "kubernetes-custom-resource-kind",
    Severity.ERROR,
    "each custom resource names its kubernetesKind",
    applies_to=("providers.kubernetes.accounts.*.customResources.*.kubernetesKind",),
)
CUSTOM_RESOURCE_UNCACHED = rule(
    "kubernetes-custom-resource-uncached",
    Severity.WARNING,
    "a custom resource is cached only when kinds lists it (if set) and omitKinds does not",
    applies_to=("providers.kubernetes.accounts.*.customResources.*.kubernetesKind",),
)


@check
def kubernetes_accounts(project: Project) -> None:
    config = config_of(project)
    kubernetes = config.providers.kubernetes if config.providers else None
    for i, account in enumerate(kubernetes.accounts or [] if kubernetes else []):
        path = ("providers", "kubernetes", "accounts", i)
        if account.kinds and account.omitKinds:
            report(
                project,
                KINDS_EXCLUSIVE,
                (*path, "omitKinds"),
                f"kubernetes account {account.name!r} sets both kinds and omitKinds: keep one",
            )
        if isinstance(account.cacheThreads, int) and account.cacheThreads < 0:
            report(
                project,
                CACHE_THREADS,
                (*path, "cacheThreads"),
                f"cacheThreads is {account.cacheThreads}: it must be 0 or more",
            )
        kinds = {k for k in account.kinds or [] if isinstance(k, str)}
        omitted = {k for k in account.omitKinds or [] if isinstance(k, str)}
        for j, resource in enumerate(account.customResources or []):
            where = (*path, "customResources", j)
            kind = text(resource.kubernetesKind)
            if resource.kubernetesKind is None or resource.kubernetesKind == "":
                report(project, CUSTOM_RESOURCE_KIND, where, "this custom resource has no kubernetesKind")
            elif kind is not None and ((kinds and kind not in kinds) or kind in omitted):
                why = "omitKinds lists it" if kind in omitted else "kinds does not list it"
                report(
                    project,
                    CUSTOM_RESOURCE_UNCACHED,
                    (*where, "kubernetesKind"),
                    f"custom resource {kind!r} will not be cached: {why}",
                )
