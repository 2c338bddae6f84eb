"""deck conformance with kleat: settings.js executed in node, and deck's container environment.

kleat's Deck cases hold the ``window.spinnakerSettings`` object as YAML; its large
testdata holds the settings.js kleat wrote, which is executed in node too. Deviations
(secrets never reach deck, deck's real key names) are in kleat_deviations.yml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from spinconf.loader import load_project
from spinconf.render import context_of
from spinconf.services.deck import SETTINGS_JS, container_environment
from tests.conformance.test_kleat import CASES, TESTDATA, exempt, kleat_project
from tests.helpers import contains, render_ok, run_settings_js

DECK_CASES = sorted(p.name for p in CASES.iterdir() if p.name.startswith("TestHalToDeck__"))
ENV_CASES = sorted(p.name for p in CASES.iterdir() if p.name.startswith("TestHalToDeckEnv__"))


def _settings(root: Path) -> dict[str, object]:
    _, rendered = render_ok(root)
    got = run_settings_js(rendered.files[SETTINGS_JS].decode())
    assert isinstance(got, dict)
    return got


@pytest.mark.parametrize("case", DECK_CASES)
def test_deck_case(case: str, tmp_path: Path) -> None:
    want = yaml.safe_load((CASES / case / "want.yml").read_text()) or {}
    got = _settings(kleat_project(tmp_path, CASES / case / "halconfig.yml"))
    assert exempt("settings.js", contains(want, got)) == []


def test_deck_large_halconfig(tmp_path: Path) -> None:
    want = run_settings_js((TESTDATA / "out" / "settings.js").read_text())
    got = _settings(kleat_project(tmp_path, TESTDATA / "halconfig.yml"))
    assert exempt("settings.js", contains(want, got)) == []
    # what the deviations exempt: kleat's notification tokens are not in deck's file at all
    notifications = got["notifications"]
    assert isinstance(notifications, dict)
    assert all("token" not in v for v in notifications.values() if isinstance(v, dict))


@pytest.mark.parametrize("case", ENV_CASES)
def test_deck_env_case(case: str, tmp_path: Path) -> None:
    want = yaml.safe_load((CASES / case / "want.yml").read_text()) or {}
    project = load_project(kleat_project(tmp_path, CASES / case / "halconfig.yml"))
    assert project.valid
    got = container_environment(context_of(project))
    assert contains(want, got) == []
    assert got["DECK_PORT"] == "9000"
    assert ("DECK_CERT" in got) == bool(want)


def test_deck_env_large_halconfig(tmp_path: Path) -> None:
    lines = (TESTDATA / "out" / "deck.env").read_text().splitlines()
    want = dict(line.split("=", 1) for line in lines if line.strip())
    project = load_project(kleat_project(tmp_path, TESTDATA / "halconfig.yml"))
    assert contains(want, container_environment(context_of(project))) == []
