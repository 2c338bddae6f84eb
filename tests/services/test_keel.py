"""keel.yml: managed delivery pass-through and keel's database (persistentStorage.sql or services.keel.sql)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spinconf.loader import load_project
from tests.helpers import make_project, render_ok, service_doc

SECRETS = """
secrets:
  keel-db:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/keel-db
"""
HAL_SQL = """
persistentStorage:
  sql:
    enabled: true
    default: {jdbcUrl: "jdbc:mysql://db:3306/keel", user: keel, password: {secret: keel-db}, connectionTimeout: 5000}
    migration: {jdbcUrl: "jdbc:mysql://db:3306/keel", user: keel_migrate}
"""
OWN_SQL = """
services:
  keel:
    sql:
      jdbcUrl: jdbc:mysql://db:3306/keel
      user: keel
      password: {secret: keel-db}
"""


def keel_yml(tmp_path: Path, overlay: str) -> Any:
    text = f"version: 2025.2.0\nmanagedDelivery: {{enabled: true}}\n{overlay}{SECRETS}"
    _, rendered = render_ok(make_project(tmp_path / "project", {"overlays/main.yml": text}))
    return service_doc(rendered, "keel")


def test_persistent_storage_sql_is_keels_database(tmp_path: Path) -> None:
    sql = keel_yml(tmp_path, HAL_SQL)["sql"]
    assert sql["enabled"] is True
    # kork-sql's pool property is connectionTimeoutMs: kleat's connectionTimeout would be ignored
    assert sql["connectionPools"]["default"] == {
        "jdbcUrl": "jdbc:mysql://db:3306/keel",
        "user": "keel",
        "password": "${SPINCONF_SECRET_KEEL_DB}",
        "connectionTimeoutMs": 5000,
    }
    assert sql["migration"] == {"jdbcUrl": "jdbc:mysql://db:3306/keel", "user": "keel_migrate"}


def test_services_keel_sql_is_the_same_database(tmp_path: Path) -> None:
    sql = keel_yml(tmp_path, OWN_SQL)["sql"]
    assert sql["connectionPools"]["default"]["jdbcUrl"] == "jdbc:mysql://db:3306/keel"
    assert sql["connectionPools"]["default"]["password"] == "${SPINCONF_SECRET_KEEL_DB}"
    assert sql["migration"]["user"] == "keel"  # no migration user: the service's own connection migrates
    assert "connectionPool" not in sql


def test_both_given_and_equal_is_fine(tmp_path: Path) -> None:
    assert keel_yml(tmp_path, HAL_SQL + OWN_SQL)["sql"]["connectionPools"]["default"]["user"] == "keel"


def test_both_given_and_different_is_a_conflict_at_the_line(tmp_path: Path) -> None:
    overlay = HAL_SQL + OWN_SQL.replace("user: keel\n", "user: keel_other\n")
    text = f"version: 2025.2.0\nmanagedDelivery: {{enabled: true}}\n{overlay}{SECRETS}"
    project = load_project(make_project(tmp_path / "project", {"overlays/main.yml": text}))
    found = [d for d in project.diagnostics.sorted() if d.code == "keel-sql-conflict"]
    assert len(found) == 1
    lines = text.splitlines()
    assert found[0].is_error
    assert found[0].file.endswith("overlays/main.yml")
    assert lines[found[0].line - 1].strip() == "user: keel_other"
    assert "persistentStorage.sql.default.user" in found[0].message
    assert "keel_other" not in found[0].message  # values are never echoed


def test_managed_delivery_sections_pass_through(tmp_path: Path) -> None:
    overlay = """
managedDelivery:
  eureka: {enabled: true}
  keel:
    plugins: {ec2: {enabled: false}, k8s: {enabled: true}}
    resourceCheck: {minAgeDuration: 60s}
""".replace("managedDelivery:\n", "managedDelivery:\n  enabled: true\n")
    text = f"version: 2025.2.0\n{overlay}{SECRETS}"
    _, rendered = render_ok(make_project(tmp_path / "project", {"overlays/main.yml": text}))
    doc = service_doc(rendered, "keel")
    assert doc["eureka"] == {"enabled": True}
    assert doc["keel"]["plugins"] == {"ec2": {"enabled": False}, "k8s": {"enabled": True}}
    assert doc["keel"]["resourceCheck"] == {"minAgeDuration": "60s"}
    assert "sql" not in doc
