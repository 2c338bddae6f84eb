"""Every rule's code is asserted somewhere in the tests (fixtures' expect.txt or a test module)."""

from __future__ import annotations

from pathlib import Path

from spinconf.checks import RULES, load_topics

TESTS = Path(__file__).resolve().parent


def test_every_rule_code_is_tested() -> None:
    load_topics()
    text = "\n".join(
        p.read_text(errors="ignore") for p in TESTS.rglob("*") if p.is_file() and p.suffix in (".py", ".txt")
    )
    this_file = Path(__file__).read_text()
    untested = sorted(code for code in RULES if code not in text.replace(this_file, ""))
    assert len(RULES) > 50
    assert untested == []
