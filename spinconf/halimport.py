"""``spinconf import-hal``: a Halyard halconfig (plus its profiles and service settings) -> a spinconf project.

Halyard keeps a deployment in ``~/.hal/config`` (``deploymentConfigurations`` with a
``currentDeployment``), its Spring overrides in ``~/.hal/<deployment>/profiles/`` and its
per-service settings in ``~/.hal/<deployment>/service-settings/``. kleat takes a bare
deployment document. Both are read here, converted to kleat's spelling, split into topic
overlays, and every plain-text secret is replaced by a ``{secret: NAME}`` reference to an
SSM parameter: the value itself is never written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spinconf import halkubernetes
from spinconf.halforms import convert_halyard_forms, drop_invalid, without_nulls
from spinconf.halsecrets import SecretNamer, inline_references, profile_secrets, settings_secrets, spec_secrets
from spinconf.model.services import SERVICE_NAMES
from spinconf.schema import SCHEMA_FILE, modeline, render_schemas
from spinconf.yamlio import YamlError, load
from spinconf.yamlwriter import dump

# sections written one file per kind: overlays/<dir>/<kind>.yml
SPLIT_SECTIONS = {"providers": "providers", "artifacts": "artifacts", "notifications": "notifications", "ci": "ci"}
SECTION_FILES = {
    "timezone": "general.yml",
    "persistentStorage": "storage.yml",
    "canary": "canary.yml",
    "pubsub": "pubsub.yml",
    "stats": "stats.yml",
    "features": "features.yml",
    "webhook": "webhook.yml",
    "repository": "repository.yml",
    "metricStores": "metric-stores.yml",
    "spinnaker": "extensibility.yml",
    "managedDelivery": "managed-delivery.yml",
}
SECURITY_FILES = {
    "authn": "security/authn.yml",
    "authz": "security/authz.yml",
    "apiSecurity": "security/api.yml",
    "uiSecurity": "security/ui.yml",
}
# service-settings/<svc>.yml keys that have a spinconf home: services.<svc>.<key>
SERVICE_SETTINGS_MAP = {"artifactId": "image", "port": "port", "enabled": "enabled", "overrideBaseUrl": "baseUrl"}
SETTINGS_LOCAL_JS = "deck/settings-local.js"
SSM_PREFIX = "/spinnaker/"  # where the SSM parameters of imported secrets go


class HalImportError(Exception):
    """The halconfig cannot be read (missing, not YAML, no such deployment): a usage error."""


@dataclass
class Imported:
    """A converted project before it touches the disk, and what the operator should know about it."""

    deployment: str
    files: dict[str, bytes] = field(default_factory=dict)
    parameters: list[str] = field(default_factory=list)  # SSM parameter names, never values
    converted: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)


def _read_yaml(path: Path, shown: str) -> Any:
    try:
        return load(path.read_bytes(), shown).data
    except OSError as exc:
        raise HalImportError(f"cannot read {shown}: {exc.strerror}") from None
    except YamlError as exc:
        raise HalImportError(f"{shown}:{exc.line}:{exc.column}: {exc.message}") from None


def _read_round_trip(path: Path, shown: str) -> Any:
    """A profile read so that its comments, key order and quoting survive (see spinconf.fix)."""
    _read_yaml(path, shown)  # spinconf's reader first: its errors (file:line) and limits
    from spinconf.fix import round_trip

    return round_trip().load(path.read_text(encoding="utf-8"))


def pick_deployment(data: Any, wanted: str | None) -> tuple[str, dict[str, Any]]:
    """The deployment of a wrapped halconfig (by name or currentDeployment), or a bare deployment document."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise HalImportError("the halconfig must be a mapping (a Halyard config or a bare deployment)")
    if "deploymentConfigurations" not in data:
        return wanted or "default", data
    listed = data.get("deploymentConfigurations") or []
    if not isinstance(listed, list):
        raise HalImportError("deploymentConfigurations must be a list of deployments")
    deployments = [d for d in listed if isinstance(d, dict)]
    names = [str(d.get("name", "")) for d in deployments]
    if not deployments:
        raise HalImportError("deploymentConfigurations holds no deployment")
    name = wanted or data.get("currentDeployment") or (names[0] if len(names) == 1 else None)
    if name is None:
        raise HalImportError(f"several deployments ({', '.join(names)}) and no currentDeployment: use --deployment")
    for deployment in deployments:
        if str(deployment.get("name", "")) == str(name):
            return str(name), deployment
    raise HalImportError(f"no deployment {name!r} in the halconfig (found: {', '.join(names) or 'none'})")


