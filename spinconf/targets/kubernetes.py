"""The Kubernetes target: ``kubernetes/``, a kustomize Component that puts spinconf's files in kleat's place.

The bases (spinnaker/kustomization-base through the spinnaker/spinnaker-config template, and
spinnaker/spinnaker-kustomize) generate a Secret or ConfigMap per service and expect kleat's flat
files merged into them: ``<svc>.yml``, ``settings.js``, ``deck.env`` and (kustomization-base)
``spinnaker-monitoring.yml`` (spinnaker-config base/kustomization.yml). The Component merges
(``behavior: merge``) spinconf's files into those generators under the same names, writes ``{}``
for a service the base runs but the project does not enable, pins the release's images, and adds
a ``secretKeyRef`` environment variable to exactly the Deployments whose files use a secret kept
in a Kubernetes Secret. A user lists the folder under ``components:`` of their kustomization.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from spinconf.model.kubernetes import Kubernetes
from spinconf.model.services import JAVA_SERVICES, SERVICE_NAMES
from spinconf.refs import SecretRef
from spinconf.releases import service_exists
from spinconf.services import cluster
from spinconf.targets import k8s_secrets
from spinconf.targets.images import upstream_image
from spinconf.yamlwriter import dump

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered
    from spinconf.services.context import RenderContext

OUT = "kubernetes"
# the image names both bases' Deployments use (kustomization-base core/*/base/deployment.yml,
# spinnaker-kustomize base/*/deployment.yml); the images: block retags them
BASE_IMAGES = "us-docker.pkg.dev/spinnaker-community/docker"
COMPONENT_API = "kustomize.config.k8s.io/v1alpha1"


def generator_names(kubernetes: Kubernetes) -> dict[str, str]:
    """Service (or ``spinnaker``, ``deck-env``, ``monitoring``) -> the generator the base names for it."""
    if kubernetes.base == "kustomization-base":
        names = {svc: f"{svc}-config" for svc in SERVICE_NAMES}
        return {**names, "deck-env": "deck-env", "monitoring": "spinnaker-monitoring-config"}
    return {**{svc: svc for svc in SERVICE_NAMES}, "spinnaker": "spinnaker", "deck-env": "deck-env"}


def files(project: Project, ctx: RenderContext, rendered: Rendered) -> None:
    kubernetes = ctx.config.kubernetes
    assert kubernetes is not None
    from spinconf.render import header

    notice = header(project, ctx, "#")
    out: dict[str, bytes] = {}
    for svc in JAVA_SERVICES:
        own = rendered.files.get(f"services/{svc}/{svc}.yml")
        # a service the base runs and the project does not: an empty file, so kleat's placeholder cannot stay
        out[f"{svc}.yml"] = own if own is not None else (notice + "{}\n").encode()
    out["spinnaker.yml"] = shared_file(project, ctx, notice)
    for name in ("settings.js", "settings-local.js"):
        data = rendered.files.get(f"services/deck/{name}")
        if data is not None:
            out[name] = data
    out["deck.env"] = deck_env(ctx, notice).encode()
    if kubernetes.base == "kustomization-base":
        out["spinnaker-monitoring.yml"] = monitoring_file(project, ctx, notice)
    patches = secret_patches(project, ctx, rendered)
    for name, doc in patches.items():
        out[f"patches/{name}.yml"] = (notice + dump(doc)).encode()
    out["kustomization.yml"] = (notice + dump(kustomization(ctx, kubernetes, out, sorted(patches)))).encode()
    for name, data in out.items():
        rendered.files[f"{OUT}/{name}"] = data


def shared_file(project: Project, ctx: RenderContext, notice: str) -> bytes:
    """``spinnaker.yml``, as in each build context (rendered here too for a project with no Java service)."""
    from spinconf.refs import resolve
    from spinconf.render import merge_profile, secret_env_name
    from spinconf.services import profile_builder

    profiles = (project.config.profiles if project.config else None) or {}
    doc = merge_profile(profile_builder("spinnaker")(ctx), profiles.get("spinnaker"))
    resolved, _ = resolve(doc, lambda n: secret_env_name(project, n))
    return (notice + dump(resolved)).encode()


def deck_env(ctx: RenderContext, notice: str) -> str:
    """``deck.env`` as kleat wrote it (kleat internal/convert/deck_env.go): deck's TLS files when
    ``security.uiSecurity.ssl.enabled``; the passphrase, a secret, arrives by ``secretKeyRef``."""
    sec = ctx.config.security
    ssl = sec.uiSecurity.ssl if sec is not None and sec.uiSecurity is not None else None
    lines = [notice]
    if ssl is not None and ssl.enabled is True:
        passphrase = ssl.sslCertificatePassphrase  # plain only with plaintextSecrets: warn, as kleat wrote it
        for name, value in (
            ("DECK_CERT", ssl.sslCertificateFile),
            ("DECK_KEY", ssl.sslCertificateKeyFile),
            ("PASSPHRASE", passphrase),
        ):
            if isinstance(value, str) and value.isprintable():
                lines.append(f"{name}={value}\n")
    return "".join(lines)


def deck_secrets(ctx: RenderContext) -> tuple[dict[str, Any], list[str]]:
    """Deck's TLS files (mounted) and passphrase (a secretKeyRef as PASSPHRASE), kept in Kubernetes Secrets."""
    sec = ctx.config.security
    ssl = sec.uiSecurity.ssl if sec is not None and sec.uiSecurity is not None else None
    if ssl is None or ssl.enabled is not True or not ctx.topology.is_enabled("deck"):
        return {}, []
    mounts = sorted(k8s_secrets.mounted_secrets([ssl.sslCertificateFile, ssl.sslCertificateKeyFile]))
    passphrase = ssl.sslCertificatePassphrase
    source = (ctx.config.secrets or {}).get(passphrase.name) if isinstance(passphrase, SecretRef) else None
    if source is None or source.kubernetesSecret is None or source.key is None:
        return {}, mounts
    ref = {"name": source.kubernetesSecret, "key": source.key}
    return {"name": "PASSPHRASE", "valueFrom": {"secretKeyRef": ref}}, mounts


