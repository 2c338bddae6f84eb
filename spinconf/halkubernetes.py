"""``import-hal`` for a Halyard deployment on Kubernetes: its secrets as keys of one Kubernetes Secret.

Halyard's ``Distributed`` deployments ran the services in a Kubernetes cluster
(``deploymentEnvironment.accountName`` names the kubernetes account, ``location`` the namespace,
``spinnaker`` by default: halyard-config DeploymentEnvironment.java). Such a user keeps secrets
in the cluster rather than in SSM; with ``--kubernetes-secret NAME`` each imported secret is
declared as a key of that Secret (``kubernetesSecret:``/``key:``), and the summary says how to
create it, never with the values.
"""

from __future__ import annotations

from typing import Any

DEFAULT_NAMESPACE = "spinnaker"


def on_kubernetes(doc: dict[str, Any]) -> str | None:
    """The namespace of a Halyard deployment that ran on Kubernetes, else None."""
    env = doc.get("deploymentEnvironment")
    if not isinstance(env, dict) or str(env.get("type", "")).lower() != "distributed":
        return None
    location = env.get("location")
    return location if isinstance(location, str) and location else DEFAULT_NAMESPACE


def declarations(names: list[str], secret: str) -> dict[str, dict[str, str]]:
    return {name: {"kubernetesSecret": secret, "key": name} for name in names}


def create_instructions(names: list[str], secret: str, namespace: str) -> list[str]:
    keys = ", ".join(names)
    return [
        f"create Kubernetes Secret {secret} in namespace {namespace} with keys {keys} and the values from your "
        f"Halyard config: kubectl -n {namespace} create secret generic {secret} --from-literal=<key>=<value> ...",
        f"add `kubernetes: {{namespace: {namespace}}}` to render out/kubernetes/, which gives each Deployment "
        "the keys its files use",
    ]


def offer(namespace: str) -> str:
    return (
        f"this deployment ran on Kubernetes (namespace {namespace}): to keep its secrets in a Kubernetes Secret "
        "instead of SSM, import again with --kubernetes-secret <name>"
    )
