"""halconfig models generated from kleat's field tree (see tools/genmodels.py)."""

from __future__ import annotations

from spinconf.model.hal.storage import PersistentStorage
from spinconf.model.hal.providers import Providers
from spinconf.model.hal.artifacts import Artifacts
from spinconf.model.hal.notifications import Notifications
from spinconf.model.hal.pubsub import Pubsub
from spinconf.model.hal.ci import Ci
from spinconf.model.hal.stats import Stats
from spinconf.model.hal.features import Features
from spinconf.model.hal.webhook import WebhookConfig
from spinconf.model.hal.security import Security
from spinconf.model.hal.canary import Canary
from spinconf.model.hal.repository import Repository
from spinconf.model.hal.metric_stores import MetricStores
from spinconf.model.hal.extensibility import Spinnaker
from spinconf.model.hal.managed_delivery import ManagedDelivery

# halconfig root key -> model class, in kleat's field order
SECTIONS = {
    "persistentStorage": PersistentStorage,
    "providers": Providers,
    "artifacts": Artifacts,
    "notifications": Notifications,
    "pubsub": Pubsub,
    "ci": Ci,
    "stats": Stats,
    "features": Features,
    "webhook": WebhookConfig,
    "security": Security,
    "canary": Canary,
    "repository": Repository,
    "metricStores": MetricStores,
    "spinnaker": Spinnaker,
    "managedDelivery": ManagedDelivery,
}

__all__ = ["PersistentStorage", "Providers", "Artifacts", "Notifications", "Pubsub", "Ci", "Stats", "Features", "WebhookConfig", "Security", "Canary", "Repository", "MetricStores", "Spinnaker", "ManagedDelivery", "SECTIONS"]
