"""Provenance through derivation: a key spinconf derives keeps the user's line (explain, diagnostics)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinconf.cli import app
from spinconf.loader import load_project
from spinconf.render import render_project
from tests.helpers import make_project
from tests.targets.projects import fargate

runner = CliRunner()

CLOUDDRIVER = """\
# clouddriver on MySQL
services:
  clouddriver:
    sql:
      jdbcUrl: jdbc:mysql://db.internal:3306/clouddriver
      user: clouddriver_service
      password: {secret: db}
      migration:
        user: clouddriver_migrate
        password: {secret: db-migrate}
secrets:
  db: {ssm: /spinnaker/db}
  db-migrate: {ssm: /spinnaker/db-migrate}
"""


def explain(root: Path, service: str, key: str) -> str:
    result = runner.invoke(app, ["explain", service, key, str(root)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("version", "key"),
    [
        ("1.22.1", "sql.connectionPools.default.jdbcUrl"),
        ("1.30.1", "sql.connectionPools.default.jdbcUrl"),
        ("2025.2.0", "sql.connectionPools.default.jdbcUrl"),
        ("2025.2.0", "sql.connectionPools.tasks.jdbcUrl"),
    ],
)
def test_explain_names_the_line_a_derived_sql_key_came_from(tmp_path: Path, version: str, key: str) -> None:
    root = make_project(tmp_path, {"overlays/services/clouddriver.yml": CLOUDDRIVER, "versions.txt": version})
    out = explain(root, "clouddriver", key)
    assert "= jdbc:mysql://db.internal:3306/clouddriver" in out
    assert "from overlays/services/clouddriver.yml:5 (services.clouddriver.sql.jdbcUrl)" in out
    assert "by kork-sql's connection pools" in out
    assert "derived by spinconf" not in out


def test_explain_follows_the_migration_fallback_to_the_line_used(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/services/clouddriver.yml": CLOUDDRIVER, "versions.txt": "2025.2.0"})
    # the migration has its own user, and the service's URL
    assert "overlays/services/clouddriver.yml:9 (services.clouddriver.sql.migration.user)" in explain(
        root, "clouddriver", "sql.migration.user"
    )
    out = explain(root, "clouddriver", "sql.migration.jdbcUrl")
    assert "overlays/services/clouddriver.yml:5 (services.clouddriver.sql.jdbcUrl)" in out
    assert "by kork-sql's migration" in out


def test_explain_names_the_sql_section_for_what_it_switched_off(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"overlays/services/clouddriver.yml": CLOUDDRIVER, "versions.txt": "1.30.1"})
    out = explain(root, "clouddriver", "redis.cache.enabled")
    assert "= false" in out
    assert "from overlays/services/clouddriver.yml:4 (services.clouddriver.sql)" in out


def test_a_profile_override_is_named_instead_of_the_derivation(tmp_path: Path) -> None:
    profile = (
        "profiles:\n  clouddriver:\n    sql:\n      connectionPools:\n        default:\n          jdbcUrl: jdbc:x\n"
    )
    root = make_project(
        tmp_path,
        {"overlays/services/clouddriver.yml": CLOUDDRIVER, "overlays/z.yml": profile, "versions.txt": "2025.2.0"},
    )
    out = explain(root, "clouddriver", "sql.connectionPools.default.jdbcUrl")
    assert "= jdbc:x" in out and "overlays/z.yml:6 (profiles.clouddriver)" in out


def test_explain_redis_connection_names_the_url_line(tmp_path: Path) -> None:
    overlay = "services:\n  igor:\n    enabled: true\n    redis:\n      url: redis://igor-redis:6379\n"
    root = make_project(tmp_path, {"overlays/igor.yml": overlay})
    out = explain(root, "igor", "redis.connection")
    assert "from overlays/igor.yml:5 (services.igor.redis.url)" in out


# gate's section first appears in another file (its ECS settings); its redis is set in its own file
GATE_ECS = "services:\n  gate:\n    ecs:\n      cpu: 1024\n      memory: 2048\n"
GATE_REDIS = "# gate's sessions\nservices:\n  gate:\n    redis:\n      url: redis://localhost:6379\n"


def test_localhost_redis_error_lands_on_the_line_that_set_it(tmp_path: Path) -> None:
    files = fargate(extra={"overlays/a-gate-ecs.yml": GATE_ECS, "overlays/services/gate.yml": GATE_REDIS})
    files["overlays/stores.yml"] = files["overlays/stores.yml"].replace(
        "  gate:\n    redis: {url: 'redis://gate-redis.internal:6379'}\n", ""
    )
    root = make_project(tmp_path, files)
    project = load_project(root)
    assert project.valid, [d.text() for d in project.diagnostics.sorted()]
    render_project(project)
    found = [d for d in project.diagnostics.sorted() if d.code == "ecs-localhost"]
    assert {(d.file, d.line, d.key) for d in found} == {("overlays/services/gate.yml", 5, "services.gate.redis.url")}, [
        d.text() for d in found
    ]
    assert all(
        "gate's redis.connection is redis://localhost:6379" in d.message or "baseUrl" in d.message for d in found
    )


def test_redis_nobody_set_is_reported_at_the_section_that_would(tmp_path: Path) -> None:
    files = fargate(extra={"overlays/a-gate-ecs.yml": GATE_ECS})
    files["overlays/stores.yml"] = files["overlays/stores.yml"].replace(
        "  gate:\n    redis: {url: 'redis://gate-redis.internal:6379'}\n", ""
    )
    root = make_project(tmp_path, files)
    project = load_project(root)
    render_project(project)
    (found,) = [d for d in project.diagnostics.sorted() if d.code == "ecs-localhost"]
    assert (found.file, found.line) == ("overlays/a-gate-ecs.yml", 2)
    assert "set services.gate.redis.url" in found.message


def test_an_unresolved_placeholder_in_a_derived_key_names_each_service_at_its_own_line(tmp_path: Path) -> None:
    sql = "services:\n  {svc}:\n    sql:\n      jdbcUrl: 'jdbc:mysql://${{DB_HOST}}:3306/{svc}'\n      user: {svc}\n"
    files = fargate(
        extra={
            "overlays/services/clouddriver.yml": sql.format(svc="clouddriver"),
            "overlays/services/orca.yml": sql.format(svc="orca"),
        }
    )
    project = load_project(make_project(tmp_path, files))
    render_project(project)
    found = [d for d in project.diagnostics.sorted() if d.code == "unresolved-placeholder"]
    got = {(d.file, d.line, d.message.split(" of ")[1].split(":")[0]) for d in found}
    assert got == {
        ("overlays/services/clouddriver.yml", 4, "clouddriver"),
        ("overlays/services/orca.yml", 4, "orca"),
    }, [d.text() for d in found]


def test_a_peer_url_on_localhost_is_reported_at_the_setting_that_gave_it(tmp_path: Path) -> None:
    files = fargate()
    files["overlays/stores.yml"] = files["overlays/stores.yml"].replace(
        "overrideBaseUrl: https://api.spinnaker.example.com", "overrideBaseUrl: http://localhost:8084"
    )
    project = load_project(make_project(tmp_path, files))
    found = {(d.code, d.file, d.line) for d in project.diagnostics.sorted() if d.is_error}
    # gate's URL came from security.apiSecurity.overrideBaseUrl (line 4), not from the ecs section
    assert ("ecs-localhost", "overlays/stores.yml", 4) in found
    assert ("ecs-gate-url-unreachable", "overlays/stores.yml", 4) in found
    assert not any(f == "overlays/ecs.yml" for _, f, _ in found), found


def test_a_service_url_template_on_localhost_is_reported_at_the_template(tmp_path: Path) -> None:
    files = fargate()
    files["overlays/ecs.yml"] = files["overlays/ecs.yml"].replace(
        "http://{service}.spinnaker.internal:{port}", "http://localhost:{port}"
    )
    project = load_project(make_project(tmp_path, files))
    found = {(d.file, d.line) for d in project.diagnostics.sorted() if d.code == "ecs-localhost"}
    assert found == {("overlays/ecs.yml", 7)}


OAUTH2 = """\
security:
  apiSecurity:
    overrideBaseUrl: https://api.spinnaker.example.com
  uiSecurity:
    overrideBaseUrl: https://spinnaker.example.com
  authn:
    oauth2:
      enabled: true
      client:
        clientId: my-client
        accessTokenUri: https://github.com/login/oauth/access_token
      userInfoMapping: {username: login}
