"""Halyard's config model as listed in tools/halyard-model-fields.txt, and a halconfig with every field."""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

from pydantic import BaseModel

from tests.helpers import REPO

FIELDS_FILE = REPO / "tools" / "halyard-model-fields.txt"
EVERY_FIELD = REPO / "tests" / "fixtures" / "halyard" / "every-field" / "config"


def halyard_fields() -> list[tuple[str, str]]:
    out = []
    for line in FIELDS_FILE.read_text().splitlines():
        path, _, kind = line.rpartition(": ")
        out.append((path, kind))
    return out


def model_field(path: tuple[str, ...]) -> Any:
    """The pydantic field at a dotted Halyard path in spinconf's model, or None."""
    from spinconf.model.config import complete_config
    from spinconf.model.errors import model_at

    config = complete_config()
    found = None
    for i, part in enumerate(path):
        if part == "*":
            continue
        model = model_at(config, path[:i])
        found = None
        for name, f in model.model_fields.items() if model is not None else []:
            if part in (name, f.alias):
                found = f
        if found is None:
            return None
    return found


def _inner(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _inner(arg) if a is not type(None)]
    return [annotation]


def sample(annotation: Any) -> Any:
    """A valid value for a field of the given type."""
    for kind in _inner(annotation):
        origin = typing.get_origin(kind)
        if origin is list:
            return [sample(typing.get_args(kind)[0])]
        if origin is dict:
            return {"key": sample(typing.get_args(kind)[1])}
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return next(m.value for m in kind if m.value.upper() != "UNSPECIFIED")
        if kind is bool:
            return True
        if kind is int:
            return 1
        if kind is str:
            return "value"
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return {}
        if kind is Any:
            return "value"
    return "value"


def every_field_halconfig() -> dict[str, Any]:
    """A deployment with every Halyard field set (valid values where spinconf's model has the field)."""
    doc: dict[str, Any] = {}
    for dotted, kind in halyard_fields():
        parts = dotted.split(".")
        node: Any = doc
        for i, part in enumerate(parts[:-1]):
            nxt = parts[i + 1]
            if part == "*":
                continue
            if nxt == "*":
                is_list = kind != "map" or i + 1 < len(parts) - 1
                field = model_field(tuple(parts[: i + 1]))
                ann = str(field.annotation) if field is not None else ""
                if field is not None:
                    is_list = "list[" in ann
                holder = node.setdefault(part, [{}] if is_list else {"key": {}})
                node = holder[0] if isinstance(holder, list) else holder["key"]
            else:
                node = node.setdefault(part, {})
        last = parts[-1]
        if last == "*":
            continue
        field = model_field(tuple(parts))
        if field is not None:
            node.setdefault(last, sample(field.annotation))
        else:
            node.setdefault(last, {"list": ["value"], "map": {"key": "value"}}.get(kind, "value"))
    return doc


def write_every_field_fixture() -> None:
    """Regenerate tests/fixtures/halyard/every-field/config (after tools/halyard-model-fields.txt changes):
    ``python -c 'from tests.halparity.halyard_model import write_every_field_fixture as w; w()'``."""
    import yaml

    d = every_field_halconfig()
    d.update(name="default", version="1.34.0", timezone="Europe/Berlin")
    d["persistentStorage"]["persistentStoreType"] = "s3"
    d["deploymentEnvironment"]["customSizing"] = {
        "clouddriver": {
            "replicas": 2,
            "requests": {"cpu": "500m", "memory": "2Gi"},
            "limits": {"cpu": 2, "memory": "4Gi"},
        },
        "spin-echo": {"replicas": 1},
    }
    # Halyard's own form: a list of integrations, each with its name
    integrations = d["canary"]["serviceIntegrations"]
    d["canary"]["serviceIntegrations"] = [
        {"name": k, **{f: v for f, v in body.items() if f != "name"}} for k, body in integrations.items()
    ]
    doc = {"halyardVersion": "1.45.0", "currentDeployment": "default", "deploymentConfigurations": [d]}
    EVERY_FIELD.write_text(
        "# Every field of Halyard's config model (tools/halyard-model-fields.txt), written by\n"
        "# tests/halparity/halyard_model.py write_every_field_fixture(); values are placeholders.\n"
        + yaml.safe_dump(doc, sort_keys=False)
    )
