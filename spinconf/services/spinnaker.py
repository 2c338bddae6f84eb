"""``spinnaker.yml``: the file every Java service reads, with the deployment's endpoints.

Halyard's SpinnakerProfileFactory wrote ``services.<svc>.{host,port,baseUrl,enabled}`` for
every service and ``global.spinnaker.timezone``; the services read
``${services.<svc>.baseUrl:http://localhost:<port>}`` and ``${services.<svc>.enabled:...}``
in their bundled <svc>.yml (e.g. orca-web/config/orca.yml), and orca and echo read
``${global.spinnaker.timezone:America/Los_Angeles}``.

On the Kubernetes target this file replaces the base's own spinnaker.yml (generators merge by
file name), so it carries what that file did: the parts of a split service (kustomization-base's
core/service-discovery/spinnaker.yml) and spinnaker-kustomize's ``spring.config.import``
(base/spinnaker.yml), which loads the files its components mount in subfolders.

``services.redis.baseUrl`` is not written here: each service's redis goes into its own file
(``redis.connection``), since this file reaches every service and a redis URL may carry a password.
"""

from __future__ import annotations

from typing import Any

from spinconf.model.services import SERVICE_NAMES
from spinconf.services.context import RenderContext

# spinnaker/spinnaker-kustomize base/spinnaker.yml: components mount <dir>/<svc>.yml beside the config
SPINNAKER_KUSTOMIZE_IMPORT = "optional:file:/opt/spinnaker/config/*/"
# Halyard's distributed deployments bound every service to all interfaces; only Halyard's
# skeleton profiles (server.address: ${services.<svc>.host:localhost}) read it.
BIND_HOST = "0.0.0.0"  # noqa: S104 (a container listens on its task ENI)


def profile(ctx: RenderContext) -> dict[str, Any]:
    topo = ctx.topology
    services: dict[str, Any] = {}
    for svc in SERVICE_NAMES:
        services[svc] = {
            "baseUrl": topo.base_urls[svc],
            "enabled": topo.is_enabled(svc),
            "host": BIND_HOST,
            "port": topo.ports[svc],
        }
        for key, url in topo.part_urls.get(svc, {}).items():
            services[key] = {"baseUrl": url, "enabled": topo.is_enabled(svc)}
    doc: dict[str, Any] = {"services": dict(sorted(services.items()))}
    kubernetes = ctx.config.kubernetes
    if kubernetes is not None and kubernetes.base == "spinnaker-kustomize":
        doc["spring"] = {"config": {"import": SPINNAKER_KUSTOMIZE_IMPORT}}
    if ctx.config.timezone:
        doc["global"] = {"spinnaker": {"timezone": ctx.config.timezone}}
    return doc
