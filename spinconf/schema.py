"""JSON Schema of overlay files, generated from the config model (``spinconf schema``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_FILE = "spinconf.schema.json"
SCHEMA_ID = "https://spinconf.dev/schemas/spinconf.schema.json"


def overlay_schema() -> dict[str, Any]:
    """The schema of one overlay file: every key optional, unknown keys rejected."""
    from spinconf.model.config import complete_config

    schema = complete_config().model_json_schema(by_alias=True, mode="validation")
    schema = _share_scalars(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "spinconf overlay"
    schema["description"] = (
        "A spinconf overlay: a partial Spinnaker deployment configuration (kleat's halconfig) plus "
        "spinconf's sections services, profiles, deck, secrets and ecs."
    )
    return schema


def _share_scalars(schema: dict[str, Any]) -> dict[str, Any]:
    """Name the reference-accepting scalars once in ``$defs`` instead of inlining them thousands of times."""
    from spinconf.model.base import ENV_REF_SCHEMA, SECRET_REF_SCHEMA

    secret, env = {"$ref": "#/$defs/SecretRef"}, {"$ref": "#/$defs/EnvRef"}
    named = {
        "Str": [{"type": "string"}, secret, env],
        "Bool": [{"type": "boolean"}, env],
        "Int": [{"type": "integer"}, env],
    }

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        if node == SECRET_REF_SCHEMA:
            return secret
        if node == ENV_REF_SCHEMA:
            return env
        out = {k: walk(v) for k, v in node.items()}
        options = out.get("anyOf")
        if isinstance(options, list):
            for name, members in named.items():
                if all(m in options for m in members):
                    rest = [o for o in options if o not in members]
                    ref = {"$ref": f"#/$defs/{name}"}
                    if rest:
                        out["anyOf"] = [ref, *rest]
                    else:
                        del out["anyOf"]
                        out.update(ref)
                    break
        return out

    result: dict[str, Any] = walk(schema)
    defs = result.setdefault("$defs", {})
    defs["SecretRef"] = SECRET_REF_SCHEMA
    defs["EnvRef"] = ENV_REF_SCHEMA
    for name, members in named.items():
        defs[name] = {"anyOf": members}
    return result


MODELINE_PREFIX = "# yaml-language-server: $schema="


def modeline(overlay: str, schemas_dir: str = "schemas") -> str:
    """The yaml-language-server line for an overlay at ``overlay`` (relative to the project root),
    pointing at ``<root>/<schemas_dir>/spinconf.schema.json`` relative to the overlay's folder."""
    depth = overlay.count("/")
    return f"{MODELINE_PREFIX}{'../' * depth}{schemas_dir}/{SCHEMA_FILE}\n"


def render_schemas() -> dict[str, str]:
    return {SCHEMA_FILE: json.dumps(overlay_schema(), indent=2, sort_keys=True) + "\n"}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
