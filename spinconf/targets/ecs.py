"""The ECS Fargate target: task definitions, container definitions, service definitions, IAM.

Per enabled service:

- ``ecs/<svc>.taskdef.json``: ``aws ecs register-task-definition --cli-input-json`` input;
- ``ecs/<svc>.containers.json``: its ``containerDefinitions`` (the service's container first, then
  its sidecars: targets/sidecars.py) normalised for Terraform's ``container_definitions`` (every
  default written out, so ``terraform plan`` shows no drift);
- ``ecs/<svc>.service.json``: ``aws ecs create-service --cli-input-json`` input;
- ``iam/<svc>.execution-policy.json`` (and ``iam/<svc>.task-policy.json`` with file secrets or X-Ray).

Everything the checks reject (no region, no execution role, invalid sizes) is reported by
checks/ecs.py before rendering, so this module renders only valid projects.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from spinconf.model.services import SERVICE_NAMES
from spinconf.releases import service_exists
from spinconf.services.context import RenderContext, service
from spinconf.targets import apm, gate_ports, iam, secretfiles, sidecars
from spinconf.targets import environment as env
from spinconf.targets.docker import context_digest, image_tag
from spinconf.targets.ecs_service import service_definition, usable_as_is
from spinconf.targets.fargate import Size, java_opts

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.model.config import Config
    from spinconf.render import Rendered

# ECS container health checks (ECS API ``HealthCheck``): startPeriod is capped at 300 s, so a
# service that can take longer (clouddriver loading its caches) relies on the service's
# healthCheckGracePeriodSeconds, which ECS also applies to container health checks.
START_PERIOD = {"clouddriver": 300, "deck": 30}
DEFAULT_START_PERIOD = 240


def dumps(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def task_size(ctx: RenderContext, svc: str) -> Size:
    return task_layout(ctx, svc).task


def task_layout(ctx: RenderContext, svc: str) -> sidecars.Layout:
    """The task's size with its sidecars counted, and the service container's memory (targets/sidecars.py)."""
    return sidecars.layout(ctx.config, svc, sidecars.task_sidecars(ctx.config, svc, None))


def environment(
    project: Project, ctx: RenderContext, svc: str, memory: int, uses: set[str], version: str = ""
) -> tuple[dict[str, str], dict[str, str]]:
    """(plain variables, secret names by variable) of the service's container.

    ``uses`` are the secrets the service's Spring files reference (``rendered.uses``);
    ``version`` is the image tag, the version observability reports.
    """
    own_layers: list[dict[str, Any]] = []
    if svc == "deck":
        from spinconf.services import deck

        # services/deck.py's container_environment: DECK_HOST, DECK_PORT, API_HOST, TLS settings
        own_layers.append(deck.container_environment(ctx))
    else:
        # the start scripts (Gradle's application plugin) pass JAVA_OPTS to the JVM
        own_layers.append({"JAVA_OPTS": java_opts(memory)})
        own_layers.append(apm.service_environment(ctx.config, svc, project.env, version))
    plain, secret_names = env.compose(env.layers(ctx, svc, own_layers))
    from spinconf.render import secret_env_name

    for name in sorted(uses):
        secret_names[secret_env_name(project, name)] = name
    return plain, secret_names


def value_from(project: Project, name: str) -> str | None:
    secrets = project.config.secrets if project.config else None
    source = secrets.get(name) if secrets else None
    if source is None:
        return None
    if source.secretsManager:
        # ECS: arn:...:secret:<name>-<6>:<json-key>:<version-stage>:<version-id>, empty fields keep their colons
        return f"{source.secretsManager}:{source.key}::" if source.key else source.secretsManager
    # an ARN, or a parameter name, which ECS resolves in the task's own region
    return source.ssm


def health_check(ctx: RenderContext, svc: str, documents: dict[str, Any]) -> dict[str, Any]:
    port = ctx.topology.ports[svc]
    if svc == "deck":
        # apache on debian has no /health; bash's /dev/tcp tells whether it accepts connections
        command = f"bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port}' || exit 1"
    else:
        # the JVM images are alpine-based: busybox wget is there in every release (curl only later)
        server = documents.get(f"{svc}.yml", {}).get("server", {})
        ssl = isinstance(server, dict) and isinstance(server.get("ssl"), dict) and server["ssl"].get("enabled") is True
        scheme, insecure = ("https", "--no-check-certificate ") if ssl else ("http", "")
        command = f"wget -q {insecure}-O /dev/null {scheme}://127.0.0.1:{port}/health || exit 1"
    return {
        "command": ["CMD-SHELL", command],
        "interval": 30,
        "timeout": 5,
        "retries": 3,
        "startPeriod": START_PERIOD.get(svc, DEFAULT_START_PERIOD),
    }


def port_mappings(ctx: RenderContext, svc: str) -> list[dict[str, Any]]:
    port = ctx.topology.ports[svc]
    if svc != "gate":
        return [_port(svc, port, tls=False)]
    # gate's ports as the load balancers see them (targets/gate_ports.py): the x509 port is always TLS
    mappings = [_port(svc, port, tls=gate_ports.speaks_https(ctx.config))]
    x509 = gate_ports.x509_port(ctx.config, port)
    if x509 is not None:
        mappings.append(_port("gate-x509", x509, tls=True))
    return mappings


def _port(name: str, port: int, tls: bool) -> dict[str, Any]:
    # Fargate (awsvpc): hostPort must equal containerPort; a name lets Service Connect refer to it.
    # appProtocol tells Service Connect's proxy to read HTTP on the port; a port that speaks TLS
    # (gate with apiSecurity.ssl, its x509 port) has none, so the proxy passes TCP through.
    mapping: dict[str, Any] = {"name": name, "containerPort": port, "hostPort": port, "protocol": "tcp"}
    if not tls:
        mapping["appProtocol"] = "http"
    return mapping


def container_definition(
    project: Project,
    ctx: RenderContext,
    rendered: Rendered,
    svc: str,
    layout: sidecars.Layout,
    secret_names: dict[str, str],
) -> dict[str, Any]:
    """The service's own container; ``secret_names`` maps each ECS secret's variable to its secret."""
    ecs = ctx.config.ecs
    assert ecs is not None
    uses = rendered.uses[svc].secrets if svc in rendered.uses else set()
    tag = image_tag(ctx.release.text, context_digest(rendered.files, svc))
    plain, names = environment(project, ctx, svc, layout.service_memory, uses, tag)
    secret_names.update(names)
    secrets = []
    for variable, name in sorted(secret_names.items()):
        found = value_from(project, name)
        if found is not None:
            secrets.append({"name": variable, "valueFrom": found})
    repository = (_text(ecs.imageRepository) or "").rstrip("/")
    doc: dict[str, Any] = {
        "name": svc,
        "image": f"{repository}/{svc}:{tag}",
        "essential": True,
        "portMappings": port_mappings(ctx, svc),
        "environment": [{"name": k, "value": v} for k, v in sorted(plain.items())],
        "secrets": secrets,
        "logConfiguration": awslogs(ctx, svc),
        "healthCheck": health_check(ctx, svc, rendered.documents.get(svc, {})),
    }
    labels = apm.docker_labels(ctx.config, svc, project.env, tag)
    if labels:
        doc["dockerLabels"] = labels
    firelens = apm.log_configuration(ctx.config, svc, project.env, tag)
    key = apm.log_api_key(ctx.config)
    if firelens is not None:
        found = value_from(project, key) if key else None
        if found is not None:
            # the key reaches the log router's output configuration, not the service's environment
            firelens["secretOptions"] = [{"name": "apikey", "valueFrom": found}]
        doc["logConfiguration"] = firelens
        doc["dependsOn"] = [{"containerName": apm.LOG_ROUTER, "condition": "START"}]
    return doc


def awslogs(ctx: RenderContext, svc: str) -> dict[str, Any]:
    ecs = ctx.config.ecs
    assert ecs is not None
    # one stream prefix per task: ECS names each stream <prefix>/<container>/<task id>
    return {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": log_group(ctx),
            "awslogs-region": _text(ecs.region) or "",
            "awslogs-stream-prefix": _text(ecs.logStreamPrefix) or svc,
        },
    }


def task_containers(
    project: Project, ctx: RenderContext, rendered: Rendered, svc: str
) -> tuple[sidecars.Layout, list[dict[str, Any]], set[str]]:
    """(the task's layout, its container definitions, the secrets they read at start)."""
    config = ctx.config
    extra = sidecars.task_sidecars(config, svc, project.env)
    layout = sidecars.layout(config, svc, extra)
    secret_names: dict[str, str] = {}
    main = container_definition(project, ctx, rendered, svc, layout, secret_names)
    used = set(secret_names.values())
    key = apm.log_api_key(config) if main["logConfiguration"]["logDriver"] == "awsfirelens" else None
    if key:
        used.add(key)
    containers = [main]
    if extra:
        main["memory"] = layout.service_memory  # the JVM's cgroup limit: what the sidecars leave
    for name, sidecar in extra.items():
        if not isinstance(sidecar.image, str):
            continue  # sidecar-image-missing (checks/sidecars.py)
        doc, names = sidecars.container(name, sidecar, awslogs(ctx, svc), lambda n: value_from(project, n))
        containers.append(doc)
        used |= set(names.values())
    return layout, containers, used


def log_group(ctx: RenderContext) -> str:
    ecs = ctx.config.ecs
    assert ecs is not None
    return _text(ecs.logGroup) or f"/ecs/{ecs.familyPrefix}"


def role(ctx: RenderContext, svc: str, field: str) -> str | None:
    own = service(ctx.config, svc).ecs
    value = getattr(own, field, None) if own is not None else None
    return _text(value) or _text(getattr(ctx.config.ecs, field, None))


def task_definition(ctx: RenderContext, svc: str, size: Size, containers: list[dict[str, Any]]) -> dict[str, Any]:
    ecs = ctx.config.ecs
    assert ecs is not None
    doc: dict[str, Any] = {
        "family": f"{ecs.familyPrefix}-{svc}",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": str(size.cpu),
        "memory": str(size.memory),
        "runtimePlatform": {"cpuArchitecture": ecs.cpuArchitecture, "operatingSystemFamily": "LINUX"},
        "containerDefinitions": containers,
    }
    for field in ("executionRoleArn", "taskRoleArn"):
        value = role(ctx, svc, field)
        if value:
            doc[field] = value
    return doc


def aws_accounts(config: Config) -> list[tuple[str | None, str | None]]:
    """(accountId, assumeRole) of each AWS account clouddriver manages."""
    aws = config.providers.aws if config.providers is not None else None
    if aws is None or aws.enabled is not True:
        return []
    return [(_text(a.accountId), _text(a.assumeRole)) for a in aws.accounts or []]


def files(project: Project, ctx: RenderContext, rendered: Rendered) -> None:
    """Add ``ecs/<svc>.*.json`` and ``iam/<svc>.*.json`` for every enabled service."""
    ecs = ctx.config.ecs
    if ecs is None or project.config is None:
        return
    _, file_secrets = secretfiles.prepare(RenderContext(project.config, ctx.release, ctx.topology))
    declared = project.config.secrets or {}
    region = _text(ecs.region) or ""
    assumed = iam.account_roles(aws_accounts(project.config))
    for svc in SERVICE_NAMES:
        if not ctx.topology.is_enabled(svc) or not service_exists(svc, ctx.release.version):
            continue
        if f"services/{svc}/Dockerfile" not in rendered.files:
            continue  # no image: reported by checks/ecs.py
        layout, containers, used_secrets = task_containers(project, ctx, rendered, svc)
        taskdef = task_definition(ctx, svc, layout.task, containers)
        rendered.files[f"ecs/{svc}.taskdef.json"] = dumps(taskdef)
        rendered.files[f"ecs/{svc}.containers.json"] = dumps(containers)
        if usable_as_is(ctx, svc):  # else Terraform supplies the network, target groups or registration
            rendered.files[f"ecs/{svc}.service.json"] = dumps(service_definition(ctx, svc, taskdef["family"]))
        env_secrets = [declared[n] for n in sorted(used_secrets) if n in declared]
        kms = _text(ecs.kmsKeyArn)
        policy = iam.execution_policy(
            region=region,
            log_group=log_group(ctx),
            secrets=env_secrets,
            kms_key=kms,
            ecr_repository=iam.ecr_repository_arn(_text(ecs.imageRepository) or "", svc),
        )
        rendered.files[f"iam/{svc}.execution-policy.json"] = dumps(policy)
        used = secretfiles.used_by(rendered.documents.get(svc, {}), file_secrets)
        task = iam.task_policy(
            region=region,
            file_secrets=[declared[n] for n in sorted(used) if n in declared],
            kms_key=kms,
            xray=apm.exports_to_xray(ctx.config, svc),
            assume_roles=assumed if svc == "clouddriver" else None,
        )
        if task is not None:
            rendered.files[f"iam/{svc}.task-policy.json"] = dumps(task)
    from spinconf.targets import terraform  # the module reads what was rendered above

    terraform.files(ctx, rendered)
