"""Rules: addresses that fit where services run, and the Kubernetes target (SPEC section 4).

Each Spinnaker service reaches its peers and stores at ``localhost`` unless told otherwise
(``${services.<svc>.baseUrl:http://localhost:<port>}``, ``redis://localhost:6379`` in the services'
bundled <svc>.yml). That holds only when every service shares one host; on Kubernetes each
service is its own pod, so there it is an error. The ECS target's own rule is ecs-localhost.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from spinconf.checks import check, render_check, rule
from spinconf.checks._util import config_of, report
from spinconf.checks.local_stores import is_local, key_text, local_addresses, redis_on_localhost
from spinconf.checks.services import NEEDS
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.model.kubernetes import namespace_problem
from spinconf.model.services import SERVICE_NAMES
from spinconf.targets.k8s_secrets import ENGINE_FROM, KORK_PREFIXES, has_engine

if TYPE_CHECKING:
    from spinconf.render import Rendered

ERROR, WARNING = Severity.ERROR, Severity.WARNING

LOCALHOST_WARNING = rule(
    "localhost-address",
    WARNING,
    "a service reaches a peer, redis or a database at localhost: fine only when all run on one host",
    ("services.*.baseUrl", "services.*.redis", "services.*.sql"),
)
LOCALHOST_ERROR = rule(
    "kubernetes-localhost",
    ERROR,
    "on Kubernetes each service is its own pod: no service reaches a peer, redis or a database at localhost",
    ("services.*.baseUrl", "services.*.redis", "services.*.sql"),
)
NAMESPACE = rule("kubernetes-namespace", ERROR, "kubernetes.namespace is a Kubernetes namespace name", ("kubernetes",))
SECRET_ON_ECS = rule(
    "secret-kubernetes-on-ecs",
    ERROR,
    "on the ECS target nothing reads a Kubernetes Secret: use ssm or secretsManager",
    ("secrets.*.kubernetesSecret",),
)
SECRET_UNSUPPLIED = rule(
    "kubernetes-secret-unsupplied",
    WARNING,
    "on the Kubernetes target spinconf wires only secrets kept in Kubernetes Secrets (kubernetesSecret)",
    ("secrets.*",),
)
KORK_ENGINE = rule(
    "kubernetes-kork-engine",
    WARNING,
    f"kork's k8s secret engine (encrypted:k8s!) is only in kayenta, from {ENGINE_FROM}",
    ("kubernetes.secrets",),
)
GATE_URL = rule(
    "kubernetes-gate-url-internal",
    WARNING,
    "deck's gateUrl is an address browsers reach, not gate's Service inside the cluster",
    ("security.apiSecurity.overrideBaseUrl",),
)
IMAGE = rule(
    "kubernetes-image-unknown",
    WARNING,
    "the Kubernetes target pins each service's image to the release, or to services.<svc>.image",
    ("version", "services.*.image"),
)
TARGETS = rule(
    "target-conflict",
    ERROR,
    "one target per project: ecs: or kubernetes:, not both (peer addresses and secrets follow the target)",
    ("ecs", "kubernetes"),
)
NO_IMAGE = rule(
    "baked-without-image",
    ERROR,
    "a setting that bakes files into the image needs images: kubernetes.dockerfiles: true",
    ("spinnaker.extensibility.downloadAtBuild", "security.authn.saml.metadataLocal", "services.*.files"),
)
KORK_FORM = rule("kork-k8s-reference", ERROR, "encrypted:k8s! names the Secret (n:) and its key (k:)")


def string_values(doc: Any) -> Iterator[str]:
    """Every string in a document, without building paths."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


@check
def one_target(project: Project) -> None:
    config = config_of(project)
    if config.ecs is not None and config.kubernetes is not None:
        report(
            project,
            TARGETS,
            ("kubernetes",),
            "kubernetes: and ecs: are both set: spinconf renders one target per project (its peers' addresses, "
            "secrets and images follow it); keep one, or use an environment per target",
        )


