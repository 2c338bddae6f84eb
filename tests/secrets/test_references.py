"""{secret: NAME} and {env: NAME}: declared, used, and only where something resolves them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import make_project, service_doc
from tests.secrets.util import ECS_BASE, found, messages, run

DECLARED = """\
secrets:
  slack-token:
    ssm: /spinnaker/slack-token
"""


def test_undeclared_secret_with_did_you_mean(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/secrets.yml": DECLARED,
            "overlays/notify.yml": "notifications:\n  slack:\n    enabled: true\n    token: {secret: slack-tokn}\n",
        },
    )
    p, _ = run(root)
    assert found(p, "secret-undeclared") == [("overlays/notify.yml", 4, "error")]
    assert "did you mean 'slack-token'?" in messages(p, "secret-undeclared")[0]
    # the declared secret is then unused
    assert found(p, "secret-unused") == [("overlays/secrets.yml", 2, "warning")]


def test_declared_and_used(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/secrets.yml": DECLARED,
            "overlays/notify.yml": "notifications:\n  slack:\n    enabled: true\n    token: {secret: slack-token}\n",
        },
    )
    p, rendered = run(root)
    assert found(p, "secret-undeclared") == [] and found(p, "secret-unused") == []
    # and the reference reached echo: a placeholder for the secret's variable, the secret in its uses
    assert rendered is not None
    assert service_doc(rendered, "echo")["slack"]["token"] == "${SPINCONF_SECRET_SLACK_TOKEN}"
    assert rendered.uses["echo"].secrets == {"slack-token"}


def test_secret_in_deck_settings(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/secrets.yml": DECLARED,
            "overlays/deck.yml": "deck:\n  settings:\n    slack: {secret: slack-token}\n",
        },
    )
    p, _ = run(root)
    # one diagnostic for the place, from deck's own rule
    assert found(p, "deck-settings-reference") == [("overlays/deck.yml", 3, "error")]


@pytest.mark.parametrize(
    ("ref", "ok"),
    [("{env: DB_HOST}", True), ("{env: db-host}", False), ("{env: DB_HOST, default: 'a}b'}", False)],
)
def test_env_reference_names(tmp_path: Path, ref: str, ok: bool) -> None:
    p, _ = run(make_project(tmp_path, {"overlays/p.yml": f"profiles:\n  orca:\n    host: {ref}\n"}))
    assert found(p, "env-ref-name") == ([] if ok else [("overlays/p.yml", 3, "error")])


@pytest.mark.parametrize(
    "overlay",
    [
        "ecs:\n  region: eu-west-1\n  environment:\n    FEATURE: {env: FEATURE}\n",
        "services:\n  orca:\n    ecs:\n      environment:\n        FEATURE: {env: FEATURE, default: x}\n",
    ],
)
def test_env_reference_where_nothing_resolves_it(tmp_path: Path, overlay: str) -> None:
    p, _ = run(make_project(tmp_path, {"overlays/x.yml": overlay}))
    line = overlay.count("\n")
    assert found(p, "env-ref-unresolved") == [("overlays/x.yml", line, "error")]


def test_env_reference_in_deck_settings_is_reported_once(tmp_path: Path) -> None:
    p, _ = run(make_project(tmp_path, {"overlays/x.yml": "deck:\n  settings:\n    feature: {env: FEATURE}\n"}))
    at_line = [d for d in p.diagnostics.sorted() if d.line == 3]
    assert [(d.code, d.severity.value) for d in at_line] == [("deck-settings-reference", "error")]


def test_env_reference_off_ecs_is_a_warning(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"overlays/p.yml": "profiles:\n  orca:\n    a: {env: DB_HOST}\n    b: {env: DB_PORT, default: 3306}\n"},
    )
    p, rendered = run(root)
    assert found(p, "env-ref-runtime") == [("overlays/p.yml", 3, "warning")]
    assert found(p, "env-ref-missing") == []
    assert rendered is not None  # both become placeholders, the default kept
    assert service_doc(rendered, "orca") == {"a": "${DB_HOST}", "b": "${DB_PORT:3306}"}


ECS_USES = "profiles:\n  clouddriver:\n    db:\n      host: {env: DB_HOST}\n      port: {env: DB_PORT, default: 3306}\n"


@pytest.mark.parametrize(
    ("environment", "missing"),
    [
        ("", ["clouddriver"]),
        ("services:\n  orca:\n    ecs:\n      environment: {DB_HOST: db.internal}\n", ["clouddriver"]),
        ("services:\n  clouddriver:\n    ecs:\n      environment: {DB_HOST: db.internal}\n", []),
        ("ecs:\n  environment: {DB_HOST: db.internal}\n", []),
    ],
)
def test_env_reference_on_ecs_needs_a_value(tmp_path: Path, environment: str, missing: list[str]) -> None:
    root = make_project(
        tmp_path, {"overlays/base.yml": ECS_BASE, "overlays/p.yml": ECS_USES, "overlays/z.yml": environment}
    )
    p, rendered = run(root)
    assert found(p, "env-ref-missing") == ([("overlays/p.yml", 4, "error")] if missing else [])
    if missing:
        assert "DB_HOST" in messages(p, "env-ref-missing")[0] and "clouddriver" in messages(p, "env-ref-missing")[0]
    assert found(p, "env-ref-runtime") == []
    if not missing:
        # clouddriver's container gets the value and its profile reads it
        assert rendered is not None
        taskdef = json.loads(rendered.files["ecs/clouddriver.taskdef.json"])
        env = {e["name"]: e["value"] for e in taskdef["containerDefinitions"][0].get("environment", [])}
        assert env["DB_HOST"] == "db.internal"
        assert service_doc(rendered, "clouddriver")["db"]["host"] == "${DB_HOST}"


def test_env_reference_in_shared_file_needs_every_service(tmp_path: Path) -> None:
    shared = "profiles:\n  spinnaker:\n    region: {env: REGION_NAME}\n"
    env = "services:\n  orca:\n    ecs:\n      environment: {REGION_NAME: eu-west-1}\n"
    root = make_project(tmp_path, {"overlays/base.yml": ECS_BASE, "overlays/p.yml": shared, "overlays/z.yml": env})
    p, _ = run(root)
    assert found(p, "env-ref-missing") == [("overlays/p.yml", 3, "error")]
    message = messages(p, "env-ref-missing")[0]
    assert "clouddriver" in message and "orca" not in message


def test_dollar_brace_in_a_plain_spring_value(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "overlays/p.yml": "profiles:\n  orca:\n    note: 'costs ${PRICE}'\n    fine: 'costs $5'\n",
            "overlays/deck.yml": "deck:\n  settings:\n    note: 'costs ${PRICE}'\n",
        },
    )
    p, _ = run(root)
    assert found(p, "spring-placeholder") == [("overlays/p.yml", 3, "warning")]
