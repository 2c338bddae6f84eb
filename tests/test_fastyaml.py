"""The fast reader gives exactly what the full YAML reader gives (data, types and positions), or steps aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinconf.fastyaml import Unsupported, read
from spinconf.yamlio import DEFAULT_LIMITS, Document, YamlError, load, load_full
from spinconf.yamlwriter import dump
from tests.yaml_strategies import documents, keys

REPO = Path(__file__).resolve().parent.parent


def _same(a: Document, b: Document) -> None:
    assert a.data == b.data
    assert repr(a.data) == repr(b.data)  # same types too (1 vs 1.0 vs True)
    assert a.origin == b.origin

    def walk(x: Any, y: Any, path: tuple[Any, ...]) -> None:
        if isinstance(x, dict | list):
            assert a.positions.get(id(x)) == b.positions.get(id(y)), path
            items = x.items() if isinstance(x, dict) else enumerate(x)
            for k, v in items:
                walk(v, y[k], (*path, k))

    walk(a.data, b.data, ())


def compare(text: str) -> bool:
    """True when the fast reader took the text (and agreed); False when it stepped aside."""
    try:
        fast = read(text, "f.yml", DEFAULT_LIMITS)
    except Unsupported:
        return False
    try:
        full = load_full(text, "f.yml")
    except YamlError as exc:  # the fast reader must never accept what the full reader rejects
        raise AssertionError(f"fast reader accepted invalid YAML: {exc.message}") from None
    _same(fast, full)
    return True


def _repo_yaml() -> list[Path]:
    roots = ["tests/fixtures", "tests/conformance/kleat", "examples", "overlays", "spinconf/data"]
    return sorted(p for r in roots for p in (REPO / r).rglob("*.y*ml"))


def test_repository_yaml_agrees() -> None:
    taken = 0
    for path in _repo_yaml():
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        taken += compare(text)
    assert taken > 150  # most real files are in the fast subset (each one taken was compared)


# Plain block YAML: the fast reader must take each of these (and agree with the full reader).
FAST_SAMPLES = [
    "a: 1\nb:\n  - x\n  - y: 2\n    z: [1, two, 3.5]\n",
    "# c\na: 'it''s' # trailing\nb: \"quoted\"\nc: yes\nd: ~\ne: 0o17\ng: 2020-01-01\n",
    "a: x #not comment\nb: x#y\nc: http://h:80/p\n",
    "a:\n\n  b: 1\n\n# end\n",
    "'quoted key': 1\n\"dq\": 2\n5: five\ntrue: t\n",
    "a: {}\nb: []\nc: { }\nd: [ ]\n",
    "- a\n- b\n",
    "k: -1\nl: -.5\n",
    # fast-subset forms of the shapes below that step aside
    "a:\n- x\n- secret: s\n",
    "list:\n  - a: 1\n  - b\n",
    "a:\n  - nested\n",
    "a: block\n",
    "a: 1\nb: 1\n",
    "a: 'b: c'\n",
    "a: [1, 2]\n",
    "a: 'terminated'\n",
    "a: b\n",
    "a: x\nb: y\n",
]

# Outside the subset: the fast reader steps aside and the file is read by the full reader.
ASIDE_SAMPLES = [
    "a:\n- x\n- {secret: s}\n",  # a flow mapping as a list item
    "list:\n  -\n    a: 1\n  - \n  - b\n",  # an item on the next line, an empty item
    "a:\n  - - nested\n",
    "a: |\n  block\n",
    "a: &x 1\nb: *x\n",
    "a: 1\na: 2\n",  # duplicate key: the full reader reports it
    "a: b: c\n",
    "a:\n  b\n  c\n",  # a multi-line plain scalar
    "plain scalar\n",
    "a: [1, [2]]\n",
    "a: 'unterminated\n",
    "a:\tb\n",
    "a: x\n  b: y\n",
    # YAML 1.1 numbers that are almost surely text (an octal account id, base 60, 0x_): the full
    # reader keeps their spelling so the yaml-number-as-text warning can say to quote them
    "f: 017\n",
    "p: 0x_1F\n",
    "q: 190:20:30\n",
    "m: +.inf\nn: .NaN\no: 1_000\n",  # numbers whose spelling Python would not write back
]


@pytest.mark.parametrize("text", FAST_SAMPLES)
def test_plain_samples_take_the_fast_reader_and_agree(text: str) -> None:
    assert compare(text) is True


@pytest.mark.parametrize("text", ASIDE_SAMPLES)
def test_other_samples_step_aside_to_the_full_reader(text: str) -> None:
    assert compare(text) is False
    # what a user gets is the full reader's answer: the same data, or its error at the same place
    try:
        want: Any = load_full(text, "f.yml")
    except YamlError as exc:
        with pytest.raises(YamlError) as got:
            load(text.encode(), "f.yml")
        assert (got.value.message, got.value.line, got.value.column, got.value.code) == (
            exc.message,
            exc.line,
            exc.column,
            exc.code,
        )
        return
    _same(load(text.encode(), "f.yml"), want)


_PLAIN_KEYS = st.from_regex(r"[a-z][a-zA-Z0-9_-]{0,10}", fullmatch=True)
_PLAIN_SCALARS = st.from_regex(r"[a-z][a-z0-9.-]{0,12}", fullmatch=True) | st.integers() | st.booleans() | st.none()


def _plain_nesting(inner: Any) -> Any:
    mapping = st.dictionaries(_PLAIN_KEYS, inner, min_size=1, max_size=4)
    return mapping | st.lists(_PLAIN_SCALARS | mapping, min_size=1, max_size=4)


_PLAIN_DOCUMENTS = st.recursive(_PLAIN_SCALARS, _plain_nesting, max_leaves=20)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(_PLAIN_KEYS, _PLAIN_DOCUMENTS, min_size=1, max_size=5))
def test_plain_block_documents_always_take_the_fast_reader(data: dict[str, Any]) -> None:
    assert compare(dump(data)) is True


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, documents, min_size=1, max_size=5), st.sampled_from(["", "  # note", "\n# c"]))
def test_generated_documents_agree(data: dict[str, Any], comment: str) -> None:
    text = dump(data)
    lines = text.split("\n")
    # decorate: comments after some values and blank lines between entries
    decorated = "\n".join(
        ln + (comment if i % 3 == 1 and ln and not ln.endswith(":") else "") for i, ln in enumerate(lines)
    )
    compare(text)
    compare(decorated)