@check
def baked_without_image(project: Project) -> None:
    from spinconf.services.context import builds_images

    config = config_of(project)
    if builds_images(config):
        return
    why = "on the Kubernetes target without kubernetes.dockerfiles: true no image is built, so it would not ship"
    ext = config.spinnaker.extensibility if config.spinnaker is not None else None
    if ext is not None and ext.downloadAtBuild is True:
        report(project, NO_IMAGE, ("spinnaker", "extensibility", "downloadAtBuild"), f"plugins fetched at build: {why}")
    authn = config.security.authn if config.security is not None else None
    if authn is not None and authn.saml is not None and isinstance(authn.saml.metadataLocal, str):
        report(project, NO_IMAGE, ("security", "authn", "saml", "metadataLocal"), f"the SAML metadata file: {why}")
    for svc in SERVICE_NAMES:
        own = getattr(config.services, svc, None) if config.services is not None else None
        if own is not None and own.files:
            report(project, NO_IMAGE, ("services", svc, "files"), f"services.{svc}.files: {why}")


@check
def namespace(project: Project) -> None:
    kubernetes = config_of(project).kubernetes
    problem = namespace_problem(kubernetes.namespace) if kubernetes is not None else None
    if problem:
        report(project, NAMESPACE, ("kubernetes", "namespace"), f"kubernetes.namespace: {problem}")


@check
def secret_sources(project: Project) -> None:
    config = config_of(project)
    for name, source in sorted((config.secrets or {}).items()):
        at = ("secrets", name)
        if config.ecs is not None and source.kubernetesSecret is not None:
            report(
                project,
                SECRET_ON_ECS,
                (*at, "kubernetesSecret"),
                f"secret {name!r} is kept in a Kubernetes Secret, which ECS tasks cannot read: "
                "use ssm or secretsManager",
            )
        elif config.ecs is None and config.kubernetes is not None and source.kubernetesSecret is None:
            if source.ssm is None and source.secretsManager is None:
                continue  # secret-source says what is missing
            report(
                project,
                SECRET_UNSUPPLIED,
                at,
                f"secret {name!r} is in AWS, and on Kubernetes nothing gives it to the Deployments: "
                f"keep it in a Kubernetes Secret (kubernetesSecret: and key:) or supply its variable yourself",
            )


@check
def peers_on_localhost(project: Project) -> None:
    config = config_of(project)
    if config.ecs is not None:
        return  # ecs-localhost
    from spinconf.services.context import topology

    topo = topology(config)
    strict = config.kubernetes is not None
    local = []
    for svc in SERVICE_NAMES:
        callers = sorted(c for c, needs in NEEDS.items() if topo.is_enabled(c) and svc in dict(needs))
        url = topo.base_urls.get(svc)
        rule_text = topo.url_rules.get(svc, "")
        if not topo.is_enabled(svc) or not callers:
            continue
        if rule_text.startswith("default") or (isinstance(url, str) and is_local(url)):
            local.append((svc, callers, url, rule_text))
    if strict:
        for svc, callers, url, rule_text in local:
            path = ("services", svc, "baseUrl") if rule_text.startswith("services.") else ("kubernetes",)
            report(
                project,
                LOCALHOST_ERROR,
                path,
                f"{', '.join(callers)} would reach {svc} at {url}, which is the caller's own pod: "
                f"remove services.{svc}.baseUrl (the cluster address is http://{svc}.<namespace>:<port>) or set it "
                "to the peer's Service",
            )
    elif local:
        named = [svc for svc, _, _, rule_text in local if rule_text.startswith("services.")]
        path = ("services", named[0], "baseUrl") if named else ("kubernetes",)
        report(
            project,
            LOCALHOST_WARNING,
            path,
            f"services reach {', '.join(svc for svc, *_ in local)} at localhost: that works only when all run on "
            "one host; set kubernetes: for cluster addresses, or services.<svc>.baseUrl",
        )


@check
def gate_url(project: Project) -> None:
    config = config_of(project)
    if config.kubernetes is None or config.ecs is not None:
        return
    from spinconf.services.context import topology

    topo = topology(config)
    settings = config.deck.settings if config.deck is not None and config.deck.settings else {}
    explicit = isinstance(settings, dict) and settings.get("gateUrl") is not None
    if topo.is_enabled("deck") and not explicit and topo.url_rules.get("gate") == "kubernetes.namespace":
        report(
            project,
            GATE_URL,
            ("kubernetes",),
            f"deck's gateUrl would be {topo.base_urls['gate']}, gate's Service inside the cluster, which browsers "
            "cannot reach: set security.apiSecurity.overrideBaseUrl to gate's address (its Ingress or port-forward)",
        )


