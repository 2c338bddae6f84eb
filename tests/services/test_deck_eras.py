"""deck's defaults at every era edge: the last release before a change of deck's settings.js and the first after.

The expected values are deck's own: its settings.js at each release branch (spinnaker/deck
release-1.x.x, then deck/ in spinnaker/spinnaker from release-2025.0.x), evaluated in node with an
empty build environment as the image's build does. `python tools/deck_defaults.py` re-evaluates every
branch against spinconf/data/deck/ (all 27 branches 1.20 to 2026.2 agree); the values below were
read from that evaluation, not from spinconf's data files, and are checked here on the settings.js
spinconf writes, run in node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import make_project, render_ok, run_settings_js

ABSENT = object()

# (last release before, first release after, dotted key, deck's value before, deck's value after)
EDGES: list[tuple[str, str, str, Any, Any]] = [
    # release-1.21.x dropped the changelog gist
    ("1.20.8", "1.21.0", "changelog.gistId", "32526cd608db3d811b38", ABSENT),
    ("1.23.7", "1.24.0", "banners", ABSENT, []),
    ("1.24.6", "1.25.0", "feature.ci", ABSENT, False),
    # release-1.27.x: settings.js moved to app/scripts/modules/app/src and debug went off by default
    ("1.26.7", "1.27.0", "debugEnabled", True, False),
    ("1.27.6", "1.28.0", "feature.html5Routing", ABSENT, False),
    ("1.28.10", "1.29.0", "providers.gce.feature.predictiveAutoscaling", ABSENT, True),
    ("1.29.7", "1.30.0", "providers.cloudrun.defaults.account", ABSENT, "my-cloudrun-account"),
    ("1.32.4", "1.33.0", "feature.multiBlockFailureMessages", ABSENT, False),
    ("1.35.5", "1.36.0", "maxFetchHistoryOnEvaluateVariables", ABSENT, 100),
    # release-2026.2.x removed BearyChat
    ("2026.1.2", "2026.2.0", "notifications.bearychat.enabled", True, ABSENT),
]

# triggerTypes membership: (before, after, trigger type, listed before, listed after)
TRIGGER_EDGES = [
    ("1.21.5", "1.22.0", "plugin", False, True),
    ("1.22.6", "1.23.0", "helm", False, True),
    ("2025.0.8", "2025.1.0", "helm/oci", False, True),
    ("2026.0.4", "2026.1.0", "wercker", True, False),
]


def _settings(tmp_path: Path, version: str) -> Any:
    root = make_project(tmp_path / version, {"overlays/main.yml": f"version: {version}\n"})
    _, rendered = render_ok(root)
    return run_settings_js(rendered.files["services/deck/settings.js"].decode())


def _at(doc: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return ABSENT
        doc = doc[part]
    return doc


@pytest.mark.parametrize(("before", "after", "key", "old", "new"), EDGES)
def test_deck_default_at_its_edge(before: str, after: str, key: str, old: Any, new: Any, tmp_path: Path) -> None:
    assert _at(_settings(tmp_path, before), key) == old
    assert _at(_settings(tmp_path, after), key) == new


@pytest.mark.parametrize(("before", "after", "kind", "old", "new"), TRIGGER_EDGES)
def test_trigger_types_at_their_edge(before: str, after: str, kind: str, old: bool, new: bool, tmp_path: Path) -> None:
    assert (kind in _settings(tmp_path, before)["triggerTypes"]) is old
    assert (kind in _settings(tmp_path, after)["triggerTypes"]) is new