"""


@pytest.mark.parametrize(
    ("service", "key", "where"),
    [
        ("gate", "spring.security.oauth2.client.registration.github.client-id", "overlays/security.yml:10"),
        ("gate", "spring.security.oauth2.client.registration.github.redirect-uri", "overlays/security.yml:3"),
        ("gate", "spring.security.oauth2.client.provider.github.token-uri", "overlays/security.yml:11"),
        ("gate", "server.forward-headers-strategy", "overlays/security.yml:3"),
        ("echo", "spinnaker.baseUrl", "overlays/security.yml:5"),
    ],
)
def test_explain_follows_gate_and_echo_derivations(tmp_path: Path, service: str, key: str, where: str) -> None:
    root = make_project(tmp_path, {"overlays/security.yml": OAUTH2, "versions.txt": "2025.2.0"})
    out = explain(root, service, key)
    assert f"from {where} (" in out and "derived by spinconf" not in out


@pytest.mark.parametrize(
    ("service", "key"),
    [
        ("orca", "executionRepository.sql.enabled"),
        ("front50", "spinnaker.s3.enabled"),
        ("echo", "scheduler.enabled"),
    ],
)
def test_explain_names_the_sql_setting_behind_a_store_switch(tmp_path: Path, service: str, key: str) -> None:
    sql = f"services:\n  {service}:\n    sql:\n      jdbcUrl: jdbc:mysql://db:3306/{service}\n"
    root = make_project(tmp_path, {"overlays/sql.yml": sql, "versions.txt": "1.30.1"})
    out = explain(root, service, key)
    assert f"from overlays/sql.yml:3 (services.{service}.sql)" in out
