"""Fields of Halyard's config model that spinconf's model leaves out, and why.

Every field of Halyard's ``halyard-config`` model v1 (``tools/halyard-model-fields.txt``, listed
by ``tools/halyard_model.py``) is either in spinconf's model (kleat's tree plus
``tools/halyard-fields.txt``), rewritten into it (``spinconf.model.legacy.HALYARD_FORMS``,
``spinconf fix``, ``import-hal``), converted (``deploymentEnvironment.customSizing`` ->
``services.<svc>.ecs``), or listed here with the reason it has no effect on the releases
spinconf renders (1.20 and later). ``import-hal`` drops these with the reason; a test fails
when a Halyard field is none of these.

Keys are dotted patterns (``*`` for a list item or map key) that cover the key and what is below it.
"""

from __future__ import annotations

_HALYARD_DEPLOYS = (
    "how Halyard itself deployed Spinnaker (its Kubernetes manifests or VM installs); spinconf renders "
    "files and ECS tasks: size and run services under services.<svc> (services.<svc>.ecs)"
)
_TYPE_TAG = "Halyard's own type tag (it chose the Java class): no service reads it"
_MONITORING = (
    "read only by Halyard's spinnaker-monitoring daemon, which no release since 1.20 ships (services publish "
    "their metrics themselves)"
)
_V1_KUBERNETES = "read only by clouddriver's V1 kubernetes provider, removed in Spinnaker 1.21"

