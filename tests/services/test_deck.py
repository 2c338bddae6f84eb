"""deck's settings.js: executed in node, compared exactly; secrets never reach it; settings-local.js checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinconf import js
from spinconf.loader import load_project
from spinconf.model.hal.fieldinfo import SECRET_FIELDS
from spinconf.refs import SecretRef
from spinconf.render import context_of, render_project
from spinconf.services.deck import SETTINGS_JS, SETTINGS_LOCAL_JS, container_environment
from tests.helpers import contains, make_project, render_ok, run_settings_js

DATA = Path(__file__).resolve().parents[2] / "spinconf" / "data" / "deck"

HOSTILE = [
    'it\'s "quoted" \\ back\\slash',
    "line\nbreak\r\nand\ttab",
    "\u2028line separator\u2029paragraph separator",
    "</script><script>alert(1)</script><!--",
    "${SPINCONF_SECRET_X} and ${env:default}",
    "{%gate.baseUrl%} {{context.region}}",
    "'); alert(1); ('",
    "\x00\x01\x1f\x7f control",
    "caf\u00e9 \u65e5\u672c \U0001f680",
    "",
]


def settings_of(rendered: Any) -> Any:
    return run_settings_js(rendered.files[SETTINGS_JS].decode("utf-8"))


def render_settings(tmp_path: Path, overlay: str, settings: str | None = None) -> Any:
    root = make_project(tmp_path / "project", {"overlays/main.yml": overlay}, settings)
    _, rendered = render_ok(root)
    return settings_of(rendered)


def test_hostile_strings_come_back_exactly(tmp_path: Path) -> None:
    # a ${...} value in deck.settings is an error (nothing resolves it in a browser): it stays as a key only
    values = [s for s in HOSTILE if "${" not in s]
    extra = {
        "hostile": values,
        "nested": {s: s.replace("${", "$ {") for s in HOSTILE if s},
        "__proto__": {"polluted": True},
    }
    overlay = yaml.safe_dump({"deck": {"settings": extra}}, allow_unicode=False)
    got = render_settings(tmp_path, overlay)
    assert got["hostile"] == values
    assert got["nested"] == {s: s.replace("${", "$ {") for s in HOSTILE if s}
    assert got["__proto__"] == {"polluted": True}  # an own property, not the object's prototype


def test_literal_is_ascii_and_never_a_json_string(tmp_path: Path) -> None:
    text = js.assignment("window.x", {"a": "</script>\u2028"})
    assert text.isascii()
    assert "</" not in text and "JSON.parse" not in text
    assert run_settings_js(js.assignment("window.spinnakerSettings", {"n": [1.5, -2, None, True]})) == {
        "n": [1.5, -2, None, True]
    }


def test_references_are_never_serialised() -> None:
    with pytest.raises(TypeError):
        js.literal({"token": SecretRef("slack")})


def test_config_values_then_deck_settings_last(tmp_path: Path) -> None:
    overlay = """
    version: 1.30.2
    timezone: Europe/Paris
    security:
      apiSecurity: {overrideBaseUrl: 'https://gate.example.com'}
      authn: {enabled: true}
    providers:
      aws:
        enabled: true
        accounts:
        - {name: prod, accountId: '123456789012', regions: [{name: eu-west-1}, {name: us-east-1}]}
      google:
        enabled: true
        primaryAccount: gce
        accounts: [{name: gce, project: p, regions: [europe-west1]}]
    notifications:
      slack: {enabled: true, botName: spinbot, token: {secret: slack}}
    secrets:
      slack: {ssm: 'arn:aws:ssm:eu-west-1:123456789012:parameter/slack'}
    deck:
      settings:
        feature: {dryRunEnabled: true}
        defaultTimeZone: UTC
        pollSchedule: 60000
    """
    got = render_settings(tmp_path, overlay)
    assert got["gateUrl"] == "https://gate.example.com"
    assert got["authEndpoint"] == "https://gate.example.com/auth/user"
    assert got["authEnabled"] is True
    assert got["version"] == "1.30.2"
    assert got["defaultTimeZone"] == "UTC"  # deck.settings wins over timezone
    assert got["pollSchedule"] == 60000
    # deck.settings merges into deck's feature block instead of replacing it
    assert got["feature"]["dryRunEnabled"] is True and got["feature"]["pipelines"] is True
    # no primaryAccount: Halyard's primary is the first account; region is its first region
    assert got["providers"]["aws"]["defaults"]["account"] == "prod"
    assert got["providers"]["aws"]["defaults"]["region"] == "eu-west-1"
    assert got["providers"]["aws"]["defaults"]["iamRole"] == "BaseIAMRole"  # deck's default kept
    gce = got["providers"]["gce"]["defaults"]
    assert (gce["account"], gce["region"]) == ("gce", "europe-west1")
    assert "zone" not in gce  # deck's us-central1-f is not in europe-west1
    assert got["notifications"]["slack"] == {"botName": "spinbot", "enabled": True}
    assert got["notifications"]["sms"]["enabled"] is False  # echo has no twilio


def test_deck_disabled_renders_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/main.yml": "services: {deck: {enabled: false}}\n"})
    _, rendered = render_ok(root)
    assert not any(path.startswith("services/deck/") for path in rendered.files)
    assert "deck" not in rendered.documents


def test_output_is_deterministic_with_header(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"overlays/main.yml": "version: 1.22.1\n"})
    first = render_ok(root)[1].files[SETTINGS_JS]
    assert first == render_ok(root)[1].files[SETTINGS_JS]
    assert first.startswith(b"// Generated by spinconf ")


def _eras() -> list[str]:
    return sorted((p.stem for p in DATA.glob("*.json")), key=lambda s: tuple(int(x) for x in s.split(".")))


# what the config always decides, whatever deck's default for it
DECIDED = ("authEnabled", "notifications.slack.enabled", "notifications.sms.enabled", "notifications.githubStatus")
DECIDED += ("feature.roscoMode",)


@pytest.mark.parametrize("era", _eras())
def test_release_defaults_are_shipped(era: str, tmp_path: Path) -> None:
    # The renderer ships its era's data file whole. That the data files are deck's own defaults is
    # checked elsewhere, against deck itself: tools/deck_defaults.py evaluates deck's settings.js of
    # every release branch in node, and tests/services/test_deck_eras.py holds deck's values at
    # every era edge.
    defaults = json.loads((DATA / f"{era}.json").read_text())["settings"]
    got = render_settings(tmp_path, f"version: {era}.0\n")
    problems = [p for p in contains(defaults, got) if not any(p.startswith(k) for k in DECIDED)]
    assert problems == []
    assert got["version"] == f"{era}.0"


def test_release_eras_differ_where_deck_did(tmp_path: Path) -> None:
    assert "changelog" in render_settings(tmp_path / "a", "version: 1.20.3\n")
    assert render_settings(tmp_path / "b", "version: 1.34.1\n")["notifications"]["cdevents"] == {"enabled": True}
    newest = render_settings(tmp_path / "c", "version: 2026.2.0\n")
    assert "bearychat" not in newest["notifications"] and "cdevents" in newest["notifications"]


# ------------------------------------------------------------------------------- secrets


def _tree_for(fields: list[str], value_of: Any) -> dict[str, Any]:
    """An overlay with every field set: `*` becomes a one-item list of a named mapping."""
    root: dict[str, Any] = {}
    for n, field in enumerate(sorted(fields)):
        node: Any = root
        parts = field.split(".")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "*":
                continue
            nxt_is_list = not last and parts[i + 1] == "*"
            if last:
                node[part] = value_of(n)
            elif nxt_is_list:
                items = node.setdefault(part, [{"name": f"item-{part}"}])
                node = items[0]
            else:
                node = node.setdefault(part, {})
    return root


def _no_secret_in_deck(rendered: Any, needles: list[str]) -> None:
    deck_files = {p: d.decode("utf-8") for p, d in rendered.files.items() if p.startswith("services/deck/")}
    assert SETTINGS_JS in deck_files
    for path, text in deck_files.items():
        for needle in needles:
            assert needle not in text, f"{needle!r} in {path}"
        assert "${" not in text.replace("${{", "")


def test_secret_references_never_reach_deck(tmp_path: Path) -> None:
    fields = sorted(SECRET_FIELDS)
    overlay = _tree_for(fields, lambda n: {"secret": f"s{n}"})
    secrets = {
        f"s{n}": {"ssm": f"arn:aws:ssm:eu-west-1:123456789012:parameter/deck-test-{n}"} for n in range(len(fields))
    }
    overlay["secrets"] = secrets
    overlay["security"]["uiSecurity"]["ssl"]["enabled"] = True
    root = make_project(tmp_path / "p", {"overlays/all.yml": yaml.safe_dump(overlay)}, "plaintextSecrets: warn\n")
    project = load_project(root)
    assert project.config is not None, [d.text() for d in project.diagnostics]
    rendered = render_project(project)
    needles = ["arn:aws:", "SPINCONF_SECRET_", "deck-test-"]
    _no_secret_in_deck(rendered, needles)
    # the deck container gets the TLS passphrase as a reference for the target, never as text
    env = container_environment(context_of(project))
    assert isinstance(env["PASSPHRASE"], SecretRef)


def test_plain_text_secrets_never_reach_deck(tmp_path: Path) -> None:
    fields = sorted(SECRET_FIELDS)
    overlay = _tree_for(fields, lambda n: f"plain-secret-{n:03d}")
    root = make_project(tmp_path / "p", {"overlays/all.yml": yaml.safe_dump(overlay)}, "plaintextSecrets: warn\n")
    project = load_project(root)
    assert project.config is not None, [d.text() for d in project.diagnostics]
    rendered = render_project(project)
    _no_secret_in_deck(rendered, ["plain-secret-"])


def _codes(project: Any) -> list[tuple[str, int, str]]:
    return [(d.file, d.line, d.code) for d in project.diagnostics.sorted()]


def test_reference_in_deck_settings_is_an_error_at_its_line(tmp_path: Path) -> None:
    overlay = (
        "deck:\n  settings:\n    a: {secret: s}\n    b:\n      c: {env: HOME}\n"
        "secrets:\n  s: {ssm: 'arn:aws:ssm:eu-west-1:123456789012:parameter/s'}\n"
    )
    project = load_project(make_project(tmp_path / "p", {"overlays/deck.yml": overlay}))
    codes = _codes(project)
    assert ("overlays/deck.yml", 3, "deck-settings-reference") in codes
    assert ("overlays/deck.yml", 5, "deck-settings-reference") in codes
    assert not project.valid
    assert all("arn:aws" not in d.message for d in project.diagnostics)


def test_reference_in_a_deck_bound_value_is_dropped_with_a_warning(tmp_path: Path) -> None:
    overlay = """
    version: 1.30.0
    providers:
      aws:
        enabled: true
        primaryAccount: {env: PRIMARY_ACCOUNT}
        accounts: [{name: prod, accountId: '123456789012', regions: [{name: eu-west-1}]}]
    """
    project, rendered = render_ok(make_project(tmp_path / "p", {"overlays/main.yml": overlay}))
    assert ("overlays/main.yml", 6, "deck-reference-dropped") in _codes(project)
    got = settings_of(rendered)["providers"]["aws"]["defaults"]
    assert got["account"] == "test"  # deck's own default: the browser cannot resolve the reference
    assert "PRIMARY_ACCOUNT" not in json.dumps(got)


LEAKS = [
    "notifications:\n  slack:\n    enabled: true\n    token: xoxb-leaked-token\n",
    "services:\n  orca:\n    sql:\n      jdbcUrl: jdbc:mysql://db:3306/orca\n      password: xoxb-leaked-token\n",
]


@pytest.mark.parametrize("leak", LEAKS)
def test_plain_secret_copied_into_deck_settings_is_an_error(leak: str, tmp_path: Path) -> None:
    overlay = leak + "deck:\n  settings: {slackToken: xoxb-leaked-token}\n"
    project = load_project(make_project(tmp_path / "p", {"overlays/main.yml": overlay}, "plaintextSecrets: warn\n"))
    render_project(project)
    found = [d for d in project.diagnostics if d.code == "deck-secret-value"]
    assert [(d.file, d.line) for d in found] == [("overlays/main.yml", leak.count("\n"))]
    assert "xoxb" not in found[0].message


# ------------------------------------------------------------------------------- settings-local.js


def test_settings_local_file_is_shipped(tmp_path: Path) -> None:
    local = "window.spinnakerSettings.feature.kustomizeEnabled = true;\n"
    root = make_project(
        tmp_path / "p",
        {"overlays/deck.yml": "deck: {settingsLocalFile: deck/settings-local.js}\n", "deck/settings-local.js": local},
    )
    _, rendered = render_ok(root)
    shipped = rendered.files[SETTINGS_LOCAL_JS].decode()
    assert shipped.startswith("// Generated by spinconf") and shipped.endswith(local)
    both = rendered.files[SETTINGS_JS].decode() + shipped
    assert run_settings_js(both)["feature"]["kustomizeEnabled"] is True


def test_settings_local_syntax_error_at_its_line(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        {
            "overlays/deck.yml": "deck: {settingsLocalFile: deck/settings-local.js}\n",
            "deck/settings-local.js": "// ok\nwindow.spinnakerSettings.a = 1;\nwindow.spinnakerSettings.b = ;\n",
        },
    )
    project = load_project(root)
    assert ("deck/settings-local.js", 3, "deck-settings-local-syntax") in _codes(project)
    assert not project.valid


def test_settings_local_missing_is_an_error_at_the_key(tmp_path: Path) -> None:
    overlay = "version: 1.30.0\ndeck:\n  settingsLocalFile: deck/nope.js\n"
    project = load_project(make_project(tmp_path / "p", {"overlays/deck.yml": overlay}))
    assert ("overlays/deck.yml", 3, "deck-settings-local-missing") in _codes(project)


def test_settings_local_unchecked_without_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(js, "node_available", lambda: False)
    root = make_project(
        tmp_path / "p",
        {"overlays/deck.yml": "deck: {settingsLocalFile: local.js}\n", "local.js": "this is not javascript\n"},
    )
    project = load_project(root)
    found = [d for d in project.diagnostics if d.code == "deck-settings-local-unchecked"]
    assert len(found) == 1 and not found[0].is_error and "node" in found[0].message
    assert project.valid


# ------------------------------------------------------------------------------- container


def test_container_environment(tmp_path: Path) -> None:
    overlay = """
    services: {gate: {baseUrl: 'http://gate.internal:8084'}, deck: {port: 9100}}
    security:
      uiSecurity:
        ssl: {enabled: true, sslCertificateFile: /c.crt, sslCertificateKeyFile: /c.key}
    """
    project = load_project(make_project(tmp_path / "p", {"overlays/main.yml": overlay}))
    env = container_environment(context_of(project))
    assert env == {
        "API_HOST": "http://gate.internal:8084",
        "DECK_HOST": "0.0.0.0",
        "DECK_PORT": "9100",
        "DECK_CERT": "/c.crt",
        "DECK_KEY": "/c.key",
    }


# ------------------------------------------------------------------------------- as the user runs it


def test_validate_exit_code_and_line_for_a_secret_in_deck_settings(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spinconf.cli import app

    overlay = (
        "deck:\n  settings:\n    token: {secret: s}\n"
        "secrets:\n  s: {ssm: 'arn:aws:ssm:eu-west-1:123456789012:parameter/s'}\n"
    )
    root = make_project(tmp_path / "p", {"overlays/deck.yml": overlay})
    result = CliRunner().invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    assert "overlays/deck.yml:3:" in result.output and "[deck-settings-reference]" in result.output
    assert "arn:aws" not in result.output


def test_render_writes_settings_js_and_explain_reads_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spinconf.cli import app

    overlay = "version: 1.30.0\ndeck:\n  settings:\n    pollSchedule: 45000\n"
    root = make_project(tmp_path / "p", {"overlays/deck.yml": overlay})
    runner = CliRunner()
    assert runner.invoke(app, ["render", str(root)]).exit_code == 0
    written = (root / "out" / "services" / "deck" / "settings.js").read_text()
    assert run_settings_js(written)["pollSchedule"] == 45000
    explained = runner.invoke(app, ["explain", "deck", "pollSchedule", str(root)])
    assert explained.exit_code == 0
    assert "45000" in explained.output and "overlays/deck.yml:4" in explained.output


@pytest.mark.parametrize("breaker", ["\n", "\r", "\u2028", "\u2029"])
def test_a_line_break_in_the_version_stays_in_the_comment(breaker: str, tmp_path: Path) -> None:
    version = f"x{breaker}window.injected = 1; //"
    root = make_project(tmp_path / "p", {"overlays/main.yml": yaml.safe_dump({"version": version})})
    _, rendered = render_ok(root)
    source = rendered.files[SETTINGS_JS].decode("utf-8")
    probe = source + "\nwindow.spinnakerSettings = {injected: window.injected === undefined ? 'no' : 'yes'};\n"
    assert run_settings_js(probe) == {"injected": "no"}
    assert settings_of(rendered)["version"] == version
