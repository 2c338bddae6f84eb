"""JSON Schema of overlay files, generated from the config model (``spinconf schema``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_FILE = "spinconf.schema.json"
SCHEMA_ID = "https://spinconf.dev/schemas/spinconf.schema.json"


def overlay_schema() -> dict[str, Any]:
    """The schema of one overlay file: every key optional, unknown keys rejected."""
    from spinconf.model.config import Config

    schema = Config.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "spinconf overlay"
    schema["description"] = (
        "A spinconf overlay: a partial Spinnaker deployment configuration (kleat's halconfig) plus "
        "spinconf's sections services, profiles, deck, secrets and ecs."
    )
    return schema


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