def monitoring_file(project: Project, ctx: RenderContext, notice: str) -> bytes:
    """``spinnaker-monitoring.yml`` as kleat wrote it (kleat internal/convert/monitoring.go)."""
    from spinconf.model.base import dump as dump_model
    from spinconf.refs import resolve
    from spinconf.render import secret_env_name

    stores = ctx.config.metricStores
    doc: dict[str, Any] = {}
    if stores is not None:
        kinds = ("datadog", "newrelic", "prometheus", "stackdriver")
        doc = {kind: dump_model(getattr(stores, kind)) for kind in kinds if getattr(stores, kind) is not None}
        enabled = [kind for kind in kinds if getattr(getattr(stores, kind), "enabled", None) is True]
        monitor: dict[str, Any] = {"metricStore": enabled}
        if stores.period is not None:
            monitor["period"] = stores.period
        doc["monitor"] = monitor
    resolved, _ = resolve(doc, lambda n: secret_env_name(project, n))
    return (notice + (dump(resolved) if resolved else "{}\n")).encode()


def secret_patches(project: Project, ctx: RenderContext, rendered: Rendered) -> dict[str, dict[str, Any]]:
    """Deployment -> a patch giving its container the Kubernetes Secrets its files use, and no others:
    values as ``secretKeyRef`` environment variables, files as a mounted Secret volume."""
    kubernetes = ctx.config.kubernetes
    assert kubernetes is not None
    patches: dict[str, dict[str, Any]] = {}
    for svc, docs in sorted(rendered.documents.items()):
        uses = rendered.uses.get(svc)
        env = secret_env(project, ctx, sorted(uses.secrets) if uses is not None else [])
        mounts = sorted(k8s_secrets.mounted_secrets(docs))
        if svc == "deck":  # deck reads its files' paths and passphrase from deck.env (kleat's deck_env.go)
            passphrase, mounts = deck_secrets(ctx)
            env = [passphrase] if passphrase else []
        if not env and not mounts:
            continue
        spec: dict[str, Any] = {"containers": [{"name": svc}]}
        if env:
            spec["containers"][0]["env"] = env
        if mounts:
            spec["containers"][0]["volumeMounts"] = [
                {"name": volume_name(s), "mountPath": k8s_secrets.MOUNT_ROOT + s, "readOnly": True} for s in mounts
            ]
            spec["volumes"] = [{"name": volume_name(s), "secret": {"secretName": s}} for s in mounts]
        for deployment in cluster.deployments(kubernetes, svc):
            patches[deployment] = {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": deployment},
                "spec": {"template": {"spec": spec}},
            }
    return patches