DROPPED: dict[str, str] = {
    # --- deploymentEnvironment: Halyard's deployment of Spinnaker (customSizing is converted) ---
    "deploymentEnvironment.size": (
        "Halyard's preset container sizes for its Kubernetes deployment: set services.<svc>.ecs.cpu/memory"
    ),
    "deploymentEnvironment.haServices": (
        "Halyard split clouddriver and echo into several Kubernetes deployments (HA services); spinconf runs "
        "one task set per service: scale it with services.<svc>.ecs.desiredCount"
    ),
    "deploymentEnvironment.type": _HALYARD_DEPLOYS,
    "deploymentEnvironment.accountName": _HALYARD_DEPLOYS,
    "deploymentEnvironment.bootstrapOnly": _HALYARD_DEPLOYS,
    "deploymentEnvironment.location": _HALYARD_DEPLOYS,
    "deploymentEnvironment.imageVariant": _HALYARD_DEPLOYS,
    "deploymentEnvironment.updateVersions": _HALYARD_DEPLOYS,
    "deploymentEnvironment.consul": _HALYARD_DEPLOYS,
    "deploymentEnvironment.vault": _HALYARD_DEPLOYS,
    "deploymentEnvironment.gitConfig": "Halyard's `hal deploy` from git sources (LocalGit): not a deployment setting",
    "deploymentEnvironment.livenessProbeConfig": (
        "a Kubernetes liveness probe of Halyard's manifests: spinconf's ECS tasks use ecs health checks "
        "(services.<svc>.ecs.healthCheckGracePeriodSeconds)"
    ),
    "deploymentEnvironment.sidecars": _HALYARD_DEPLOYS,
    "deploymentEnvironment.initContainers": _HALYARD_DEPLOYS,
    "deploymentEnvironment.hostAliases": _HALYARD_DEPLOYS,
    "deploymentEnvironment.affinity": _HALYARD_DEPLOYS,
    "deploymentEnvironment.tolerations": _HALYARD_DEPLOYS,
    "deploymentEnvironment.nodeSelectors": _HALYARD_DEPLOYS,
    "deploymentEnvironment.customSizing": (
        "converted into services.<svc>.ecs (replicas -> desiredCount, limits/requests -> cpu/memory) where it maps"
    ),
    # --- type tags and ids the map key already gives ---
    "pubsub.google.pubsubType": _TYPE_TAG,
    "security.authn.iap.method": _TYPE_TAG,
    "security.authn.ldap.method": _TYPE_TAG,
    "security.authn.saml.method": _TYPE_TAG,
    "security.authn.x509.method": _TYPE_TAG,
    "security.authn.oauth2.method": _TYPE_TAG,
    "security.authz.groupMembership.*.roleProviderType": _TYPE_TAG,
    "metricStores.*.metricStoreType": _TYPE_TAG,
    "canary.serviceIntegrations.*.name": (
        "the integration's name is its key under serviceIntegrations (import-hal and fix turn Halyard's list "
        "into that mapping)"
    ),
    "canary.serviceIntegrations.aws.accounts.*.secretAccessKey": (
        "Halyard wrote it, with accessKeyId, into an AWS credentials file beside kayenta (KayentaService); on ECS "
        "kayenta uses its task role: grant the role the bucket, or set AWS_SECRET_ACCESS_KEY as "
        "{secret: ...} in services.kayenta.ecs.environment"
    ),
    "canary.serviceIntegrations.datadog.metadataCachingIntervalMS": (
        "Halyard's KayentaProfileFactory never wrote it for datadog (its DatadogConfig has enabled and accounts only)"
    ),
    "spinnaker.extensibility.plugins.*.id": "the plugin's id is its key under plugins",
    "spinnaker.extensibility.plugins.*.extensions.*.id": "the extension's id is its key under extensions",
    "spinnaker.extensibility.plugins.*.uiResourceLocation": (
        "deprecated by Halyard itself: deck's plugins come from gate's deck proxy (rendered for every enabled plugin)"
    ),
    # --- read by nothing spinconf deploys ---
    "metricStores.prometheus.add_source_metalabels": _MONITORING,
    "metricStores.prometheus.addSourceMetalabels": _MONITORING,
    "metricStores.stackdriver.instance_id": _MONITORING,
    "metricStores.stackdriver.instanceId": _MONITORING,
    "metricStores.period": _MONITORING,
    "metricStores.enabled": (
        "Halyard switched spectator's web endpoint on with it for its spinnaker-monitoring daemon "
        "(SpringProfileFactory), which no release since 1.20 ships"
    ),
    "providers.kubernetes.accounts.*.cluster": _V1_KUBERNETES,
    "providers.kubernetes.accounts.*.user": _V1_KUBERNETES,
    "providers.kubernetes.accounts.*.skin": _V1_KUBERNETES,
    "providers.kubernetes.accounts.*.configureImagePullSecrets": _V1_KUBERNETES,
    "providers.google.accounts.*.serviceAccountId": (
        "Halyard used it only for its own validation calls to Google (GoogleAccount.getNamedAccountCredentials): "
        "clouddriver's google accounts authenticate with jsonPath or the task's credentials"
    ),
    "providers.google.accounts.*.serviceAccountProject": (
        "Halyard used it only for its own validation calls to Google (GoogleAccount.getNamedAccountCredentials)"
    ),
    "providers.appengine.accounts.*.serviceAccountId": (
        "Halyard used it only for its own validation calls to Google (CommonGoogleAccount)"
    ),
    "providers.appengine.accounts.*.serviceAccountProject": (
        "Halyard used it only for its own validation calls to Google (CommonGoogleAccount)"
    ),
    "providers.cloudrun.accounts.*.serviceAccountId": (
        "Halyard used it only for its own validation calls to Google (CommonGoogleAccount)"
    ),
    "providers.cloudrun.accounts.*.serviceAccountProject": (
        "Halyard used it only for its own validation calls to Google (CommonGoogleAccount)"
    ),
    "persistentStorage.redis": (
        "Halyard replaced host and port with its own redis service's address (Front50ProfileFactory: "
        "setConnectionInfo(services.redis.baseUrl)): give front50 its redis with services.front50.redis.url"
    ),
    "stats.deploymentMethod": "echo's stats.deploymentMethod names the tool that deployed: spinconf writes its own",
    "stats.spinnakerVersion": "echo reports the release spinconf renders for (versions.txt)",
    "features.auth": "Halyard derived it from security.authn.enabled, which spinconf reads",
    "features.fiat": "Halyard derived it from security.authz.enabled, which spinconf reads",
    "features.jobs": "deck's run-job stage is always on since Spinnaker 1.20",
    "features.entityTags": (
        "Halyard's deck template wrote feature.entityTags: false whatever the value (deck's "
        "halconfig/settings.js); set deck.settings.feature.entityTags to change it"
    ),
    "halyardVersion": "the version of Halyard that wrote the file",
}

# Halyard's deprecated spelling of a section spinconf knows under another name
ALIASES: dict[str, str] = {
    "providers.oraclebmcs": "providers.oracle",
    "persistentStorage.oraclebmcs": "persistentStorage.oracle",
}


def dropped_reason(path: tuple[object, ...]) -> str | None:
    """Why a Halyard field at ``path`` (list indices as ints) has no place in spinconf, or None."""
    parts = ["*" if isinstance(p, int) else str(p) for p in path]
    for i in range(len(parts), 0, -1):
        head = parts[:i]
        for pattern, reason in DROPPED.items():
            pat = pattern.split(".")
            if len(pat) == len(head) and all(p in ("*", h) for p, h in zip(pat, head, strict=True)):
                return reason
    return None
