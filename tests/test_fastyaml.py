"""The fast reader gives exactly what the full YAML reader gives (data, types and positions), or steps aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinconf.fastyaml import Unsupported, read
from spinconf.yamlio import DEFAULT_LIMITS, Document, YamlError, load_full
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
    assert taken > 150  # most real files are in the fast subset


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb:\n  - x\n  - y: 2\n    z: [1, two, 3.5]\n",
        "a:\n- x\n- {secret: s}\n",
        "# c\na: 'it''s' # trailing\nb: \"quoted\"\nc: yes\nd: ~\ne: 0o17\nf: 017\ng: 2020-01-01\n",
        "a: x #not comment\nb: x#y\nc: http://h:80/p\n",
        "list:\n  -\n    a: 1\n  - \n  - b\n",
        "a:\n\n  b: 1\n\n# end\n",
        "'quoted key': 1\n\"dq\": 2\n5: five\ntrue: t\n",
        "a: {}\nb: []\nc: { }\nd: [ ]\n",
        "a:\n  - - nested\n",
        "a: |\n  block\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "a: b: c\n",
        "a:\n  b\n  c\n",
        "- a\n- b\n",
        "plain scalar\n",
        "a: [1, [2]]\n",
        "a: 'unterminated\n",
        "a:\tb\n",
        "a: x\n  b: y\n",
        "k: -1\nl: -.5\nm: +.inf\nn: .NaN\no: 1_000\np: 0x_1F\nq: 190:20:30\n",
    ],
)
def test_samples_agree_or_step_aside(text: str) -> None:
    compare(text)


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
