"""The root of the config model: Halyard's deployment configuration plus spinconf's sections.

Each section's classes are imported and their validators built only when a project uses the
section (see :mod:`spinconf.model.validate`): the whole model is about 170 classes, and building
all of them took a third of a pre-commit ``validate``'s time. :func:`complete_config` resolves
every section, for what walks the whole model (JSON schema, reference, error hints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from spinconf.model.base import SectionedModel, Str
from spinconf.model.hal import SECTIONS as HAL_SECTIONS
from spinconf.model.secrets import SecretSource

if TYPE_CHECKING:
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
    from spinconf.model.kubernetes import Kubernetes
    from spinconf.model.observability import Observability
    from spinconf.model.services import Services

# section class -> module that defines it (the annotations below name these classes)
SECTION_MODULES: dict[str, str] = {
    **{cls: f"spinconf.model.hal.{module}" for module, cls in HAL_SECTIONS.values()},
    "Services": "spinconf.model.services",
    "Deck": "spinconf.model.deck",
    "Ecs": "spinconf.model.ecs",
    "Observability": "spinconf.model.observability",
    "Kubernetes": "spinconf.model.kubernetes",
}


class Config(SectionedModel):
    """One merged spinconf project (every overlay of a layer stack)."""

    section_modules: ClassVar[dict[str, str]] = SECTION_MODULES

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
    observability: Observability | None = None
    kubernetes: Kubernetes | None = None


def complete_config() -> type[Config]:
    """:class:`Config` with every section's class resolved (imports and builds the whole model)."""
    Config.complete()
    return Config


__all__ = ["Config", "Str", "complete_config"]
