"""deck registers the canary analysis stage when canary is on (Halyard's deck template did)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import make_project, render_ok, run_settings_js

SETTINGS_JS = "services/deck/settings.js"


def _canary(tmp_path: Path, body: str) -> Any:
    root = make_project(tmp_path, {"overlays/canary.yml": "canary:\n" + body})
    _, rendered = render_ok(root)
    return run_settings_js(rendered.files[SETTINGS_JS].decode("utf-8"))["canary"]


def test_canary_on_registers_its_stages_and_redux_logger_by_default(tmp_path: Path) -> None:
    canary = _canary(tmp_path, "  enabled: true\n")
    assert canary["featureDisabled"] is False
    assert canary["stagesEnabled"] is True
    assert canary["reduxLogger"] is True


def test_the_users_values_are_written(tmp_path: Path) -> None:
    canary = _canary(
        tmp_path,
        "  enabled: true\n  stagesEnabled: false\n  reduxLoggerEnabled: false\n"
        "  atlasWebComponentsUrl: https://atlas.example.com/wc\n",
    )
    assert canary["stagesEnabled"] is False
    assert canary["reduxLogger"] is False
    assert canary["atlasWebComponentsUrl"] == "https://atlas.example.com/wc"


def test_canary_off_leaves_the_stages_off(tmp_path: Path) -> None:
    canary = _canary(tmp_path, "  enabled: false\n  stagesEnabled: true\n")
    assert canary["featureDisabled"] is True
    assert canary.get("stagesEnabled") is not True
