"""The JSON Schema of overlay files: current, accepts every valid overlay on its own, rejects unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from spinconf.schema import SCHEMA_FILE, render_schemas

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(render_schemas()[SCHEMA_FILE])
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_committed_schema_is_current() -> None:
    committed = (REPO / "schemas" / SCHEMA_FILE).read_text()
    assert committed == render_schemas()[SCHEMA_FILE], "schemas/ is stale: run `spinconf schema`"


def _overlays() -> list[Path]:
    roots = [REPO / "tests" / "fixtures" / "valid", REPO / "overlays", REPO / "examples"]
    files = []
    for root in roots:
        files += sorted(p for p in root.rglob("*.y*ml") if "overlays" in p.parts or "environments" in p.parts)
    return files


@pytest.mark.parametrize("path", _overlays(), ids=lambda p: str(p.relative_to(REPO)))
def test_schema_accepts_each_valid_overlay_on_its_own(path: Path) -> None:
    data = yaml.safe_load(path.read_text()) or {}
    errors = [e.message for e in VALIDATOR.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    "doc",
    [
        {"timezon": "UTC"},
        {"providers": {"aws": {"acounts": []}}},
        {"providers": {"aws": {"enabled": "yes please"}}},
        {"notifications": {"slack": {"token": {"secret": "x", "extra": 1}}}},
    ],
)
def test_schema_rejects(doc: dict[str, object]) -> None:
    assert not VALIDATOR.is_valid(doc)


def test_schema_accepts_references() -> None:
    doc = {"notifications": {"slack": {"enabled": {"env": "SLACK_ON", "default": True}, "token": {"secret": "slack"}}}}
    assert VALIDATOR.is_valid(doc)


@pytest.mark.parametrize("path", sorted((REPO / "overlays").rglob("*.yml")), ids=lambda p: str(p.relative_to(REPO)))
def test_default_project_modelines_name_the_committed_schema(path: Path) -> None:
    from tests.helpers import assert_modeline_schema_accepts

    assert_modeline_schema_accepts(path)
