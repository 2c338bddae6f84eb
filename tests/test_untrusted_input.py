"""Issue 13, points 5 and 6: no crash on any input, and scalars that are almost surely wrong are reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import make_project

runner = CliRunner()

K8S = """\
providers:
  kubernetes:
    enabled: true
    primaryAccount: prod
    accounts:
      - name: prod
        context: prod-ctx
"""


def _validate(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(root), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("0x_", "'0x_'"),
        ("0b_", "'0b_'"),
        ("-0x_", "'-0x_'"),
        ("7" * 5000, "'77777777777777777777... (5000 characters)'"),
    ],
)
@pytest.mark.parametrize("where", ["timezone: {v}\n", "profiles:\n  gate:\n    a: [{v}]\n", "x: &a {v}\ny: *a\n"])
def test_a_malformed_number_is_a_diagnostic_at_its_place(tmp_path: Path, text: str, shown: str, where: str) -> None:
    root = make_project(tmp_path / "p", {"overlays/a.yml": where.replace("{v}", text), "versions.txt": "2025.2.0\n"})
    code, output = _validate(root)
    assert code == 1, output
    assert "internal error" not in output
    line = 3 if where.startswith("profiles") else 1
    assert f"overlays/a.yml:{line}:" in output
    assert f"{shown} is not a number spinconf can read: quote it if it is text [yaml-number]" in output


def test_a_malformed_number_in_the_settings_file_is_a_diagnostic(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/a.yml": "timezone: UTC\n"}, settings="out: 0x_\n")
    code, output = _validate(root)
    assert code == 1 and "spinconf.yml:1:6: error: '0x_' is not a number" in output
