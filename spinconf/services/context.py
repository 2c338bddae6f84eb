"""What every service module gets: the typed config, the release and the deployment's topology."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spinconf.model.config import Config
from spinconf.model.services import SERVICE_NAMES, Service
from spinconf.refs import EnvRef, SecretRef
from spinconf.releases import PORTS, Release
from spinconf.targets.discovery import decide

# What the enabled flag of each optional service follows when services.<svc>.enabled is unset
# (as Halyard and kleat derived it).
DEFAULT_BASE_URL = "http://localhost:{port}"


def _on(value: Any) -> bool:
    return value is True


@dataclass(frozen=True)
class Topology:
    """Which services run, on which port, and at which URL their peers reach them."""

    enabled: dict[str, bool]
    ports: dict[str, int]
    base_urls: dict[str, str | SecretRef | EnvRef]
    # how each base URL was decided (for `spinconf explain`)
    url_rules: dict[str, str] = field(default_factory=dict)
    # spinnaker.yml keys of the parts of a service the Kubernetes base splits (services.clouddriverRw ...)
    part_urls: dict[str, dict[str, str]] = field(default_factory=dict)

    def is_enabled(self, svc: str) -> bool:
        return self.enabled.get(svc, False)


def service(config: Config, svc: str) -> Service:
    found = getattr(config.services, svc, None) if config.services else None
    return found if found is not None else Service()


def derived_enabled(config: Config) -> dict[str, bool]:
    sec = config.security
    ci = config.ci
    ci_on = bool(ci) and any(
        _on(getattr(getattr(ci, kind, None), "enabled", None))
        for kind in ("jenkins", "travis", "wercker", "concourse", "gcb", "codebuild")
    )
    docker_on = bool(
        config.providers and config.providers.dockerRegistry and _on(config.providers.dockerRegistry.enabled)
    )
    artifactory = config.repository.artifactory if config.repository else None
    artifactory_on = bool(artifactory and _on(artifactory.enabled))
    nexus = config.repository.nexus if config.repository else None
    nexus_on = bool(nexus and _on(nexus.enabled))
    return {
        "fiat": bool(sec and sec.authz and _on(sec.authz.enabled)),
        "kayenta": bool(config.canary and _on(config.canary.enabled)),
        "keel": bool(config.managedDelivery and _on(config.managedDelivery.enabled)),
        # Halyard ran igor for CI or docker registries (KubernetesV2IgorService.isEnabled); igor also
        # polls Artifactory (igor-monitor-artifactory: @ConditionalOnProperty("artifactory.enabled")) and
        # takes Nexus's webhooks (igor-web NexusController: @ConditionalOnProperty("nexus.enabled")).
        "igor": ci_on or docker_on or artifactory_on or nexus_on,
    }


def topology(config: Config) -> Topology:
    derived = derived_enabled(config)
    enabled: dict[str, bool] = {}
    ports: dict[str, int] = {}
    urls: dict[str, str | SecretRef | EnvRef] = {}
    rules: dict[str, str] = {}
    sec = config.security
    overrides = {
        "gate": sec.apiSecurity.overrideBaseUrl if sec and sec.apiSecurity else None,
        "deck": sec.uiSecurity.overrideBaseUrl if sec and sec.uiSecurity else None,
    }
    # on ECS the discovery decides the peer URLs and the names published (targets/discovery.py)
    peers = decide(config.ecs) if config.ecs is not None else None
    for svc in SERVICE_NAMES:
        s = service(config, svc)
        enabled[svc] = s.enabled if isinstance(s.enabled, bool) else derived.get(svc, True)
        port = s.port if isinstance(s.port, int) else PORTS[svc]
        ports[svc] = port
        if s.baseUrl is not None:
            urls[svc], rules[svc] = s.baseUrl, f"services.{svc}.baseUrl"
        elif (override := overrides.get(svc)) is not None:
            key = "apiSecurity" if svc == "gate" else "uiSecurity"
            urls[svc], rules[svc] = override, f"security.{key}.overrideBaseUrl"
        elif peers is not None:
            urls[svc], rules[svc] = peers.url(svc, port), peers.source
        elif config.kubernetes is not None:
            urls[svc], rules[svc] = cluster_url(config, svc, port)
        else:
            urls[svc] = DEFAULT_BASE_URL.format(port=port)
            rules[svc] = "default: http://localhost:<port>"
    return Topology(enabled, ports, urls, rules, cluster_parts(config, ports, rules))


def cluster_url(config: Config, svc: str, port: int) -> tuple[str, str]:
    """Off ECS, on the Kubernetes target: the peer's Service in the namespace (services/cluster.py)."""
    from spinconf.services import cluster

    assert config.kubernetes is not None
    return cluster.peer_url(config.kubernetes, svc, port), "kubernetes.namespace"


def cluster_parts(config: Config, ports: dict[str, int], rules: dict[str, str]) -> dict[str, dict[str, str]]:
    """The split services' parts, where the base splits them and their URL is the cluster's."""
    if config.kubernetes is None or config.ecs is not None:
        return {}
    from spinconf.services import cluster

    found = {}
    for svc in SERVICE_NAMES:
        if rules.get(svc) == "kubernetes.namespace":
            parts = cluster.part_urls(config.kubernetes, svc, ports[svc])
            if parts:
                found[svc] = parts
    return found


@dataclass(frozen=True)
class RenderContext:
    config: Config
    release: Release
    topology: Topology


def builds_images(config: Config) -> bool:
    """Whether the project's services run images spinconf writes build contexts for: always, except on
    the Kubernetes target without ``kubernetes.dockerfiles`` (the upstream images with the config mounted)."""
    kubernetes = config.kubernetes
    return kubernetes is None or kubernetes.dockerfiles is True or config.ecs is not None


def server_port(ctx: RenderContext, svc: str) -> dict[str, Any]:
    """``server.port`` when the service listens elsewhere than its release default.

    The images carry no Halyard skeleton (``server.port: ${services.<svc>.port:...}``, the
    deprecated <svc>/halconfig/<svc>.yml), so only the service's own file moves the port.
    """
    port = ctx.topology.ports.get(svc, PORTS[svc])
    return {"server": {"port": port}} if port != PORTS[svc] else {}