def read_profiles(folder: Path, project: dict[str, Any], imported: Imported, namer: SecretNamer) -> None:
    """``profiles/<svc>-local.yml`` -> ``profiles.<svc>``; ``settings-local.js`` -> deck.settingsLocalFile."""
    if not folder.is_dir():
        return
    known = {*SERVICE_NAMES, "spinnaker"} - {"deck"}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        name = rel.removesuffix(".yml").removesuffix(".yaml")
        if rel == "settings-local.js":
            imported.files[SETTINGS_LOCAL_JS] = path.read_bytes()
            project.setdefault("deck", {})["settingsLocalFile"] = SETTINGS_LOCAL_JS
            imported.converted.append(f"profiles/{rel} -> {SETTINGS_LOCAL_JS} (deck.settingsLocalFile)")
            imported.attention.append(f"{SETTINGS_LOCAL_JS}: reaches every browser: check it holds no secret")
        elif name != rel and name.endswith("-local") and name.removesuffix("-local") in known:
            svc = name.removesuffix("-local")
            data = _read_round_trip(path, f"profiles/{rel}")
            if data is None:
                continue
            if not isinstance(data, dict):
                imported.attention.append(f"profiles/{rel} is not a mapping: not imported")
                continue
            data = profile_secrets(svc, data, namer)
            _shift_comments(data, 4)  # written under `profiles: <svc>:`
            project.setdefault("profiles", {})[svc] = data
            imported.converted.append(f"profiles/{rel} -> profiles.{svc}")
        else:
            imported.attention.append(
                f"profiles/{rel} not imported: only <service>-local.yml, spinnaker-local.yml and "
                "settings-local.js have a place (profiles.<svc>, deck.settingsLocalFile); use services.<svc>.files"
            )


def read_service_settings(folder: Path, project: dict[str, Any], imported: Imported, namer: SecretNamer) -> None:
    """``service-settings/<svc>.yml`` -> ``services.<svc>.{image,port,enabled,baseUrl,ecs.environment}``."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.y*ml")):
        svc = path.stem
        shown = f"service-settings/{path.name}"
        data = without_nulls(_read_yaml(path, shown))
        if not isinstance(data, dict):
            imported.attention.append(f"{shown} is not a mapping: not imported")
            continue
        if svc == "redis" and "overrideBaseUrl" in data:
            # Halyard wrote services.redis.baseUrl into spinnaker.yml: keep that, as a profile
            url = settings_secrets("redis", {"url": data.pop("overrideBaseUrl")}, namer)["url"]
            project.setdefault("profiles", {}).setdefault("spinnaker", {}).setdefault("services", {})["redis"] = {
                "baseUrl": url
            }
            imported.converted.append(f"{shown} overrideBaseUrl -> profiles.spinnaker.services.redis.baseUrl")
        if svc not in SERVICE_NAMES:
            if data:
                imported.attention.append(f"{shown}: {', '.join(sorted(data))} not imported (no such service)")
            continue
        service: dict[str, Any] = {}
        for key, target in SERVICE_SETTINGS_MAP.items():
            if key in data:
                service[target] = data.pop(key)
        env = data.pop("env", None)
        if isinstance(env, dict) and env:
            plain = {str(k): _env_text(v) for k, v in env.items()}
            service["ecs"] = {"environment": settings_secrets(svc, plain, namer)}
        if service:
            project.setdefault("services", {})[svc] = service
            imported.converted.append(f"{shown} -> services.{svc} ({', '.join(service)})")
        if data:
            imported.attention.append(f"{shown}: {', '.join(sorted(data))} not imported (no spinconf equivalent)")


def _env_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def split_topics(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One overlay document per topic file, relative to overlays/."""
    out: dict[str, dict[str, Any]] = {}

    def put(rel: str, section: str, value: Any, sub: str | None = None) -> None:
        body = out.setdefault(rel, {})
        if sub is None:
            body[section] = value
        else:
            body.setdefault(section, {})[sub] = value

    for section, value in doc.items():
        if section in SPLIT_SECTIONS and isinstance(value, dict):
            for kind, block in value.items():
                if isinstance(block, dict | list):
                    put(f"{SPLIT_SECTIONS[section]}/{kind}.yml", section, block, kind)
                else:
                    put(f"{SPLIT_SECTIONS[section]}.yml", section, block, kind)
        elif section == "security" and isinstance(value, dict):
            for kind, block in value.items():
                put(SECURITY_FILES.get(kind, "security/other.yml"), section, block, kind)
        elif section in ("services", "profiles") and isinstance(value, dict):
            for name, block in value.items():
                put(f"{section}/{name}.yml", section, block, name)
        else:
            put(SECTION_FILES.get(section, f"{section}.yml"), section, value)
    return out