def secret_env(project: Project, ctx: RenderContext, names: list[str]) -> list[dict[str, Any]]:
    from spinconf.render import secret_env_name

    declared = ctx.config.secrets or {}
    env = []
    for name in names:
        source = declared.get(name)
        if source is None or source.kubernetesSecret is None or source.key is None:
            continue
        ref = {"name": source.kubernetesSecret, "key": source.key}
        env.append({"name": secret_env_name(project, name), "valueFrom": {"secretKeyRef": ref}})
    return env


def volume_name(secret: str) -> str:
    """A volume's name is a DNS label (at most 63); a Secret's name may be longer and hold dots."""
    name = "spinconf-" + secret.replace(".", "-")
    if len(name) <= 63:
        return name
    return "spinconf-" + hashlib.sha256(secret.encode()).hexdigest()[:16]


def kustomization(
    ctx: RenderContext, kubernetes: Kubernetes, out: dict[str, bytes], patches: list[str]
) -> dict[str, Any]:
    names = generator_names(kubernetes)
    generators: list[dict[str, Any]] = []
    if "spinnaker" in names:
        generators.append({"behavior": "merge", "name": names["spinnaker"], "files": ["spinnaker.yml"]})
    for svc in JAVA_SERVICES:
        own = [f"{svc}.yml"] if "spinnaker" in names else [f"{svc}.yml", "spinnaker.yml"]
        generators.append({"behavior": "merge", "name": names[svc], "files": own})
    deck = [name for name in ("settings.js", "settings-local.js") if name in out]
    if deck:
        generators.append({"behavior": "merge", "name": names["deck"], "files": deck})
    if "monitoring" in names:
        generators.append({"behavior": "merge", "name": names["monitoring"], "files": ["spinnaker-monitoring.yml"]})
    generators.sort(key=lambda g: str(g["name"]))
    env = {"behavior": "merge", "name": names["deck-env"], "envs": ["deck.env"]}
    # kustomization-base keeps config in Secrets; spinnaker-kustomize in ConfigMaps
    doc: dict[str, Any] = {"apiVersion": COMPONENT_API, "kind": "Component"}
    if kubernetes.base == "kustomization-base":
        doc["secretGenerator"] = generators
        doc["configMapGenerator"] = [env]
    else:
        doc["configMapGenerator"] = sorted([*generators, env], key=lambda g: str(g["name"]))
    found = images(ctx)
    if found:
        doc["images"] = found
    if patches:
        doc["patches"] = [{"path": f"patches/{name}.yml"} for name in patches]
    return doc


def images(ctx: RenderContext) -> list[dict[str, str]]:
    """The release's image (or ``services.<svc>.image``) for each service of the release."""
    found = []
    for svc in SERVICE_NAMES:
        if ctx.release.is_release and not service_exists(svc, ctx.release.version):
            continue
        image = upstream_image(ctx.config, ctx.release, svc).image
        if image is None:
            continue  # kubernetes-image-unknown (checks/cluster.py) says why
        entry = {"name": f"{BASE_IMAGES}/{svc}"}
        name, sep, digest = image.partition("@")
        repository, tag = name, ""
        if ":" in name.rsplit("/", 1)[-1]:
            repository, tag = name.rsplit(":", 1)
        if repository != entry["name"]:
            entry["newName"] = repository
        if tag:
            entry["newTag"] = tag
        if sep:
            entry["digest"] = digest
        found.append(entry)
    return found
