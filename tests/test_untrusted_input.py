"""Issue 13, points 5 and 6: no crash on any input, and scalars that are almost surely wrong are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from tests.helpers import KUBERNETES, make_project, service_doc

runner = CliRunner()


def _validate(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(root), *args])
    # --format json is stdout alone (the closing summary goes to stderr); text diagnostics are on stderr
    return result.exit_code, result.stdout if "--format" in args else result.output


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


def _gate(port: str, extra: str = "") -> dict[str, str]:
    return {
        "overlays/a.yml": KUBERNETES + f"services:\n  gate:\n    port: {port}\n{extra}",
        "versions.txt": "2025.2.0\n",
    }


@pytest.mark.parametrize(
    ("port", "expected"),
    [
        ("99999999999999999999", "expected a whole number from 1 to 65535, got 99999999999999999999"),
        ("0", "expected a whole number from 1 to 65535, got 0"),
        ("65536", "expected a whole number from 1 to 65535, got 65536"),
        ("on", "expected a whole number (YAML reads on/off/yes/no as true/false), got true"),
        ("true", "expected a whole number (YAML reads on/off/yes/no as true/false), got true"),
        ("8084.0", "expected a whole number, got 8084.0"),
        ("8084.5", "expected a whole number, got 8084.5"),
    ],
)
def test_a_port_is_a_whole_number_in_range(tmp_path: Path, port: str, expected: str) -> None:
    root = make_project(tmp_path / "p", _gate(port))
    code, output = _validate(root)
    assert code == 1, output
    assert f"overlays/a.yml:10:5: error: services.gate.port: {expected} [wrong-type]" in output
    render = runner.invoke(app, ["render", str(root)])
    assert render.exit_code == 1 and not (root / "out").exists()


def test_a_port_in_range_renders(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", _gate('"8085"'))
    assert _validate(root)[0] == 0
    from tests.helpers import render_ok

    _, rendered = render_ok(root)
    assert service_doc(rendered, "gate")["server"]["port"] == 8085


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("desiredCount", "-1", "from 0 to 2147483647, got -1"),
        ("cpu", "1024.5", "a whole number, got 1024.5"),
        ("memory", "yes", "a whole number (YAML reads on/off/yes/no as true/false), got true"),
    ],
)
def test_counts_are_whole_numbers_in_range(tmp_path: Path, field: str, value: str, expected: str) -> None:
    root = make_project(tmp_path / "p", _gate("8084", f"    ecs:\n      {field}: {value}\n"))
    code, output = _validate(root)
    assert code == 1, output
    assert f"overlays/a.yml:12:7: error: services.gate.ecs.{field}: expected " in output and expected in output


AWS = """\
providers:
  aws:
    enabled: true
    primaryAccount: prod
    accounts:
      - name: prod
        accountId: {account}
        assumeRole: role/spinnaker
        regions: [{{name: us-east-1}}]
timezone: {tz}
profiles:
  gate:
    octal: 0777
"""


def test_a_yaml_1_1_reading_where_text_is_wanted_says_to_quote_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/a.yml": AWS.format(account="012345670123", tz="1:20")})
    _code, output = _validate(root, "--format", "json")
    found = [d for d in json.loads(output)["diagnostics"] if d["code"] == "yaml-number-as-text"]
    assert [(d["line"], d["severity"]) for d in found] == [(7, "warning"), (10, "warning")]
    assert "012345670123 is read as an octal number (YAML 1.1) and becomes the text '1402433619'" in found[0]["message"]
    assert "quote it ('012345670123')" in found[0]["message"]
    assert "1:20 is read as a base-60 number (YAML 1.1) and becomes the text '80'" in found[1]["message"]


def test_quoted_or_decimal_values_are_not_reported(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/a.yml": AWS.format(account="'012345670123'", tz="'1:20'")})
    assert "yaml-number-as-text" not in _validate(root)[1]
    root = make_project(tmp_path / "q", {"overlays/a.yml": AWS.format(account="123456789012", tz="UTC")})
    assert "yaml-number-as-text" not in _validate(root)[1]


@pytest.mark.parametrize(("field", "value"), [("desiredCount", "-2"), ("healthCheckGracePeriodSeconds", "true")])
def test_ecs_counts_are_whole_numbers_in_range(tmp_path: Path, field: str, value: str) -> None:
    root = make_project(tmp_path / "p", {"overlays/a.yml": KUBERNETES + f"ecs:\n  {field}: {value}\n"})
    code, output = _validate(root)
    assert code == 1, output
    assert f"overlays/a.yml:9:3: error: ecs.{field}: expected a whole number" in output