def import_hal(
    halconfig: Path,
    deployment: str | None = None,
    secret_prefix: str = SSM_PREFIX,
    kubernetes_secret: str | None = None,
) -> Imported:
    """Read and convert; raises HalImportError when the halconfig cannot be read.

    ``kubernetes_secret`` keeps the secrets as keys of that Kubernetes Secret instead of SSM parameters.
    """
    if halconfig.is_dir():
        halconfig = halconfig / "config"
    raw = _read_yaml(halconfig, str(halconfig))
    name, doc = pick_deployment(raw, deployment)
    imported = Imported(deployment=name)
    namespace = halkubernetes.on_kubernetes(doc)
    project = convert_halyard_forms(doc, imported)
    drop_invalid(project, imported)
    version = project.pop("version", None)
    home = halconfig.parent
    _copy_saml_metadata(project, home, imported)
    namer = SecretNamer(secret_prefix)
    project = spec_secrets(project, namer)
    for base in (home / name, home):
        if (base / "profiles").is_dir() or (base / "service-settings").is_dir():
            read_profiles(base / "profiles", project, imported, namer)
            read_service_settings(base / "service-settings", project, imported, namer)
            break
    if namer.secrets and kubernetes_secret is not None:
        project["secrets"] = halkubernetes.declarations(list(namer.secrets), kubernetes_secret)
        imported.attention += halkubernetes.create_instructions(
            list(namer.secrets), kubernetes_secret, namespace or halkubernetes.DEFAULT_NAMESPACE
        )
    elif namer.secrets:
        project["secrets"] = namer.declarations()
        imported.parameters = namer.parameters()
        if namespace is not None:
            imported.attention.append(halkubernetes.offer(namespace))
    for rel, body in split_topics(project).items():
        comment = f"# Imported from Halyard deployment {name!r} by spinconf import-hal.\n"
        path = f"overlays/{rel}"
        text = _round_trip_text(body) if rel.startswith("profiles/") else inline_references(dump(body))
        imported.files[path] = (modeline(path) + comment + text).encode()
    # the schema the overlays' modelines point at, so editors check them offline
    imported.files[f"schemas/{SCHEMA_FILE}"] = render_schemas()[SCHEMA_FILE].encode()
    if version:
        imported.files["versions.txt"] = f"{version}\n".encode()
    else:
        imported.attention.append("no version in the halconfig: write the Spinnaker release into versions.txt")
    imported.files = dict(sorted(imported.files.items()))
    return imported


def _copy_saml_metadata(project: dict[str, Any], home: Path, imported: Imported) -> None:
    """SAML's ``metadataLocal`` names a file on the Halyard machine: it moves into the project,
    from where it is baked into gate's image (spinconf/services/saml.py)."""
    saml = project.get("security", {}).get("authn", {}).get("saml")
    local = saml.get("metadataLocal") if isinstance(saml, dict) else None
    if not isinstance(local, str) or not local:
        return
    source = Path(local).expanduser()
    source = source if source.is_absolute() else home / source
    rel = f"saml/{source.name}"
    if source.is_file():
        imported.files[rel] = source.read_bytes()
        saml["metadataLocal"] = rel
        imported.converted.append(f"security.authn.saml.metadataLocal: {local} copied to {rel}")
    else:
        imported.attention.append(
            f"security.authn.saml.metadataLocal: {local} not found: copy the IdP metadata into the project and "
            "point metadataLocal at it (gate's image carries it)"
        )


def _shift_comments(node: Any, by: int) -> None:
    """Indent a round-trip document's full-line comments with its keys when it is nested deeper."""
    ca = getattr(node, "ca", None)
    if ca is not None:
        slots: list[Any] = [ca.comment, *ca.items.values(), getattr(ca, "end", None)]
        stack = list(slots)
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif item is not None and isinstance(getattr(item, "value", None), str):
                first, *rest = item.value.split("\n")
                pad = " " * by
                item.value = "\n".join(
                    [first, *(pad + line if line.lstrip().startswith("#") else line for line in rest)]
                )
                if first.startswith("#"):
                    item.column = (item.column or 0) + by
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        _shift_comments(child, by)


def _round_trip_text(body: dict[str, Any]) -> str:
    """A profile overlay written by ``spinconf fix``'s writer: the user's comments stay."""
    from spinconf.fix import dump_text, round_trip

    yaml = round_trip()
    yaml.indent(mapping=2, sequence=4, offset=2)
    return str(dump_text(yaml, body))


def write_imported(imported: Imported, to: Path) -> None:
    for rel, data in imported.files.items():
        path = to / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def summary(imported: Imported, to: str) -> str:
    """What was written, which SSM parameters to create (names only), what was converted, what needs a look."""
    lines = [f"Imported deployment {imported.deployment!r} into {to}: {len(imported.files)} files."]
    if imported.parameters:
        lines.append("")
        lines.append("Create these SSM parameters (SecureString) with the values from your Halyard config:")
        lines += [f"  {p}" for p in imported.parameters]
    for title, items in (("Converted:", imported.converted), ("Needs attention:", imported.attention)):
        if items:
            lines += ["", title, *(f"  - {item}" for item in items)]
    return "\n".join(lines) + "\n"
