"""import-hal's conversion of a Halyard deployment document into spinconf's spelling.

Halyard's forms become kleat's (the same rewrites as ``spinconf fix``, spinconf.fixrules),
``deploymentEnvironment.customSizing`` becomes ``services.<svc>.ecs``, Halyard's plugin list
moves under ``spinnaker.extensibility``, and what the model still rejects is dropped with the
reason from spinconf.model.halyard_only (or the Halyard hint of spinconf.model.legacy).
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from spinconf.model.halyard_only import ALIASES, dropped_reason
from spinconf.model.legacy import halyard_hint
from spinconf.model.services import SERVICE_NAMES

if TYPE_CHECKING:
    from spinconf.halimport import Imported

# Halyard's camelCase metric store keys, spelt as kleat's proto fields
METRIC_STORE_RENAMES = {
    ("datadog", "apiKey"): "api_key",
    ("datadog", "appKey"): "app_key",
    ("newrelic", "insertKey"): "insert_key",
    ("prometheus", "pushGateway"): "push_gateway",
    ("stackdriver", "credentialsPath"): "credentials_path",
}


def without_nulls(value: Any) -> Any:
    # Halyard serialises every unset field as null: nothing to import there
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value if v is not None]
    return value


def convert_halyard_forms(doc: dict[str, Any], imported: Imported) -> dict[str, Any]:
    """Rewrite the forms only Halyard knew into kleat's (see spinconf.model.legacy.HALYARD_FORMS)."""
    doc = without_nulls(copy.deepcopy(doc))
    note = imported.converted.append
    doc.pop("name", None)
    environment = doc.pop("deploymentEnvironment", None)
    if isinstance(environment, dict):
        _convert_deployment_environment(environment, doc, imported)
    storage = doc.get("persistentStorage")
    if isinstance(storage, dict) and "persistentStoreType" in storage:
        kind = storage.pop("persistentStoreType")
        store = storage.get(kind)
        if kind in ("s3", "gcs", "azs", "oracle") and (store is None or isinstance(store, dict)):
            storage[kind] = {**(store or {}), "enabled": True}
            note(f"persistentStorage.persistentStoreType: {kind} -> persistentStorage.{kind}.enabled: true")
        else:
            imported.attention.append(
                f"persistentStorage.persistentStoreType {kind!r} has no kleat equivalent: "
                "choose a store (persistentStorage.s3, ...) or services.front50.sql"
            )
    canary = doc.get("canary")
    if isinstance(canary, dict) and isinstance(canary.get("serviceIntegrations"), list):
        integrations = {}
        for item in canary["serviceIntegrations"]:
            if isinstance(item, dict) and item.get("name"):
                integrations[str(item["name"])] = {k: v for k, v in item.items() if k != "name"}
            else:
                imported.attention.append("canary.serviceIntegrations: an item without a name was left out")
        canary["serviceIntegrations"] = integrations
        note("canary.serviceIntegrations: list -> mapping by name")
    notifications = doc.get("notifications")
    if isinstance(notifications, dict):
        for old in ("github-status", "githubstatus"):
            if old in notifications and "githubStatus" not in notifications:
                notifications["githubStatus"] = notifications.pop(old)
                note(f"notifications.{old} -> notifications.githubStatus")
    stores = doc.get("metricStores")
    if isinstance(stores, dict):
        for (store_name, old), new in METRIC_STORE_RENAMES.items():
            store = stores.get(store_name)
            if isinstance(store, dict) and old in store and new not in store:
                store[new] = store.pop(old)
                note(f"metricStores.{store_name}.{old} -> metricStores.{store_name}.{new}")
    _convert_plugins(doc, imported)
    for path, alias in ALIASES.items():
        parent, _, key = path.rpartition(".")
        section = doc.get(parent)
        new_key = alias.rpartition(".")[2]
        if isinstance(section, dict) and key in section and new_key not in section:
            section[new_key] = section.pop(key)  # Halyard merged it into the same section
            note(f"{path} -> {alias} (Halyard's deprecated name)")
    # the rest of what `spinconf fix` rewrites (providerVersion, renamed keys, unique misspellings)
    from spinconf.fixrules import apply

    imported.converted.extend(apply(doc))
    return doc


# Kubernetes quantities -> ECS units (cpu: 1024 per vCPU; memory: MiB)
_CPU = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
_MEMORY = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$")
_BYTES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


def _ecs_cpu(value: Any) -> int | None:
    m = _CPU.match(str(value).strip())
    if m is None:
        return None
    cores = float(m.group(1)) / (1000 if m.group(2) else 1)
    return round(cores * 1024)


def _ecs_memory(value: Any) -> int | None:
    m = _MEMORY.match(str(value).strip())
    if m is None:
        return None
    return round(float(m.group(1)) * _BYTES.get(m.group(2) or "", 1) / 2**20)


