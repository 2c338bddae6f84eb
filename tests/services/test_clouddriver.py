"""clouddriver.yml: providers and artifacts pass through; redis or SQL as the backing store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import absent, contains, make_project, render_ok, service_doc

SECRETS = """
secrets:
  clouddriver-db:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/clouddriver-db
  clouddriver-migrate:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/clouddriver-migrate
  redis-url:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/redis-url
"""

SQL = """
services:
  clouddriver:
    sql:
      jdbcUrl: jdbc:mysql://db.internal:3306/clouddriver
      user: clouddriver_service
      password: {secret: clouddriver-db}
      migration:
        user: clouddriver_migrate
        password: {secret: clouddriver-migrate}
      pool: {maxPoolSize: 20, connectionTimeout: 5000, maxLifetime: 30000, minIdle: 2, idleTimeout: 60000}
"""

DB_PASSWORD = "${SPINCONF_SECRET_CLOUDDRIVER_DB}"
POOL = {
    "jdbcUrl": "jdbc:mysql://db.internal:3306/clouddriver",
    "user": "clouddriver_service",
    "password": DB_PASSWORD,
    # kork-sql's ConnectionPoolProperties names: the timeouts end in Ms
    "maxPoolSize": 20,
    "connectionTimeoutMs": 5000,
    "maxLifetimeMs": 30000,
    "minIdle": 2,
    "idleTimeoutMs": 60000,
}
REDIS_OFF = {
    "enabled": False,
    "cache": {"enabled": False},
    "scheduler": {"enabled": False},
    "taskRepository": {"enabled": False},
}


def clouddriver_yml(tmp_path: Path, overlay: str, version: str = "2025.2.0") -> Any:
    root = make_project(tmp_path / "project", {"overlays/main.yml": f"version: {version}\n{overlay}{SECRETS}"})
    _, rendered = render_ok(root)
    return service_doc(rendered, "clouddriver")


CASES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    (
        "redis url",
        "services: {clouddriver: {redis: {url: {secret: redis-url}}}}\n",
        {
            "redis": {"connection": "${SPINCONF_SECRET_REDIS_URL}"},
            "services": {"redis": {"baseUrl": "${SPINCONF_SECRET_REDIS_URL}"}},
        },
        ["sql"],
    ),
    (
        "sql on named pools",
        SQL,
        {
            "sql": {
                "enabled": True,
                "connectionPools": {"default": {"default": True, **POOL}, "tasks": POOL},
                "migration": {
                    "jdbcUrl": "jdbc:mysql://db.internal:3306/clouddriver",
                    "user": "clouddriver_migrate",
                    "password": "${SPINCONF_SECRET_CLOUDDRIVER_MIGRATE}",
                },
                "taskRepository": {"enabled": True},
                "cache": {"enabled": True},
                "scheduler": {"enabled": True},
            },
            "redis": REDIS_OFF,
        },
        ["sql.connectionPool", "redis.connection"],
    ),
    (
        "sql switched off keeps redis",
        "services:\n  clouddriver:\n    sql: {enabled: false, jdbcUrl: jdbc:mysql://db/cd}\n"
        "    redis: {url: 'redis://cache.internal:6379'}\n",
        {"redis": {"connection": "redis://cache.internal:6379"}},
        ["sql", "redis.enabled"],
    ),
    (
        "postgres dialect on every pool",
        "services:\n  clouddriver:\n    sql:\n      jdbcUrl: jdbc:postgresql://db/cd\n      user: cd\n"
        "      password: 'encrypted:secrets-manager!r:eu-west-1!s:cd-db'\n      dialect: POSTGRES\n",
        {
            "sql": {
                "connectionPools": {
                    "default": {"dialect": "POSTGRES", "password": "encrypted:secrets-manager!r:eu-west-1!s:cd-db"},
                    "tasks": {"dialect": "POSTGRES"},
                },
                # without its own migration block liquibase migrates with the service's credentials
                "migration": {
                    "jdbcUrl": "jdbc:postgresql://db/cd",
                    "user": "cd",
                    "password": "encrypted:secrets-manager!r:eu-west-1!s:cd-db",
                },
            }
        },
        [],
    ),
    (
        "providers and artifacts pass through",
        "providers:\n  kubernetes:\n    enabled: true\n    accounts:\n    - {name: prod, kubeconfigFile: /k/prod, "
        "namespaces: [apps]}\n    primaryAccount: prod\n"
        "artifacts:\n  github:\n    enabled: true\n    accounts: [{name: gh, token: {secret: redis-url}}]\n",
        {
            "kubernetes": {
                "enabled": True,
                "accounts": [{"name": "prod", "kubeconfigFile": "/k/prod", "namespaces": ["apps"]}],
                "primaryAccount": "prod",
            },
            "artifacts": {
                "github": {"enabled": True, "accounts": [{"name": "gh", "token": "${SPINCONF_SECRET_REDIS_URL}"}]}
            },
        },
        ["sql", "redis"],
    ),
]


@pytest.mark.parametrize(("overlay", "want", "unset"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_clouddriver_profile(tmp_path: Path, overlay: str, want: dict[str, Any], unset: list[str]) -> None:
    doc = clouddriver_yml(tmp_path, overlay)
    assert contains(want, doc) == []
    for key in unset:
        assert absent(doc, key), f"{key} should not be set: {doc}"


def test_pool_settings_use_korks_names_only(tmp_path: Path) -> None:
    pool = clouddriver_yml(tmp_path, SQL)["sql"]["connectionPools"]["default"]
    assert not {"connectionTimeout", "maxLifetime", "idleTimeout"} & set(pool)


@pytest.mark.parametrize("version", ["1.12.14", "1.13.12"])
def test_release_before_clouddriver_sql_stays_on_redis(tmp_path: Path, version: str) -> None:
    # clouddriver-sql joined the open-source image in 1.14.0: earlier images ignore sql.*
    redis = "    redis: {url: 'redis://cache.internal:6379'}\n"
    doc = clouddriver_yml(tmp_path, SQL.replace("    sql:\n", redis + "    sql:\n"), version=version)
    assert "sql" not in doc
    assert doc["redis"] == {"connection": "redis://cache.internal:6379"}


def test_first_release_with_clouddriver_sql(tmp_path: Path) -> None:
    doc = clouddriver_yml(tmp_path, SQL, version="1.14.0")
    assert doc["sql"]["cache"] == {"enabled": True}
    assert doc["redis"] == REDIS_OFF


def test_no_secret_value_in_the_document(tmp_path: Path) -> None:
    text = str(clouddriver_yml(tmp_path, SQL))
    assert "clouddriver-db" not in text and "parameter/spinnaker" not in text
