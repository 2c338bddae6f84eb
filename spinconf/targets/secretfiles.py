"""File-typed secrets without volumes: ``{secret: NAME}`` in a path field becomes a kork ``encryptedFile:``.

Keystores, kubeconfigs and JSON keys are read from a path (``SECRET_FILE_FIELDS``). Fargate here
has no volumes to mount them on, but every Java service resolves kork's secret syntax in any
property. kork-secrets-aws is on every service's runtime classpath on every release spinconf knows:
kayenta lists it itself (kayenta-web.gradle), the others through ``kork-runtime``, which adds each
of kork's ``includeRuntimes`` (kork/gradle.properties: ``...,secrets-aws,...``; on the
release-2025.x and release-2026.x branches of spinnaker/spinnaker as on 1.30 and 1.36), and
``SecretConfiguration`` is a Spring auto-configuration that scans the engines.
``encryptedFile:secrets-manager!r:<region>!s:<secret-id>`` is decrypted by kork-secrets-aws's
``SecretsManagerSecretEngine`` (spinnaker/kork, kork-secrets-aws/.../engines/SecretsManagerSecretEngine.java),
which fetches the whole secret (SecretString or SecretBinary) and writes it to a file whose path
replaces the property at start-up. The service's own credentials (the ECS task role) fetch it, so
the task role, not the execution role, needs ``secretsmanager:GetSecretValue`` on the secret.
kork rejects a JSON key for an encrypted file (``Encrypted file should not specify key``), and it
has no SSM engine, so such secrets are errors (checks/ecs.py).

This runs on the typed config before the service modules, so every profile builder simply
passes the string through as it would a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from spinconf.model.config import Config
from spinconf.model.hal.fieldinfo import SECRET_FILE_FIELDS
from spinconf.model.secrets import SecretSource
from spinconf.refs import SecretRef
from spinconf.services.context import RenderContext

_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):")
KORK_PREFIX = "encryptedFile:secrets-manager!"


@dataclass(frozen=True)
class FileSecret:
    name: str  # the secret's name in secrets.<name>
    path: tuple[Any, ...]  # where it sits in the config


@dataclass
class FileSecrets:
    """The kork strings written into path fields, by the secret they fetch."""

    by_value: dict[str, str] = field(default_factory=dict)  # kork string -> secret name
    places: list[FileSecret] = field(default_factory=list)


def kork_file_reference(source: SecretSource) -> str | None:
    """``encryptedFile:secrets-manager!r:<region>!s:<arn>`` for a Secrets Manager secret without a key."""
    arn = source.secretsManager
    if arn is None or source.key is not None:
        return None
    m = _ARN_REGION.match(arn)
    if m is None:
        return None
    # kork splits parameters on '!' and each on its first ':', so the ARN's colons stay intact
    return f"{KORK_PREFIX}r:{m.group(1)}!s:{arn}"


def find(config: Config) -> list[FileSecret]:
    """Every ``{secret: NAME}`` that sits in a file-path field."""
    found: list[FileSecret] = []
    for dotted in sorted(SECRET_FILE_FIELDS):
        for path, value in _walk(config, tuple(dotted.split("."))):
            if isinstance(value, SecretRef):
                found.append(FileSecret(value.name, path))
    return found


def _walk(node: Any, parts: tuple[str, ...], at: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if not parts:
        return [(at, node)]
    if node is None:
        return []
    head, rest = parts[0], parts[1:]
    if head == "*":
        items = node if isinstance(node, list) else []
        return [hit for i, item in enumerate(items) for hit in _walk(item, rest, (*at, i))]
    child = getattr(node, head, None) if isinstance(node, BaseModel) else None
    if child is None and isinstance(node, dict):
        child = node.get(head)
    return _walk(child, rest, (*at, head))


def _set(config: Config, path: tuple[Any, ...], value: str) -> None:
    node: Any = config
    for key in path[:-1]:
        node = node[key] if isinstance(key, int) else getattr(node, key)
    setattr(node, path[-1], value)


def prepare(ctx: RenderContext) -> tuple[RenderContext, FileSecrets]:
    """A context whose path fields hold kork ``encryptedFile:`` strings instead of secret references."""
    places = find(ctx.config)
    result = FileSecrets()
    if not places:
        return ctx, result
    secrets = ctx.config.secrets or {}
    config = ctx.config.model_copy(deep=True)
    for place in places:
        source = secrets.get(place.name)
        reference = kork_file_reference(source) if source is not None else None
        if reference is None and source is not None:
            from spinconf.targets.k8s_secrets import mounted_file  # the Kubernetes target mounts it

            reference = mounted_file(ctx.config, source)
        if reference is None:
            continue  # an error from checks/ecs.py; the reference stays and renders as ${ENV}
        _set(config, place.path, reference)
        result.by_value[reference] = place.name
        result.places.append(place)
    return replace(ctx, config=config), result


def used_by(documents: dict[str, Any], file_secrets: FileSecrets) -> set[str]:
    """The secrets whose kork strings appear in a service's rendered documents."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and value in file_secrets.by_value:
            found.add(file_secrets.by_value[value])

    walk(documents)
    return found
