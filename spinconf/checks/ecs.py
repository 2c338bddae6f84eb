"""Rules: the ECS Fargate target (SPEC section 4) and what the build contexts need.

Fargate facts: ECS developer guide ("task definition parameters for Fargate", "task execution
IAM role"); see targets/fargate.py for the cpu/memory table. On Fargate each service is its own
task, so every default that points at ``localhost`` (a peer service, redis, a database) points
at the task itself and fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from spinconf.checks import check, render_check, rule
from spinconf.checks._util import config_of, report, report_derived, text
from spinconf.checks.local_stores import ADDRESS_KEYS, is_local, key_text, local_addresses, redis_on_localhost
from spinconf.checks.services import NEEDS
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.model.services import SERVICE_NAMES
from spinconf.releases import has_arm64_images, service_exists
from spinconf.services.context import service, topology
from spinconf.targets import secretfiles
from spinconf.targets.docker import file_target, source_path
from spinconf.targets.ecs import task_size
from spinconf.targets.fargate import is_valid, nearest_valid, valid_memory
from spinconf.targets.images import upstream_image
from spinconf.targets.k8s_secrets import mounted_file

if TYPE_CHECKING:
    from spinconf.render import Rendered

ERROR = Severity.ERROR
IMAGE = rule(
    "ecs-image-unknown",
    ERROR,
    "on the ECS target every enabled service has an upstream image",
    ("version", "services.*.image"),
)
ARM64 = rule(
    "ecs-arm64-unavailable",
    ERROR,
    "cpuArchitecture ARM64 needs a release with arm64 images (1.29.0 on)",
    ("ecs.cpuArchitecture",),
)
NOT_IN_RELEASE = rule(
    "ecs-service-not-in-release", ERROR, "an enabled service exists in the release", ("services.*.enabled",)
)
REQUIRED = rule("ecs-setting-missing", ERROR, "the ECS target needs ecs.region and ecs.imageRepository", ("ecs",))
TASK_SIZE = rule(
    "ecs-task-size-invalid",
    ERROR,
    "task cpu and memory are a pair Fargate offers",
    ("services.*.ecs.cpu", "services.*.ecs.memory"),
)
LOCALHOST = rule(
    "ecs-localhost",
    ERROR,
    "on Fargate no service reaches a peer, redis or a database at localhost",
    ("services.*.baseUrl", "ecs.serviceUrl", "services.*.redis", "services.*.sql"),
)  # a port that a sidecar of the same task listens on is that sidecar, and fine
GATE_URL = rule(
    "ecs-gate-url-unreachable",
    ERROR,
    "deck's gateUrl is an address browsers reach (security.apiSecurity.overrideBaseUrl)",
    ("security.apiSecurity.overrideBaseUrl",),
)
FILE_MISSING = rule(
    "service-file-missing", ERROR, "services.<svc>.files[].source is a file in the project", ("services.*.files",)
)
FILE_TARGET = rule(
    "service-file-target",
    ERROR,
    "services.<svc>.files[].target is an absolute file path in the image",
    ("services.*.files",),
)
FILE_SECRET = rule(
    "file-secret-unsupported",
    ERROR,
    "a secret in a file-path field is a Secrets Manager secret (whole, no key): kork's encryptedFile: fetches it",
)


@check
def images(project: Project) -> None:
    config = config_of(project)
    if config.ecs is None:
        return
    from spinconf.render import context_of

    ctx = context_of(project)
    reported_version = False
    for svc in SERVICE_NAMES:
        if not ctx.topology.is_enabled(svc):
            continue
        if ctx.release.is_release and not service_exists(svc, ctx.release.version):
            report(
                project,
                NOT_IN_RELEASE,
                ("services", svc, "enabled"),
                f"{svc} is not part of Spinnaker {ctx.release.text}",
            )
            continue
        found = upstream_image(config, ctx.release, svc)
        if found.problem is None:
            continue
        if found.key == "version" and ctx.release.is_release and "not a known" in found.problem:
            if not reported_version:
                report(project, IMAGE, ("version",), found.problem)
            reported_version = True
            continue
        path = {"image": ("services", svc, "image"), "upstreamRegistry": ("ecs", "upstreamRegistry")}.get(
            found.key, ("version",)
        )
        report(project, IMAGE, path, found.problem)
    if config.ecs.cpuArchitecture == "ARM64" and ctx.release.is_release and not has_arm64_images(ctx.release.version):
        upstream = [s for s in SERVICE_NAMES if ctx.topology.is_enabled(s) and service(config, s).image is None]
        if upstream:
            report(
                project,
                ARM64,
                ("ecs", "cpuArchitecture"),
                f"the images of Spinnaker {ctx.release.text} are amd64 only (arm64 from 1.29.0): use X86_64, "
                f"or give arm64 images in services.<svc>.image for {', '.join(upstream)}",
            )


@check
def required_settings(project: Project) -> None:
    config = config_of(project)
    ecs = config.ecs
    if ecs is None:
        return
    topo = topology(config)
    if text(ecs.region) is None:
        report(project, REQUIRED, ("ecs",), "ecs.region is required: awslogs and the secrets' region come from it")
    if text(ecs.imageRepository) is None:
        report(project, REQUIRED, ("ecs",), "ecs.imageRepository is required: the baked images are pushed there")
    # subnets and roles may come from Terraform (the module's inputs and roles): not required here
    for svc in SERVICE_NAMES:
        if topo.is_enabled(svc):
            _task_size(project, svc)


def _task_size(project: Project, svc: str) -> None:
    from spinconf.render import context_of

    size = task_size(context_of(project), svc)
    if is_valid(size):
        return
    own = service(config_of(project), svc).ecs
    near = nearest_valid(size)
    offered = valid_memory(size.cpu)
    detail = (
        f"with cpu {size.cpu} Fargate offers memory {offered[0]}-{offered[-1]} MiB"
        if offered
        else "Fargate offers cpu 256, 512, 1024, 2048, 4096, 8192 or 16384"
    )
    field = "memory" if offered and own is not None and own.memory is not None else "cpu"
    path = ("services", svc, "ecs", field) if own is not None else ("services", svc)
    report(
        project,
        TASK_SIZE,
        path,
        f"{svc}: cpu {size.cpu} / memory {size.memory} is not a Fargate task size ({detail}); "
        f"nearest valid: cpu {near.cpu}, memory {near.memory}",
    )


def _url_setting(rule_text: str) -> tuple[str, ...]:
    """The setting a base URL came from (topology's url_rules), or the ECS section when it is the default."""
    return ("ecs",) if rule_text.startswith("default") or not rule_text else tuple(rule_text.split("."))


@check
def peers_on_localhost(project: Project) -> None:
    config = config_of(project)
    if config.ecs is None:
        return
    topo = topology(config)
    for svc in SERVICE_NAMES:
        if not topo.is_enabled(svc):
            continue
        callers = sorted(caller for caller, needs in NEEDS.items() if topo.is_enabled(caller) and svc in dict(needs))
        url = topo.base_urls.get(svc)
        rule_text = topo.url_rules.get(svc, "")
        local = rule_text.startswith("default") or (isinstance(url, str) and is_local(url))
        if local and (callers or svc == "gate"):
            who = ", ".join(callers) if callers else "deck's /gate proxy"
            report(
                project,
                LOCALHOST,
                _url_setting(rule_text),
                f"{who} would reach {svc} at {url} on Fargate, which is the caller's own task: "
                f"set ecs.serviceUrl or services.{svc}.baseUrl",
            )


@check
def gate_url(project: Project) -> None:
    config = config_of(project)
    if config.ecs is None or not topology(config).is_enabled("deck"):
        return
    topo = topology(config)
    settings = config.deck.settings if config.deck is not None and config.deck.settings else {}
    explicit = settings.get("gateUrl") if isinstance(settings, dict) else None
    url: Any
    path: tuple[str, ...]
    if isinstance(explicit, str):
        url, rule_text, path = explicit, "deck.settings.gateUrl", ("deck", "settings", "gateUrl")
    else:
        url, rule_text = topo.base_urls.get("gate"), topo.url_rules.get("gate", "")
        path = _url_setting(rule_text)
    internal = rule_text.startswith("default") or rule_text in ("ecs.serviceUrl", "ecs.discovery")
    if internal or (isinstance(url, str) and is_local(url)):
        report(
            project,
            GATE_URL,
            path,
            f"deck's gateUrl would be {url}, which browsers cannot reach: set security.apiSecurity.overrideBaseUrl "
            "to gate's public URL",
        )


@check
def service_files(project: Project) -> None:
    config = config_of(project)
    for svc in SERVICE_NAMES:
        for i, entry in enumerate(service(config, svc).files or []):
            at = ("services", svc, "files", i)
            if file_target(entry.target) is None:
                report(
                    project, FILE_TARGET, (*at, "target"), f"{entry.target!r} is not an absolute file path in the image"
                )
            source = source_path(project, entry.source)
            if source is None:
                report(project, FILE_MISSING, (*at, "source"), f"{entry.source} is outside the project folder")
            elif not source.is_file():
                report(project, FILE_MISSING, (*at, "source"), f"{entry.source} does not exist in the project")


@check
def file_secrets(project: Project) -> None:
    config = config_of(project)
    declared = config.secrets or {}
    for place in secretfiles.find(config):
        source = declared.get(place.name)
        if source is None:
            continue  # secret-undeclared (checks/secrets.py)
        if secretfiles.kork_file_reference(source) is not None or mounted_file(config, source) is not None:
            continue
        if source.kubernetesSecret:
            why = "it is kept in a Kubernetes Secret, which only the Kubernetes target (kubernetes:) mounts"
        elif source.ssm:
            why = "it is an SSM parameter, and kork has no SSM engine: store the file in Secrets Manager"
        elif source.key:
            why = "it names a JSON key, and kork fetches encrypted files whole: store the file as its own secret"
        else:
            why = "its ARN does not say the region (arn:aws:secretsmanager:<region>:...)"
        report(project, FILE_SECRET, place.path, f"secret {place.name!r} cannot be a file here: {why}")


@render_check
def stores_on_localhost(project: Project, rendered: Rendered) -> None:
    config = project.config
    if config is None or config.ecs is None:
        return
    for svc, docs in sorted(rendered.documents.items()):
        name = f"{svc}.yml"
        beside = _sidecar_ports(project, svc)
        for path, value in local_addresses(docs.get(name, {}), ADDRESS_KEYS):
            if _port(value) in beside:
                continue  # a sidecar of the same task: Fargate's containers share one network namespace
            report_derived(
                project,
                LOCALHOST,
                rendered.derivation(svc, name, path),
                ("services", svc),
                f"{svc}'s {key_text(path)} is {value}: on Fargate that is its own task",
            )
        if redis_on_localhost(docs, svc):
            report(
                project,
                LOCALHOST,
                ("services", svc, "redis", "url"),  # unset: the nearest section that would set it
                f"{svc} would use redis at redis://localhost:6379 on Fargate: set services.{svc}.redis.url",
            )


def _sidecar_ports(project: Project, svc: str) -> set[int]:
    """Ports the sidecars of ``svc``'s task listen on: localhost there is the task, and they are in it."""
    from spinconf.targets import apm, sidecars

    config = config_of(project)
    ports = apm.sidecar_ports(config, svc)
    for sidecar in sidecars.task_sidecars(config, svc, project.env).values():
        ports |= {p.containerPort for p in sidecar.portMappings or [] if isinstance(p.containerPort, int)}
    return ports


def _port(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None
