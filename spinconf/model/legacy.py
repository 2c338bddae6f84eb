"""Halyard-only forms that kleat renamed or dropped, with what to write instead.

Keys are dotted paths with ``*`` for list indices and map keys. Each is checked when
the model reports an unknown key (or a wrongly shaped value) at that path.
"""

from __future__ import annotations

HALYARD_FORMS: dict[str, str] = {
    "persistentStorage.persistentStoreType": (
        "Halyard's persistentStoreType is not used: set `enabled: true` on the store itself "
        "(persistentStorage.s3.enabled, ...) or use services.front50.sql"
    ),
    "canary.serviceIntegrations": (
        "canary.serviceIntegrations is a mapping by provider, not Halyard's list: "
        "write `serviceIntegrations: {google: {...}, prometheus: {...}}` (spinconf import-hal converts it)"
    ),
    "deploymentEnvironment": (
        "Halyard's deploymentEnvironment is not used: spinconf renders files (and, with an `ecs:` section, "
        "ECS task definitions); per-service settings go under services.<svc>"
    ),
    "name": "the Halyard deployment name is not part of the config: remove it",
    "plugins": "Halyard's top-level plugins moved: write spinnaker.extensibility.plugins",
    "notifications.github-status": "write notifications.githubStatus (kleat's spelling)",
    "notifications.githubstatus": "write notifications.githubStatus (kleat's spelling)",
    "metricStores.datadog.apiKey": "write metricStores.datadog.api_key (kleat's spelling)",
    "metricStores.datadog.appKey": "write metricStores.datadog.app_key (kleat's spelling)",
    "metricStores.newrelic.insertKey": "write metricStores.newrelic.insert_key (kleat's spelling)",
    "metricStores.prometheus.pushGateway": "write metricStores.prometheus.push_gateway (kleat's spelling)",
    "metricStores.stackdriver.credentialsPath": "write metricStores.stackdriver.credentials_path (kleat's spelling)",
    "features.artifacts": "artifacts are always on since Spinnaker 1.20: remove features.artifacts",
    "features.artifactsRewrite": "the artifacts rewrite is always on since Spinnaker 1.20: remove it",
    "features.mineCanary": "use canary.enabled instead of features.mineCanary",
    "canary.defaultStorageAccount": (
        "write canary.storageAccountName (kleat's name for Halyard's defaultStorageAccount)"
    ),
    "security.authn.saml.metadataRemote": (
        "write security.authn.saml.metadataUrl (Halyard's SamlConfig wrote it there)"
    ),
    "providers.*.accounts.*.providerVersion": (
        "Halyard's providerVersion has no effect: only clouddriver's kubernetes provider had versions, and "
        "only V2 exists since Spinnaker 1.21: remove it"
    ),
    "providers.kubernetes.accounts.*.providerVersion": (
        "only the V2 (manifest) kubernetes provider exists since Spinnaker 1.21: remove providerVersion"
    ),
    "security.authn.oauth2.client.clientSecret.encrypted": "write the secret as {secret: NAME}",
    # Halyard before 1.22 wrote these twice, also in lower case; the later one won (KubernetesAccount.java)
    "providers.kubernetes.accounts.*.oauthScopes": (
        "Halyard before 1.22 wrote oAuthScopes twice (also as oauthScopes): keep the one Halyard read, as oAuthScopes"
    ),
    "providers.kubernetes.accounts.*.oauthServiceAccount": (
        "Halyard before 1.22 wrote oAuthServiceAccount twice (also as oauthServiceAccount): keep the one Halyard "
        "read, as oAuthServiceAccount"
    ),
}


def halyard_hint(path: tuple[object, ...]) -> str | None:
    pattern = ".".join("*" if isinstance(p, int) else str(p) for p in path)
    if pattern in HALYARD_FORMS:
        return HALYARD_FORMS[pattern]
    # map keys (plugins, repositories) are also spelt `*` in the table
    parts = pattern.split(".")
    for i in range(len(parts)):
        alt = ".".join([*parts[:i], "*", *parts[i + 1 :]])
        if alt in HALYARD_FORMS:
            return HALYARD_FORMS[alt]
    return None
