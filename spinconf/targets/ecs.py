"""The ECS Fargate target: task definitions, container definitions, service definitions, IAM.

Per enabled service:

- ``ecs/<svc>.taskdef.json``: ``aws ecs register-task-definition --cli-input-json`` input;
- ``ecs/<svc>.containers.json``: its ``containerDefinitions`` normalised for Terraform's
  ``container_definitions`` (every default written out, so ``terraform plan`` shows no drift);
- ``ecs/<svc>.service.json``: ``aws ecs create-service --cli-input-json`` input;
- ``iam/<svc>.execution-policy.json`` (and ``iam/<svc>.task-policy.json`` with file secrets).

Everything the checks reject (no region, no execution role, invalid sizes) is reported by
checks/ecs.py before rendering, so this module renders only valid projects.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from spinconf.model.services import SERVICE_NAMES
from spinconf.refs import SecretRef
from spinconf.releases import service_exists
from spinconf.services.context import RenderContext, service
from spinconf.targets import iam, secretfiles
from spinconf.targets.docker import context_digest, image_tag
from spinconf.targets.ecs_service import service_definition, usable_as_is
from spinconf.targets.fargate import DEFAULT_SIZES, Size, java_opts

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.model.config import Config
    from spinconf.render import Rendered

X509_PORT = 8085  # gate's second connector for x509 client certificates (Halyard's default.apiPort)
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
    own = service(ctx.config, svc).ecs
    default = DEFAULT_SIZES[svc]
    cpu = own.cpu if own is not None and isinstance(own.cpu, int) else default.cpu
    memory = own.memory if own is not None and isinstance(own.memory, int) else default.memory
    return Size(cpu, memory)


def x509_enabled(ctx: RenderContext) -> bool:
    sec = ctx.config.security
    x509 = sec.authn.x509 if sec and sec.authn else None
    return x509 is not None and x509.enabled is True


def environment(
    project: Project, ctx: RenderContext, svc: str, memory: int, uses: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(plain variables, secret names by variable) of the service's container.

    ``uses`` are the secrets the service's Spring files reference (``rendered.uses``).
    """
    plain: dict[str, str] = {}
    secret_names: dict[str, str] = {}  # variable -> secret name
    layers: list[dict[str, Any]] = []
    if svc == "deck":
        from spinconf.services import deck

        # services/deck.py's container_environment: DECK_HOST, DECK_PORT, API_HOST, TLS settings
        container_environment = getattr(deck, "container_environment", None)
        if container_environment is not None:
            layers.append(container_environment(ctx))
    else:
        # the start scripts (Gradle's application plugin) pass JAVA_OPTS to the JVM
        layers.append({"JAVA_OPTS": java_opts(memory)})
    ecs = ctx.config.ecs
    if ecs is not None and ecs.environment:
        layers.append(dict(ecs.environment))
    own = service(ctx.config, svc).ecs
    if own is not None and own.environment:
        layers.append(dict(own.environment))
    for layer in layers:
        for name, value in layer.items():
            plain.pop(name, None)
            secret_names.pop(name, None)
            if isinstance(value, SecretRef):
                secret_names[name] = value.name
            elif isinstance(value, str):
                plain[name] = value
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
    mappings = [_port(svc, port)]
    if svc == "gate" and x509_enabled(ctx) and port != X509_PORT:
        mappings.append(_port("gate-x509", X509_PORT))
    return mappings


def _port(name: str, port: int) -> dict[str, Any]:
    # Fargate (awsvpc): hostPort must equal containerPort; a name lets Service Connect refer to it
    return {"name": name, "containerPort": port, "hostPort": port, "protocol": "tcp", "appProtocol": "http"}


def container_definition(
    project: Project, ctx: RenderContext, rendered: Rendered, svc: str, size: Size, secret_names: dict[str, str]
) -> dict[str, Any]:
    """The service's one container; ``secret_names`` maps each ECS secret's variable to its secret."""
    ecs = ctx.config.ecs
    assert ecs is not None
    uses = rendered.uses[svc].secrets if svc in rendered.uses else set()
    plain, names = environment(project, ctx, svc, size.memory, uses)
    secret_names.update(names)
    secrets = []
    for variable, name in sorted(secret_names.items()):
        found = value_from(project, name)
        if found is not None:
            secrets.append({"name": variable, "valueFrom": found})
    repository = (_text(ecs.imageRepository) or "").rstrip("/")
    tag = image_tag(ctx.release.text, context_digest(rendered.files, svc))
    return {
        "name": svc,
        "image": f"{repository}/{svc}:{tag}",
        "essential": True,
        "portMappings": port_mappings(ctx, svc),
        "environment": [{"name": k, "value": v} for k, v in sorted(plain.items())],
        "secrets": secrets,
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group(ctx),
                "awslogs-region": _text(ecs.region) or "",
                "awslogs-stream-prefix": _text(ecs.logStreamPrefix) or svc,
            },
        },
        "healthCheck": health_check(ctx, svc, rendered.documents.get(svc, {})),
    }


def log_group(ctx: RenderContext) -> str:
    ecs = ctx.config.ecs
    assert ecs is not None
    return _text(ecs.logGroup) or f"/ecs/{ecs.familyPrefix}"


def role(ctx: RenderContext, svc: str, field: str) -> str | None:
    own = service(ctx.config, svc).ecs
    value = getattr(own, field, None) if own is not None else None
    return _text(value) or _text(getattr(ctx.config.ecs, field, None))


def task_definition(ctx: RenderContext, svc: str, size: Size, container: dict[str, Any]) -> dict[str, Any]:
    ecs = ctx.config.ecs
    assert ecs is not None
    doc: dict[str, Any] = {
        "family": f"{ecs.familyPrefix}-{svc}",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": str(size.cpu),
        "memory": str(size.memory),
        "runtimePlatform": {"cpuArchitecture": ecs.cpuArchitecture, "operatingSystemFamily": "LINUX"},
        "containerDefinitions": [container],
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
        size = task_size(ctx, svc)
        secret_names: dict[str, str] = {}
        container = container_definition(project, ctx, rendered, svc, size, secret_names)
        taskdef = task_definition(ctx, svc, size, container)
        rendered.files[f"ecs/{svc}.taskdef.json"] = dumps(taskdef)
        rendered.files[f"ecs/{svc}.containers.json"] = dumps([container])
        if usable_as_is(ctx, svc):  # else Terraform supplies the network, target groups or registration
            rendered.files[f"ecs/{svc}.service.json"] = dumps(service_definition(ctx, svc, taskdef["family"]))
        env_secrets = [declared[n] for n in sorted(set(secret_names.values())) if n in declared]
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
            assume_roles=assumed if svc == "clouddriver" else None,
        )
        if task is not None:
            rendered.files[f"iam/{svc}.task-policy.json"] = dumps(task)
    from spinconf.targets import terraform  # the module reads what was rendered above

    terraform.files(project, ctx, rendered)
