"""Every rule's code is asserted somewhere in the tests: in a fixture's expect.txt, or in a string of a test module.

A code that appears only in a comment (or a docstring-free mention such as a variable name) is not a test of it.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from spinconf.checks import RULES, load_topics

TESTS = Path(__file__).resolve().parent
_EXPECT_LINE = re.compile(r"^\S+:\d+(?::\d+)?: ([a-z0-9-]+)\b")


def strings_of(source: str) -> str:
    """The text of every string literal (f-strings included) in Python ``source``; comments are left out."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            out.append(tok.string)
    return "\n".join(out)


def expected_codes(text: str) -> set[str]:
    """The codes an expect.txt lists (``file:line: code`` per line)."""
    return {m.group(1) for line in text.splitlines() if (m := _EXPECT_LINE.match(line.strip()))}


def codes_in_tests() -> tuple[set[str], str]:
    expect: set[str] = set()
    for path in TESTS.rglob("expect.txt"):
        expect |= expected_codes(path.read_text(errors="ignore"))
    this = Path(__file__).resolve()
    strings = "\n".join(strings_of(p.read_text(errors="ignore")) for p in TESTS.rglob("*.py") if p.resolve() != this)
    return expect, strings


def test_every_rule_code_is_tested() -> None:
    load_topics()
    expect, strings = codes_in_tests()
    in_strings = {code for code in RULES if re.search(rf"\b{re.escape(code)}\b", strings)}
    untested = sorted(set(RULES) - expect - in_strings)
    assert len(RULES) > 50
    assert untested == []


def test_a_code_in_a_comment_or_a_name_does_not_count() -> None:
    source = "# merge-conflict is checked elsewhere\nmerge_conflict = 1\n"
    source += "x = 'yaml-syntax'\ny = f'{x} plaintext-secret'\n"
    strings = strings_of(source)
    assert "merge-conflict" not in strings
    assert "yaml-syntax" in strings and "plaintext-secret" in strings
    assert expected_codes("overlays/b.yml:2: merge-conflict\n# yaml-syntax\n") == {"merge-conflict"}
