"""Secrets kept in Kubernetes Secrets: kork's ``encrypted:k8s!`` form, where a service can read it.

kork's Kubernetes secret engine (spinnaker/spinnaker, kork/kork-secrets-k8s/.../engines/
KubernetesSecretEngine.java, added by #7603) reads ``encrypted:k8s!n:<secret>!k:<key>[!ns:<namespace>]``
from the pod's own namespace. It is a bean only when ``spinnaker.secrets.kubernetes.enabled`` is
true (``@ConditionalOnProperty``, no default), and it is on a service's classpath only where the
service depends on kork-secrets-k8s: on release-2026.1.x and release-2026.2.x that is kayenta
alone (kayenta/kayenta-web/kayenta-web.gradle, ``runtimeOnly "io.spinnaker.kork:kork-secrets-k8s"``);
releases before 2026.1 have no such engine. Every other service gets the value as an environment
variable from a ``secretKeyRef`` (targets/kubernetes.py).

The service also needs RBAC to ``get`` the Secret: the bases' service accounts do not grant it.

A secret that is a file (a kubeconfig, a keystore: a path field) is mounted instead: the Secret
becomes a volume at ``/var/spinconf/secrets/<secret>/`` of the Deployments whose files name
``<that folder>/<key>`` (targets/kubernetes.py), as Kubernetes projects each key as a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spinconf.model.secrets import SecretSource
from spinconf.refs import SecretRef
from spinconf.releases import Release

if TYPE_CHECKING:
    from spinconf.model.config import Config

ENGINE_FROM = "2026.1.0"
ENGINE_SERVICES = ("kayenta",)
KORK_PREFIXES = ("encrypted:k8s!", "encryptedFile:k8s!")
ENABLE_PATH = ("spinnaker", "secrets", "kubernetes", "enabled")


MOUNT_ROOT = "/var/spinconf/secrets/"


def mounted_file(config: Config, source: SecretSource) -> str | None:
    """Where a file kept in a Kubernetes Secret appears in the container, on the Kubernetes target."""
    if config.kubernetes is None or config.ecs is not None or source.kubernetesSecret is None or not source.key:
        return None
    return f"{MOUNT_ROOT}{source.kubernetesSecret}/{source.key}"


def mounted_secrets(doc: Any) -> set[str]:
    """The Kubernetes Secrets whose mounted files a document names."""
    found: set[str] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node.startswith(MOUNT_ROOT):
                found.add(node[len(MOUNT_ROOT) :].split("/", 1)[0])
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def has_engine(release: Release, svc: str) -> bool:
    """Whether ``svc`` of this release can decrypt ``encrypted:k8s!`` (see the module's note)."""
    return svc in ENGINE_SERVICES and release.is_release and release.at_least(ENGINE_FROM)


def kork_reference(source: SecretSource) -> str | None:
    """``encrypted:k8s!n:<secret>!k:<key>`` for a secret kept in a Kubernetes Secret."""
    if source.kubernetesSecret is None or source.key is None:
        return None
    return f"encrypted:k8s!n:{source.kubernetesSecret}!k:{source.key}"


def with_kork_references(doc: dict[str, Any], secrets: dict[str, SecretSource]) -> dict[str, Any]:
    """The document with each ``{secret: X}`` of a Kubernetes Secret written in kork's form."""

    def walk(value: Any) -> Any:
        if isinstance(value, SecretRef):
            source = secrets.get(value.name)
            found = kork_reference(source) if source is not None else None
            return found if found is not None else value
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    result: dict[str, Any] = walk(doc)
    return result


def uses_kork_k8s(value: Any) -> bool:
    """Whether a document holds a kork Kubernetes-secret reference anywhere."""
    if isinstance(value, str):
        return value.startswith(KORK_PREFIXES)
    if isinstance(value, dict):
        return any(uses_kork_k8s(v) for v in value.values())
    if isinstance(value, list):
        return any(uses_kork_k8s(v) for v in value)
    return False


def with_engine_enabled(doc: dict[str, Any]) -> dict[str, Any]:
    """Turn kork's k8s engine on in a document that uses it (unless the operator set the flag)."""
    node = doc
    for key in ENABLE_PATH[:-1]:
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            return doc
        node = child
    node.setdefault(ENABLE_PATH[-1], True)
    return doc


def prepare(doc: dict[str, Any], svc: str, release: Release, secrets: dict[str, SecretSource], kork: bool) -> Any:
    """A service document before its references are resolved: kork's form where asked and possible."""
    if kork and has_engine(release, svc):
        doc = with_kork_references(doc, secrets)
    if uses_kork_k8s(doc):
        doc = with_engine_enabled(doc)
    return doc
