"""halconfig models generated from kleat's field tree (see tools/genmodels.py)."""

from __future__ import annotations

# halconfig root key -> (module under spinconf.model.hal, model class), in kleat's field order
SECTIONS: dict[str, tuple[str, str]] = {
    "persistentStorage": ("storage", "PersistentStorage"),
    "providers": ("providers", "Providers"),
    "artifacts": ("artifacts", "Artifacts"),
    "notifications": ("notifications", "Notifications"),
    "pubsub": ("pubsub", "Pubsub"),
    "ci": ("ci", "Ci"),
    "stats": ("stats", "Stats"),
    "features": ("features", "Features"),
    "webhook": ("webhook", "WebhookConfig"),
    "security": ("security", "Security"),
    "canary": ("canary", "Canary"),
    "repository": ("repository", "Repository"),
    "metricStores": ("metric_stores", "MetricStores"),
    "spinnaker": ("extensibility", "Spinnaker"),
    "managedDelivery": ("managed_delivery", "ManagedDelivery"),
}
