"""Every rule has a failing and a passing fixture project; diagnostics land at the expected file:line.

tests/fixtures/checks/invalid/<code>/expect.txt lists the `file:line: code` lines the rule reports;
tests/fixtures/checks/valid/<code>/ is a project the rule accepts (and that has no errors at all).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from spinconf.checks import RULES, Rule
from spinconf.render import render_project
from tests.helpers import load

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "checks"
TOPICS = (
    "accounts",
    "references",
    "docker",
    "kubernetes",
    "aws",
    "security",
    "gate",
    "storage",
    "general",
    "services",
    "scaling",
    "stores",
)


def topic_rules() -> list[Rule]:
    rules = []
    for topic in TOPICS:
        module = importlib.import_module(f"spinconf.checks.{topic}")
        rules.extend(v for v in vars(module).values() if isinstance(v, Rule))
    return rules


def cases(kind: str) -> list[str]:
    return sorted(p.name for p in (FIXTURES / kind).iterdir() if p.is_dir())


def reported(root: Path, code: str) -> list[str]:
    project = load(root)
    return [f"{d.file}:{d.line}: {d.code}" for d in project.diagnostics.sorted() if d.code == code]


@pytest.mark.parametrize("code", cases("invalid"))
def test_invalid_fixture_reports_expected_lines(code: str) -> None:
    root = FIXTURES / "invalid" / code
    want = (root / "expect.txt").read_text().splitlines()
    assert want, f"{code}: an invalid fixture must expect at least one diagnostic"
    project = load(root)
    got = [f"{d.file}:{d.line}: {d.code}" for d in project.diagnostics.sorted() if d.code == code]
    assert got == want
    severities = {d.severity for d in project.diagnostics.sorted() if d.code == code}
    assert severities == {RULES[code].severity}


@pytest.mark.parametrize("code", cases("valid"))
def test_valid_fixture_is_accepted(code: str) -> None:
    root = FIXTURES / "valid" / code
    assert (root / "expect.txt").read_text().strip() == ""
    project = load(root)
    assert [d.text() for d in project.diagnostics.sorted() if d.code == code] == []
    assert [d.text() for d in project.diagnostics.sorted() if d.is_error] == []
    # accepted means rendered: the services' files come out and the render checks agree
    rendered = render_project(project)
    assert any(path.startswith("services/") for path in rendered.files)
    assert [d.text() for d in project.diagnostics.sorted() if d.code == code or d.is_error] == []


def test_every_rule_has_both_fixtures() -> None:
    codes = {r.code for r in topic_rules()}
    assert codes, "no rules found"
    assert codes - set(cases("invalid")) == set(), "rules without a failing fixture"
    assert codes - set(cases("valid")) == set(), "rules without a passing fixture"
    assert set(cases("invalid")) - codes == set(), "fixtures for rules that do not exist"


def test_every_rule_says_where_it_applies() -> None:
    for r in topic_rules():
        assert r.applies_to, f"{r.code} has no applies_to"
        assert r.summary and not r.summary.endswith(".")
