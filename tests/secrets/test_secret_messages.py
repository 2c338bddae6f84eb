"""What an operator reads for plain-text secrets and placeholders: the whole message, its key and its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinconf.diagnostics import Diagnostic
from tests.helpers import make_project, service_doc
from tests.secrets.util import ECS_BASE, found, run

SQL = "services:\n  orca:\n    sql:\n      jdbcUrl: jdbc:mysql://db:3306/orca\n      user: orca\n"
SQL += "      password: {value}\n"
FIX = (
    "write {secret: NAME} (declared under secrets:) or a kork encrypted: string, "
    "or set plaintextSecrets: warn in spinconf.yml"
)


def diags(root: Path, code: str) -> list[Diagnostic]:
    project, _ = run(root)
    return [d for d in project.diagnostics.sorted() if d.code == code]


def test_plain_text_secret_error_and_warning_say_where_and_what_to_write(tmp_path: Path) -> None:
    files = {"overlays/orca.yml": SQL.format(value="hunter2")}
    (d,) = diags(make_project(tmp_path / "error", files), "plaintext-secret")
    assert (d.file, d.line, d.key, d.is_error) == ("overlays/orca.yml", 6, "services.orca.sql.password", True)
    assert d.message == f"a secret at services.orca.sql.password is plain text: {FIX}"
    (d,) = diags(make_project(tmp_path / "warn", files, settings="plaintextSecrets: warn\n"), "plaintext-secret")
    assert (d.file, d.line, d.key, d.is_error) == ("overlays/orca.yml", 6, "services.orca.sql.password", False)
    assert d.message == (
        "a secret at services.orca.sql.password is plain text (passed through because plaintextSecrets: warn)"
    )


def test_a_password_in_a_url_says_so(tmp_path: Path) -> None:
    overlay = "services:\n  gate:\n    redis:\n      url: 'redis://:hunter2@redis:6379'\n"
    (d,) = diags(make_project(tmp_path, {"overlays/r.yml": overlay}), "plaintext-secret")
    assert (d.file, d.line, d.key) == ("overlays/r.yml", 4, "services.gate.redis.url")
    assert d.message == f"the password in this URL at services.gate.redis.url is plain text: {FIX}"


@pytest.mark.parametrize(
    "text",
    [
        "http://[broken@host/old-page",  # no URL the standard library can split
        "mail ops@example.com or open https://wiki.example.com/x",
    ],
)
def test_text_that_is_not_a_url_with_a_password_passes(text: str, tmp_path: Path) -> None:
    project, rendered = run(make_project(tmp_path, {"overlays/p.yml": f"profiles:\n  echo:\n    note: '{text}'\n"}))
    assert found(project, "plaintext-secret") == []
    assert rendered is not None and service_doc(rendered, "echo")["note"] == text


def test_a_boolean_in_a_secret_field_is_not_called_plain_text(tmp_path: Path) -> None:
    project, _ = run(make_project(tmp_path, {"overlays/orca.yml": SQL.format(value="true")}))
    assert found(project, "plaintext-secret") == []
    assert any(d.is_error and d.line == 6 for d in project.diagnostics.sorted())  # the type is wrong instead


def test_spring_placeholder_warning_names_three_placeholders_and_the_fix(tmp_path: Path) -> None:
    overlay = "profiles:\n  orca:\n    x: '${A}-${B}-${C}-${D}'\n"
    (d,) = diags(make_project(tmp_path, {"overlays/p.yml": overlay}), "spring-placeholder")
    assert (d.file, d.line, d.key, d.is_error) == ("overlays/p.yml", 3, "profiles.orca.x", False)
    assert d.message == (
        "profiles.orca.x contains ${A}, ${B}, ${C}: Spring resolves it at start-up; for a runtime value "
        "write {env: NAME} or {secret: NAME}"
    )


# ------------------------------------------------------------------ placeholders on ECS


def test_shared_and_service_environments_both_count(tmp_path: Path) -> None:
    files = {
        "overlays/base.yml": ECS_BASE,  # ecs.environment has SHARED
        "overlays/z.yml": "services:\n  orca:\n    ecs:\n      environment: {ORCA_ONLY: x}\n",
        "overlays/p.yml": "profiles:\n  orca:\n    a: '${SHARED}'\n    b: '${ORCA_ONLY}'\n",
    }
    project, rendered = run(make_project(tmp_path, files))
    assert found(project, "unresolved-placeholder") == []
    assert rendered is not None and service_doc(rendered, "orca")["a"] == "${SHARED}"


def test_unresolved_in_the_shared_profile_is_reported_at_its_line(tmp_path: Path) -> None:
    files = {"overlays/base.yml": ECS_BASE, "overlays/p.yml": "profiles:\n  spinnaker:\n    x: '${NOPE}'\n"}
    (d,) = diags(make_project(tmp_path, files), "unresolved-placeholder")
    assert (d.file, d.line, d.key) == ("overlays/p.yml", 3, "x")
    assert d.message.startswith("${NOPE} in spinnaker.yml (x) of ")
    assert d.message.endswith(
        ": nothing defines it; add it to ecs.environment (or services.<svc>.ecs.environment), define it, "
        "or give a default"
    )


def test_unresolved_written_outside_profiles_is_reported_where_it_was_written(tmp_path: Path) -> None:
    overlay = "services:\n  gate:\n    redis:\n      url: 'redis://${REDIS_HOST}:6379'\n"
    base = ECS_BASE.replace('  gate: {redis: {url: "redis://redis.internal:6379"}}\n', "")
    files = {"overlays/base.yml": base, "overlays/r.yml": overlay}
    found_at = [(d.file, d.line) for d in diags(make_project(tmp_path, files), "unresolved-placeholder")]
    assert found_at == [("overlays/r.yml", 4)]


def test_an_env_reference_missing_on_one_service_is_reported_for_that_service_only(tmp_path: Path) -> None:
    files = {
        "overlays/base.yml": ECS_BASE,
        "overlays/z.yml": "services:\n  orca:\n    ecs:\n      environment: {TOKEN: x}\n",
        "overlays/p.yml": "profiles:\n  orca:\n    a: {env: TOKEN}\n  echo:\n    b: {env: TOKEN}\n",
    }
    got = diags(make_project(tmp_path, files), "env-ref-missing")
    assert [(d.file, d.line, d.key) for d in got] == [("overlays/p.yml", 5, "profiles.echo.b")]
    assert got[0].message.startswith("environment variable TOKEN gets no value in the task definition of echo:")


def test_a_secret_env_name_shadowing_a_list_item_property_names_it(tmp_path: Path) -> None:
    files = {
        "overlays/s.yml": "secrets:\n  db:\n    ssm: /x\n    env: ACCOUNTS_0_NAME\n",
        "overlays/p.yml": "profiles:\n  orca:\n    db: {secret: db}\n    accounts:\n      - name: main\n",
    }
    (d,) = diags(make_project(tmp_path, files), "secret-env-shadows-property")
    assert (d.file, d.line, d.key) == ("overlays/s.yml", 4, "secrets.db.env")
    assert d.message == (
        "secret 'db': Spring's relaxed binding reads env ACCOUNTS_0_NAME as property accounts.0.name "
        "(set in orca.yml), so the secret would replace it: choose another name"
    )
