"""The config reference (docs/reference.md), generated from the model and the rules.

Every key path of :class:`spinconf.model.config.Config` with its type, default, the service
files it lands in, whether it bears a secret, and the rules that concern it. Regenerate with
``spinconf reference > docs/reference.md`` (or ``python -m spinconf.reference``); a test fails
when the committed file is stale.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from spinconf.checks import RULES, Rule, load_topics
from spinconf.model.config import complete_config
from spinconf.model.hal.fieldinfo import LOCAL_FILE_FIELDS, SECRET_FIELDS, SECRET_FILE_FIELDS
from spinconf.refs import EnvRef, SecretRef

# Which sections each service file reads: kleat's converters (internal/convert/<svc>.go, the
# h.Get<Section>() calls of each) plus spinconf's own sections. Longer prefixes refine shorter ones.
LANDS_IN: dict[str, tuple[str, ...]] = {
    "version": ("deck settings.js", "echo.yml"),
    "timezone": ("deck settings.js", "echo.yml", "orca.yml"),
    "providers": ("clouddriver.yml", "deck settings.js"),
    "providers.aws": ("clouddriver.yml", "deck settings.js", "orca.yml", "rosco.yml"),
    "providers.azure": ("clouddriver.yml", "deck settings.js", "rosco.yml"),
    "providers.google": ("clouddriver.yml", "deck settings.js", "rosco.yml"),
    "providers.huaweicloud": ("clouddriver.yml", "deck settings.js", "rosco.yml"),
    "providers.oracle": ("clouddriver.yml", "rosco.yml"),
    "providers.dockerRegistry": ("clouddriver.yml", "igor.yml"),
    "persistentStorage": ("front50.yml",),
    "persistentStorage.sql": ("keel.yml",),
    "artifacts": ("clouddriver.yml", "echo.yml"),
    "artifacts.templates": ("igor.yml",),
    "notifications": ("echo.yml", "deck settings.js"),
    "pubsub": ("echo.yml",),
    "ci": ("igor.yml",),
    "ci.gcb": ("igor.yml", "echo.yml"),
    "stats": ("echo.yml",),
    "features": ("deck settings.js", "gate.yml", "orca.yml"),
    "webhook": ("orca.yml",),
    "security": ("gate.yml", "deck settings.js"),
    "security.authz": ("fiat.yml", "deck settings.js"),
    "security.uiSecurity": ("gate.yml", "deck container environment"),
    "canary": ("kayenta.yml", "deck settings.js", "gate.yml", "orca.yml"),
    "repository": ("igor.yml",),
    "metricStores": ("spinnaker-monitoring.yml (retired)",),
    "spinnaker": ("spinnaker.yml",),
    "managedDelivery": ("keel.yml", "deck settings.js", "echo.yml", "front50.yml", "orca.yml"),
    "services": ("spinnaker.yml",),
    "profiles": ("<name>.yml",),
    "deck": ("deck settings.js",),
    "secrets": ("ECS task definitions (secrets)",),
    "ecs": ("ECS task definitions",),
    "kubernetes": ("kubernetes/kustomization.yml", "spinnaker.yml"),
}
# the ECS settings of a service that its CreateService input carries (targets/ecs_service.py);
# the others are the task definition's
_ECS_SERVICE_KEYS = (
    "desiredCount",
    "healthCheckGracePeriodSeconds",
    "loadBalancers",
    "registryArn",
    "discoveryName",
    "subnets",
    "securityGroups",
    "assignPublicIp",
)
for _svc in ("clouddriver", "deck", "echo", "fiat", "front50", "gate", "igor", "kayenta", "keel", "orca", "rosco"):
    _own = f"{_svc}.yml"
    # a Java service's server.port is in its own file; deck's port reaches apache as DECK_PORT
    _port = () if _svc == "deck" else (_own,)
    LANDS_IN[f"services.{_svc}.port"] = ("spinnaker.yml", *_port, f"ECS task definition of {_svc}")
    LANDS_IN[f"services.{_svc}.sql"] = ("nowhere: deck has no database",) if _svc == "deck" else (_own,)
    LANDS_IN[f"services.{_svc}.redis"] = ("nowhere: deck has no redis",) if _svc == "deck" else (_own,)
    LANDS_IN[f"services.{_svc}.ecs"] = (f"ECS task definition of {_svc}",)
    for _key in _ECS_SERVICE_KEYS:
        LANDS_IN[f"services.{_svc}.ecs.{_key}"] = (f"ECS service of {_svc}",)
    LANDS_IN[f"services.{_svc}.image"] = (f"services/{_svc}/Dockerfile",)
    LANDS_IN[f"services.{_svc}.files"] = (f"services/{_svc}/Dockerfile",)


@dataclass(frozen=True)
class Entry:
    path: str  # dotted, '*' for list items and mapping values
    type: str
    default: str
    files: tuple[str, ...]
    secret: str
    rules: tuple[str, ...]
    description: str


def _strip_optional(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    if _is_union(annotation):
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
    return annotation


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _unwrap(annotation: Any) -> Any:
    """The type inside Annotated[...]."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def type_name(annotation: Any) -> str:
    annotation = _unwrap(_strip_optional(annotation))
    origin = typing.get_origin(annotation)
    if _is_union(annotation):
        parts = [_unwrap(a) for a in typing.get_args(annotation) if a is not type(None)]
        plain = [type_name(a) for a in parts if a not in (SecretRef, EnvRef)]
        refs = [("secret" if a is SecretRef else "env") for a in parts if a in (SecretRef, EnvRef)]
        return " \\| ".join(plain) + (f" (or {{{'/'.join(refs)}}} ref)" if refs else "")
    if origin is list:
        return f"list of {type_name(typing.get_args(annotation)[0])}"
    if origin is dict:
        return f"map of {type_name(typing.get_args(annotation)[1])}"
    if origin is typing.Literal:
        return " \\| ".join(str(a) for a in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " \\| ".join(str(m.value) for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    if annotation is typing.Any:
        return "any"
    return {str: "string", int: "integer", bool: "boolean", float: "number"}.get(annotation, str(annotation))


def _children(annotation: Any) -> tuple[str, type[BaseModel]] | None:
    """(path suffix, model) when the field holds a model, a list of models or a map of models."""
    annotation = _unwrap(_strip_optional(annotation))
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "", annotation
    if origin in (list, dict):
        inner = _unwrap(_strip_optional(typing.get_args(annotation)[-1]))
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return ".*", inner
    return None


def _secret(path: str, field: FieldInfo) -> str:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    if path in SECRET_FIELDS or extra.get("x-spinconf-secret"):
        flag = extra.get("x-spinconf-secret")
        return f"secret ({flag})" if isinstance(flag, str) else "secret"
    if path in SECRET_FILE_FIELDS or extra.get("x-spinconf-secretFile"):
        return "secret file"
    if path in LOCAL_FILE_FIELDS or extra.get("x-spinconf-localFile"):
        return "local file"
    return ""


def _files(path: str) -> tuple[str, ...]:
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        found = LANDS_IN.get(".".join(parts[:n]))
        if found is not None:
            return found
    return ()


def _matches(pattern: str, path: str) -> bool:
    want, got = pattern.split("."), path.split(".")
    return len(want) == len(got) and all(w in ("*", g) for w, g in zip(want, got, strict=True))


def _rules_for(path: str, rules: list[Rule]) -> tuple[str, ...]:
    return tuple(sorted(r.code for r in rules if any(_matches(p, path) for p in r.applies_to)))


def _default(field: FieldInfo) -> str:
    value = field.default
    if value is None or value is PydanticUndefined:
        return ""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def entries(model: type[BaseModel] | None = None, prefix: str = "", rules: list[Rule] | None = None) -> Iterator[Entry]:
    """Every key path below ``model`` (the whole config by default), depth first in declaration order."""
    if model is None:
        model = complete_config()
    if rules is None:
        load_topics()
        rules = list(RULES.values())
    for name, field in model.model_fields.items():
        key = field.alias or name
        path = f"{prefix}{key}"
        yield Entry(
            path,
            type_name(field.annotation),
            _default(field),
            _files(path),
            _secret(path, field),
            _rules_for(path, rules),
            (field.description or "").replace("|", "\\|"),
        )
        child = _children(field.annotation)
        if child is not None:
            suffix, sub = child
            if suffix:
                yield Entry(f"{path}.*", "mapping", "", _files(path), "", _rules_for(f"{path}.*", rules), "")
            yield from entries(sub, f"{path}{suffix}.", rules)


HEADER = """\
# spinconf configuration reference

Generated by `spinconf reference` from the config model and the rules: do not edit by hand.

Every key an overlay may set, by section. `*` stands for a list item or a map key. *Lands in*
names the rendered file(s) that read the key; *secret* marks secret-bearing values (write
`{secret: NAME}`) and file paths whose content is secret; *rules* are the checks of
`spinconf validate` that concern the key (listed at the end).
"""


def render() -> str:
    load_topics()
    rules = sorted(RULES.values(), key=lambda r: r.code)
    out = [HEADER]
    section = None
    for entry in entries(complete_config(), "", rules):
        top = entry.path.split(".")[0]
        if top != section:
            section = top
            out.append(f"\n## `{top}`\n\n| key | type | default | lands in | secret | rules | description |\n")
            out.append("|---|---|---|---|---|---|---|\n")
        rule_links = ", ".join(f"[{c}](#{c})" for c in entry.rules)
        out.append(
            f"| `{entry.path}` | {entry.type} | {entry.default} | {', '.join(entry.files)} | {entry.secret} "
            f"| {rule_links} | {entry.description} |\n"
        )
    out.append("\n## Rules\n\n| code | severity | summary | applies to |\n|---|---|---|---|\n")
    for r in rules:
        where = ", ".join(f"`{p}`" for p in r.applies_to)
        out.append(f'| <a id="{r.code}"></a>`{r.code}` | {r.severity.value} | {r.summary} | {where} |\n')
    return "".join(out)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(render())