def _convert_deployment_environment(env: dict[str, Any], doc: dict[str, Any], imported: Imported) -> None:
    """``customSizing`` -> ``services.<svc>.ecs``; every other key is dropped with its reason."""
    sizing = env.pop("customSizing", None)
    for name, size in (sizing or {}).items() if isinstance(sizing, dict) else []:
        svc = str(name).removeprefix("spin-")
        if svc not in SERVICE_NAMES or not isinstance(size, dict):
            imported.attention.append(f"deploymentEnvironment.customSizing.{name} dropped: no spinconf service {svc}")
            continue
        ecs: dict[str, Any] = {}
        if isinstance(size.get("replicas"), int):
            ecs["desiredCount"] = size["replicas"]
        amounts = {**(size.get("requests") or {}), **(size.get("limits") or {})}  # the limit is what ECS reserves
        cpu, memory = _ecs_cpu(amounts.get("cpu", "")), _ecs_memory(amounts.get("memory", ""))
        if cpu:
            ecs["cpu"] = cpu
        if memory:
            ecs["memory"] = memory
        if ecs:
            target = doc.setdefault("services", {}).setdefault(svc, {}).setdefault("ecs", {})
            for key, value in ecs.items():
                target.setdefault(key, value)
            imported.converted.append(
                f"deploymentEnvironment.customSizing.{name} -> services.{svc}.ecs ({', '.join(ecs)})"
            )
    for key in env:
        why = dropped_reason(("deploymentEnvironment", key)) or _HALYARD_DEPLOYS_FALLBACK
        imported.attention.append(f"deploymentEnvironment.{key} dropped: {why}")


_HALYARD_DEPLOYS_FALLBACK = "how Halyard deployed Spinnaker: spinconf renders files and ECS tasks"


def _convert_plugins(doc: dict[str, Any], imported: Imported) -> None:
    """Halyard's top-level ``plugins.plugins`` list -> ``spinnaker.extensibility.plugins`` by id."""
    plugins = doc.pop("plugins", None)
    if not isinstance(plugins, dict):
        return
    moved: dict[str, Any] = {}
    for item in plugins.get("plugins") or []:
        if isinstance(item, dict) and item.get("name"):
            plugin = {k: item[k] for k in ("enabled", "version", "config") if k in item}
            extensions = item.get("extensions")
            if isinstance(extensions, dict) and extensions:
                # Halyard serialised each extension's id beside it: the map key says it
                plugin["extensions"] = {
                    k: {f: v for f, v in e.items() if f != "id"} if isinstance(e, dict) else e
                    for k, e in extensions.items()
                }
            moved[str(item["name"])] = plugin
            for key in sorted(set(item) - {"name", "id", "enabled", "version", "config", "extensions"}):
                imported.attention.append(
                    f"plugin {item['name']}: {key} dropped: no effect since 1.19 (kork reads enabled, version, "
                    "config and extensions)"
                )
    if moved:
        ext = doc.setdefault("spinnaker", {}).setdefault("extensibility", {})
        ext.setdefault("plugins", {}).update(moved)
        imported.converted.append("plugins.plugins -> spinnaker.extensibility.plugins")


def _path_text(path: tuple[Any, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def drop_invalid(doc: dict[str, Any], imported: Imported) -> None:
    """Remove what the model rejects (Halyard-only keys, malformed values), saying what and why."""
    from spinconf.model.validate import InvalidConfigError, validate_config

    for _ in range(5):  # removing a key can uncover another error below it; a few rounds suffice
        try:
            validate_config(doc)
            return
        except InvalidConfigError as exc:
            errors = exc.errors
        removed = False
        for err in errors:
            path = _data_path(doc, tuple(err["loc"]))
            if not path:
                continue
            parent = _get(doc, path[:-1])
            if isinstance(parent, dict) and path[-1] in parent:
                del parent[path[-1]]
                removed = True
                reason = dropped_reason(path)
                reason = f"no effect since 1.20: {reason}" if reason is not None else _alias_reason(path)
                if reason is not None:
                    imported.attention.append(f"{_path_text(path)} dropped: {reason}")
                    continue
                hint = halyard_hint(path)
                unknown = "unknown to Halyard's and spinconf's models (a misspelling?)"
                why = hint or (unknown if err["type"] == "extra_forbidden" else err["msg"])
                imported.attention.append(f"{_path_text(path)} removed: {why}")
        if not removed:
            for err in errors:
                imported.attention.append(f"{_path_text(tuple(err['loc']))}: {err['msg']}")
            return


def _alias_reason(path: tuple[Any, ...]) -> str | None:
    dotted = _path_text(path)
    for alias, target in ALIASES.items():
        if dotted == alias or dotted.startswith(alias + "."):
            return (
                f"Halyard's deprecated name of {target} (Halyard merged the two); {target} is set too: "
                "move what differs"
            )
    return None


def _data_path(doc: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of a pydantic error location that names data (union member tags skipped)."""
    path: list[Any] = []
    node = doc
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            path.append(part)
            node = node[part]
    return tuple(path)


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc
