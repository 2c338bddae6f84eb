"""Peer addresses inside a Kubernetes cluster (the Kubernetes target, SPEC section 4).

Each service is a Kubernetes Service named after it in the target's namespace, so a peer is
``http://<service>.<namespace>:<port>``. spinnaker/kustomization-base runs clouddriver and echo
as several Deployments (core/clouddriver/clouddriver-{caching,rw,ro,ro-deck},
core/echo/echo-{worker,scheduler}); its core/service-discovery/spinnaker.yml points the generic
``services.clouddriver`` at clouddriver-rw and ``services.echo`` at echo-worker, and names each
part under its own key (``services.clouddriverRw`` ...). spinconf's spinnaker.yml replaces that
file in the generated Secrets, so it carries the same names.
"""

from __future__ import annotations

from spinconf.model.kubernetes import Kubernetes

# base -> service -> the Kubernetes Service peers call for it (where it is not the service's name)
CALLED_AS = {
    "kustomization-base": {"clouddriver": "clouddriver-rw", "echo": "echo-worker"},
    "spinnaker-kustomize": {},
}
# base -> service -> (spinnaker.yml key, Kubernetes Service) for each part of a split service
PARTS = {
    "kustomization-base": {
        "clouddriver": (
            ("clouddriverCaching", "clouddriver-caching"),
            ("clouddriverRo", "clouddriver-ro"),
            ("clouddriverRoDeck", "clouddriver-ro-deck"),
            ("clouddriverRw", "clouddriver-rw"),
        ),
        "echo": (("echoScheduler", "echo-scheduler"), ("echoWorker", "echo-worker")),
    },
    "spinnaker-kustomize": {},
}


def service_url(kubernetes: Kubernetes, name: str, port: int) -> str:
    return f"http://{name}.{kubernetes.namespace}:{port}"


def peer_url(kubernetes: Kubernetes, svc: str, port: int) -> str:
    """The URL other services use for ``svc`` inside the cluster."""
    return service_url(kubernetes, CALLED_AS[kubernetes.base].get(svc, svc), port)


def part_urls(kubernetes: Kubernetes, svc: str, port: int) -> dict[str, str]:
    """``{spinnaker.yml key: URL}`` for each Deployment a split service runs as."""
    return {key: service_url(kubernetes, name, port) for key, name in PARTS[kubernetes.base].get(svc, ())}


def deployments(kubernetes: Kubernetes, svc: str) -> list[str]:
    """The Deployments the base runs for ``svc`` (each gets the service's files and environment)."""
    parts = PARTS[kubernetes.base].get(svc)
    return [name for _, name in parts] if parts else [svc]
