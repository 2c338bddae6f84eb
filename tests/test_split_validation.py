"""Section-by-section validation gives what validating the whole model gives: the same objects for
valid trees, the same errors (location and kind) for invalid ones."""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from spinconf.diagnostics import Diagnostics
from spinconf.merge import merge_layers
from spinconf.model.config import complete_config
from spinconf.model.validate import InvalidConfigError, validate_config
from spinconf.project import read_sources
from spinconf.refs import convert
from tests.test_properties import _mutate

REPO = Path(__file__).resolve().parent.parent
KLEAT = REPO / "tests" / "conformance" / "kleat"
PROJECTS = sorted(
    p.parent
    for p in REPO.rglob("overlays")
    if p.is_dir() and ".git" not in p.parts and "schemas" not in p.parts and "data" not in p.parts
)
HALCONFIGS = sorted(KLEAT.rglob("halconfig.yml"))


def _project_tree(root: Path) -> Any:
    diags = Diagnostics()
    sources = read_sources(root, None, diags)
    return merge_layers(sources.layers, diags).data


def _halconfig_tree(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _trees() -> list[tuple[str, Any]]:
    out = [(str(p.relative_to(REPO)), _project_tree(p)) for p in PROJECTS]
    out += [(str(p.relative_to(REPO)), _halconfig_tree(p)) for p in HALCONFIGS]
    return out


TREES = _trees()


def _both(data: Any) -> tuple[Any, Any]:
    """(whole-model result, split result): a model, or the set of (loc, error type)."""
    data = copy.deepcopy(data)
    if isinstance(data, (dict, list)):
        convert(data, lambda path, message: None)
    try:
        whole: Any = complete_config().model_validate(copy.deepcopy(data))
    except ValidationError as exc:
        whole = {(tuple(e["loc"]), e["type"]) for e in exc.errors()}
    try:
        split: Any = validate_config(data)
    except InvalidConfigError as exc:
        split = {(tuple(e["loc"]), e["type"]) for e in exc.errors}
    return whole, split


def _fields_set(model: Any) -> Any:
    """Which fields were given, all the way down (what ``dump`` and the services read)."""
    if isinstance(model, BaseModel):
        return (
            type(model).__name__,
            sorted(model.model_fields_set),
            {k: _fields_set(v) for k, v in model.__dict__.items()},
        )
    if isinstance(model, list):
        return [_fields_set(v) for v in model]
    if isinstance(model, dict):
        return {k: _fields_set(v) for k, v in model.items()}
    return model


def test_the_trees_cover_the_repository() -> None:
    assert len(PROJECTS) > 60 and len(HALCONFIGS) > 90


@pytest.mark.parametrize(("name", "tree"), TREES, ids=[n for n, _ in TREES])
def test_same_result_as_the_whole_model(name: str, tree: Any) -> None:
    whole, split = _both(tree)
    assert type(whole) is type(split), (whole, split)
    assert whole == split
    assert _fields_set(whole) == _fields_set(split)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(range(len(TREES))), st.randoms(use_true_random=False), st.integers(1, 3))
def test_same_errors_for_mutated_trees(index: int, rnd: random.Random, rounds: int) -> None:
    data = copy.deepcopy(TREES[index][1])
    for _ in range(rounds):
        data = _mutate(data, rnd)
    whole, split = _both(data)
    assert whole == split
    if isinstance(whole, BaseModel):
        assert _fields_set(whole) == _fields_set(split)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "text",
        {"providers": None},
        {1: 2, "version": "2025.2.0"},
        {True: 1},
        {"providers": {None: 1, 2.5: {}}},
        {"providers": 5},
        {"providers": {"kubernetes": {"accounts": 3}, "aws": {"enabled": "maybe"}, "awz": {}}},
        {"version": ["x"], "timezone": 3, "bogus": 1, "secrets": {"a": {"nope": 1}}},
        {"security": {"authn": {"oauth2": {"client": {"clientId": {"k": 1}}}}}, "services": {"gate": 1}},
    ],
)
def test_same_errors_for_malformed_sections(data: Any) -> None:
    whole, split = _both(data)
    assert whole == split


def test_a_project_builds_only_the_sections_it_uses() -> None:
    """Validating AWS alone imports no other provider's module and no other section's."""
    code = """
import sys
from spinconf.model.validate import validate_config
config = validate_config({"version": "2025.2.0", "providers": {"aws": {"enabled": True}}})
print(type(config.providers.aws).__pydantic_complete__)
print(" ".join(sorted(m for m in sys.modules if m.startswith("spinconf.model.hal."))))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    complete, modules = out.splitlines()
    assert complete == "True"
    assert modules.split() == [
        "spinconf.model.hal.common",
        "spinconf.model.hal.providers",
        "spinconf.model.hal.providers.aws",
    ]


def test_the_library_model_validates_whole_without_preparation() -> None:
    """``spinconf.Config.model_validate`` in a fresh process: the sections resolve on first use."""
    code = """
import spinconf
config = spinconf.Config.model_validate({"providers": {"kubernetes": {"enabled": True}}, "canary": {}})
print(type(config.providers.kubernetes).__name__, type(config.canary).__name__)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["Kubernetes", "Canary"]
