"""orca.yml: kleat's keys, and orca's stores: SQL (as far as the release allows) or redis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import contains, make_project, render_ok, service_doc

SECRETS = """
secrets:
  orca-db:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/orca-db
  orca-redis:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/orca-redis
"""
SQL = """
services:
  orca:
    sql:
      jdbcUrl: jdbc:mysql://db.internal:3306/orca
      user: orca_service
      password: {secret: orca-db}
      migration: {user: orca_migrate}
"""
REDIS = "services:\n  orca:\n    redis: {url: {secret: orca-redis}}\n"


def orca_yml(tmp_path: Path, overlay: str, version: str = "2025.2.0") -> Any:
    root = make_project(tmp_path / "project", {"overlays/main.yml": f"version: {version}\n{overlay}{SECRETS}"})
    _, rendered = render_ok(root)
    return service_doc(rendered, "orca")


def test_on_sql_orca_needs_no_redis(tmp_path: Path) -> None:
    doc = orca_yml(tmp_path, SQL)
    assert doc["sql"]["enabled"] is True
    assert doc["sql"]["connectionPools"]["default"]["jdbcUrl"] == "jdbc:mysql://db.internal:3306/orca"
    assert doc["sql"]["connectionPools"]["default"]["password"] == "${SPINCONF_SECRET_ORCA_DB}"
    assert "connectionPool" not in doc["sql"]  # kork refuses both
    assert doc["sql"]["migration"]["user"] == "orca_migrate"
    want = {
        "executionRepository": {"sql": {"enabled": True}, "redis": {"enabled": False}},
        "keiko": {"queue": {"sql": {"enabled": True}, "redis": {"enabled": False}}},
        "queue": {"pendingExecutionService": {"sql": {"enabled": True}}},
        "monitor": {"activeExecutions": {"redis": False}},
        "redis": {"enabled": False},
    }
    assert contains(want, doc) == []
    assert "connection" not in doc["redis"]


@pytest.mark.parametrize(
    ("version", "queue_on_sql", "redis_optional"),
    [("1.16.2", False, False), ("1.17.0", True, False), ("1.19.4", True, False), ("1.20.0", True, True)],
)
def test_sql_shape_follows_the_release(tmp_path: Path, version: str, queue_on_sql: bool, redis_optional: bool) -> None:
    doc = orca_yml(tmp_path, SQL + "    redis: {url: {secret: orca-redis}}\n", version)
    assert doc["executionRepository"] == {"sql": {"enabled": True}, "redis": {"enabled": False}}
    assert ("keiko" in doc) is queue_on_sql
    assert ("pendingExecutionService" in doc.get("queue", {})) is queue_on_sql
    if redis_optional:
        assert doc["redis"] == {"enabled": False}
    else:
        # the queue or the executions monitor still live in redis
        assert doc["redis"] == {"connection": "${SPINCONF_SECRET_ORCA_REDIS}"}


def test_redis_without_sql(tmp_path: Path) -> None:
    doc = orca_yml(tmp_path, REDIS)
    assert doc["redis"]["connection"] == "${SPINCONF_SECRET_ORCA_REDIS}"
    assert "sql" not in doc and "executionRepository" not in doc


def test_sql_disabled_is_redis(tmp_path: Path) -> None:
    doc = orca_yml(tmp_path, SQL.replace("    sql:\n", "    sql:\n      enabled: false\n") + "")
    assert "sql" not in doc and "keiko" not in doc


def test_kleat_keys_and_optional_services_follow_topology(tmp_path: Path) -> None:
    overlay = """
timezone: Europe/Berlin
providers:
  aws: {enabled: true, primaryAccount: prod, accounts: [{name: prod, accountId: "123456789012"}]}
features: {pipelineTemplates: true}
canary: {enabled: true}
managedDelivery: {enabled: true}
services:
  keel: {enabled: false}
"""
    doc = orca_yml(tmp_path, overlay)
    want = {
        "default": {"bake": {"account": "prod"}},
        "pipelineTemplates": {"enabled": True},
        "tasks": {"executionWindow": {"timezone": "Europe/Berlin"}},
        "services": {"kayenta": {"enabled": True}},
    }
    assert contains(want, doc) == []
    assert "keel" not in doc["services"]  # services.keel.enabled: false wins over managedDelivery


def test_port(tmp_path: Path) -> None:
    assert orca_yml(tmp_path, "services:\n  orca:\n    port: 9083\n")["server"] == {"port": 9083}
