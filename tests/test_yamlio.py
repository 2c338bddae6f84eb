"""Loading with positions and limits; dumping that any YAML 1.1 reader (Spring's SnakeYAML) reads back exactly."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from spinconf.yamlio import DEFAULT_LIMITS, Limits, Origin, YamlError, load
from spinconf.yamlwriter import dump
from tests.yaml_strategies import documents, keys


def test_positions_of_keys_and_items() -> None:
    doc = load(b"a:\n  b: 1\n  c:\n    - x\n    - name: y\n", "f.yml")
    assert doc.positions[id(doc.data)]["a"] == Origin("f.yml", 1, 1)
    inner = doc.data["a"]
    assert doc.positions[id(inner)]["c"] == Origin("f.yml", 3, 3)
    assert doc.positions[id(inner["c"])][1] == Origin("f.yml", 5, 7)


def test_merge_keys_and_explicit_keys_win() -> None:
    doc = load(b"base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n", "f.yml")
    assert doc.data["use"] == {"y": 3, "x": 1}


def test_aliases_are_copies_not_shared() -> None:
    doc = load(b"a: &a {x: 1}\nb: *a\n", "f.yml")
    assert doc.data["a"] == doc.data["b"] and doc.data["a"] is not doc.data["b"]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (b"a: 1\na: 2\n", "yaml-duplicate-key", 2),
        (b"a: [1\n", "yaml-syntax", 2),
        (b"a: !!binary aGk=\n", "yaml-tag", 1),
        (b"a: 1\n---\nb: 2\n", "yaml-syntax", 2),
        (b"a: \xff\n", "yaml-encoding", 1),
        (b"a: \x00\n", "yaml-encoding", 1),
    ],
)
def test_bad_input(text: bytes, code: str, line: int) -> None:
    with pytest.raises(YamlError) as info:
        load(text, "f.yml")
    assert (info.value.code, info.value.line) == (code, line)


def test_file_size_limit() -> None:
    with pytest.raises(YamlError) as info:
        load(b"a: " + b"x" * 100 + b"\n", "f.yml", Limits(max_file_bytes=50))
    assert info.value.code == "yaml-limit"


@pytest.mark.parametrize(
    "text",
    [
        b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",  # past every YAML library's own limit (PyYAML 6.0.4: 1,000)
        b"a: " + b"[" * 100 + b"]" * 100 + b"\n",  # past spinconf's only
        b"".join(b" " * i + b"k:\n" for i in range(1500)) + b" " * 1500 + b"v\n",  # block nesting
    ],
    ids=["flow-5000", "flow-100", "block-1500"],
)
def test_deep_nesting_is_spinconfs_limit_whatever_the_library(text: bytes) -> None:
    # spinconf's limit answers, with its own message and the place of the first level past it,
    # whichever PyYAML is installed (6.0.4's scanner has a limit of its own at 1,000 levels)
    with pytest.raises(YamlError) as info:
        load(text, "f.yml")
    assert (info.value.code, info.value.message) == (
        "yaml-limit",
        f"nesting deeper than {DEFAULT_LIMITS.max_depth} levels",
    )
    assert (info.value.line, info.value.column) == ((1, 68) if text.startswith(b"a:") else (65, 65))


def test_yaml_11_scalars_are_typed_as_spring_reads_them() -> None:
    doc = load(b"a: yes\nb: 017\nc: 0x1F\nd: 1_000\ne: .inf\nf: 2020-01-01\ng: ~\n", "f.yml")
    assert doc.data == {"a": True, "b": 15, "c": 31, "d": 1000, "e": math.inf, "f": "2020-01-01", "g": None}


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, documents, max_size=5))
def test_dump_reads_back_exactly(data: dict[str, Any]) -> None:
    text = dump(data)
    assert yaml.safe_load(text) == (data or None) or (data == {} and yaml.safe_load(text) == {})
    assert dump(data) == text


def test_dict_and_list_subclasses_are_written_as_collections() -> None:
    from collections import OrderedDict, defaultdict

    doc = OrderedDict(a=defaultdict(list, {"x": [OrderedDict(b=1)]}), c=[1])
    assert yaml.safe_load(dump(doc)) == {"a": {"x": [{"b": 1}]}, "c": [1]}