@check
def images(project: Project) -> None:
    config = config_of(project)
    if config.kubernetes is None or config.ecs is not None:
        return  # ecs-image-unknown
    from spinconf.releases import Release, service_exists
    from spinconf.targets.images import upstream_image

    release = Release.of(project.release)
    unpinned = []
    for svc in SERVICE_NAMES:
        if release.is_release and not service_exists(svc, release.version):
            continue
        found = upstream_image(config, release, svc)
        if found.problem is not None and found.key == "image":
            report(project, IMAGE, ("services", svc, "image"), found.problem)
        elif found.problem is not None:
            unpinned.append(svc)
    if unpinned:
        report(
            project,
            IMAGE,
            ("version",),
            f"spinconf knows no images of {release.text}: the images: block leaves out {', '.join(unpinned)}, "
            "which keep the base's own tags (set services.<svc>.image to pin them)",
        )


@render_check
def stores_on_localhost(project: Project, rendered: Rendered) -> None:
    config = project.config
    if config is None or config.ecs is not None:
        return  # ecs-localhost
    strict = config.kubernetes is not None
    found: list[tuple[str, str]] = []
    for svc, docs in sorted(rendered.documents.items()):
        # a store's address sits under sql.* or redis.* (services/stores.py); peers are
        # peers_on_localhost's, from the topology
        own = docs.get(f"{svc}.yml", {})
        for path, value in local_addresses(own, ("jdbcUrl", "connection", "url"), roots=("sql", "redis")):
            found.append((svc, f"{svc}'s {key_text(path)} is {value}"))
        if redis_on_localhost(docs, svc):
            found.append((svc, f"{svc} would use redis at redis://localhost:6379 (set services.{svc}.redis.url)"))
    if strict:
        for svc, what in found:
            report(project, LOCALHOST_ERROR, ("services", svc), f"{what}: on Kubernetes that is its own pod")
    elif found:
        report(
            project,
            LOCALHOST_WARNING,
            ("services", found[0][0]),
            "; ".join(what for _, what in found) + ": localhost works only when the store runs beside each service",
        )


@render_check
def kork_references(project: Project, rendered: Rendered) -> None:
    """On the Kubernetes target, ``encrypted:k8s!`` in a service's file: well formed, and read by a
    service that has the engine."""
    config = project.config
    ctx = rendered.context
    if config is None or ctx is None or config.kubernetes is None:
        return  # a Kubernetes user's form; other targets keep their secrets elsewhere
    for svc, docs in sorted(rendered.documents.items()):
        refs = [value for doc in docs.values() for value in string_values(doc) if value.startswith(KORK_PREFIXES)]
        for value in sorted(set(refs)):
            params = dict(part.partition(":")[::2] for part in value.split("!")[1:])
            if not params.get("n") or not params.get("k"):
                report(
                    project,
                    KORK_FORM,
                    ("services", svc),
                    f"{svc}: a kork k8s reference needs the Secret's name and key: "
                    "write encrypted:k8s!n:<secret>!k:<key>",
                )
            elif not has_engine(ctx.release, svc):
                report(
                    project,
                    KORK_ENGINE,
                    ("services", svc),
                    f"{svc} of Spinnaker {ctx.release.text} has no kork k8s secret engine (only kayenta, from "
                    f"{ENGINE_FROM}): it cannot decrypt encrypted:k8s!; declare the secret with kubernetesSecret: "
                    "and refer to it as {secret: NAME}",
                )
    kubernetes = config.kubernetes
    if kubernetes is None or kubernetes.secrets != "kork":
        return
    declared = config.secrets or {}
    for svc, uses in sorted(rendered.uses.items()):
        wired = sorted(n for n in uses.secrets if declared.get(n) is not None and declared[n].kubernetesSecret)
        if wired:
            report(
                project,
                KORK_ENGINE,
                ("kubernetes", "secrets"),
                f"{svc} of Spinnaker {ctx.release.text} has no kork k8s secret engine (only kayenta, from "
                f"{ENGINE_FROM}): it gets {', '.join(wired)} as environment variables from secretKeyRef instead",
            )
