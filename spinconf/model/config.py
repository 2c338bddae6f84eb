"""The root of the config model: Halyard's deployment configuration plus spinconf's sections."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from spinconf.model.base import SpinModel, Str
from spinconf.model.deck import Deck
from spinconf.model.ecs import Ecs
from spinconf.model.hal.artifacts import Artifacts
from spinconf.model.hal.canary import Canary
from spinconf.model.hal.ci import Ci
from spinconf.model.hal.extensibility import Spinnaker
from spinconf.model.hal.features import Features
from spinconf.model.hal.managed_delivery import ManagedDelivery
from spinconf.model.hal.metric_stores import MetricStores
from spinconf.model.hal.notifications import Notifications
from spinconf.model.hal.providers import Providers
from spinconf.model.hal.pubsub import Pubsub
from spinconf.model.hal.repository import Repository
from spinconf.model.hal.security import Security
from spinconf.model.hal.stats import Stats
from spinconf.model.hal.storage import PersistentStorage
from spinconf.model.hal.webhook import WebhookConfig
from spinconf.model.secrets import SecretSource
from spinconf.model.services import Services


class Config(SpinModel):
    """One merged spinconf project (every overlay of a layer stack)."""

    version: str | None = Field(default=None, description="Spinnaker release, e.g. 2025.2.0 or 1.22.1")
    timezone: str | None = Field(default=None, description="IANA time zone, e.g. America/Los_Angeles")
    providers: Providers | None = None
    persistentStorage: PersistentStorage | None = None
    artifacts: Artifacts | None = None
    notifications: Notifications | None = None
    pubsub: Pubsub | None = None
    ci: Ci | None = None
    stats: Stats | None = None
    features: Features | None = None
    webhook: WebhookConfig | None = None
    security: Security | None = None
    canary: Canary | None = None
    repository: Repository | None = None
    metricStores: MetricStores | None = None
    spinnaker: Spinnaker | None = None
    managedDelivery: ManagedDelivery | None = None
    # spinconf's own sections
    services: Services | None = None
    profiles: dict[str, dict[str, Any]] | None = Field(
        default=None, description="free-form Spring YAML deep-merged last into <name>.yml"
    )
    deck: Deck | None = None
    secrets: dict[str, SecretSource] | None = None
    ecs: Ecs | None = None


__all__ = ["Config", "Str"]
