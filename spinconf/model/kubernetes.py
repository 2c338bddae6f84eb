"""``kubernetes``: the Kubernetes target (spinconf's own section, SPEC section 4).

The output replaces kleat's files in one of the two kustomize bases the Spinnaker project
publishes; ``base`` says which, since they name their generators and split services differently:

- ``kustomization-base`` (spinnaker/kustomization-base, used through the spinnaker/spinnaker-config
  template): config in Secrets ``<svc>-config``, deck's environment in ConfigMap ``deck-env``,
  clouddriver split into caching/rw/ro/ro-deck and echo into worker/scheduler Deployments
  (core/service-discovery/spinnaker.yml names them).
- ``spinnaker-kustomize`` (spinnaker/spinnaker-kustomize): config in ConfigMaps ``spinnaker`` and
  ``<svc>``, one Deployment per service; its base/spinnaker.yml sets ``spring.config.import``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from spinconf.model.base import SpinModel

BASES = ("kustomization-base", "spinnaker-kustomize")


class Kubernetes(SpinModel):
    namespace: str = Field(default="spinnaker", description="namespace the services run in (peer URLs use it)")
    base: Literal["kustomization-base", "spinnaker-kustomize"] = Field(
        default="kustomization-base", description="the kustomize base the output drops into"
    )
    secrets: Literal["env", "kork"] = Field(
        default="env",
        description="how a secret from a Kubernetes Secret arrives: env (secretKeyRef environment variables) "
        "or kork (encrypted:k8s!, where the service's release has kork's k8s engine)",
    )
    dockerfiles: bool = Field(default=False, description="also write services/<svc>/Dockerfile build contexts")


# a namespace is a DNS label (kubernetes/apimachinery validation: IsDNS1123Label)
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")


def namespace_problem(value: str) -> str | None:
    """A Kubernetes namespace: a DNS label."""
    if len(value) > 63 or not _DNS_LABEL.match(value):
        return "not a Kubernetes namespace: lower-case letters, digits and '-' (at most 63)"
    return None
