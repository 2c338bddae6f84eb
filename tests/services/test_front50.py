"""front50.yml: object stores from persistentStorage, or SQL with every object store off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import absent, contains, make_project, render_ok, service_doc

SECRETS = """
secrets:
  front50-db:
    secretsManager: arn:aws:secretsmanager:eu-west-1:123456789012:secret:spinnaker/front50-AbCdEf
    key: password
"""

S3 = """
persistentStorage:
  s3:
    enabled: true
    bucket: spinnaker-front50
    region: eu-west-1
    rootFolder: front50
"""

SQL = """
services:
  front50:
    sql:
      jdbcUrl: jdbc:mysql://db.internal:3306/front50
      user: front50_service
      password: {secret: front50-db}
      pool: {maxPoolSize: 10}
"""

STORES_OFF = {name: {"enabled": False} for name in ("s3", "gcs", "azs", "oracle", "swift", "redis")}


def front50_yml(tmp_path: Path, overlay: str) -> Any:
    root = make_project(tmp_path / "project", {"overlays/main.yml": f"{overlay}{SECRETS}"})
    _, rendered = render_ok(root)
    return service_doc(rendered, "front50")


CASES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    (
        "s3 object store",
        S3,
        {
            "spinnaker": {
                "s3": {"enabled": True, "bucket": "spinnaker-front50", "region": "eu-west-1", "rootFolder": "front50"}
            }
        },
        ["sql"],
    ),
    (
        "managed delivery",
        "managedDelivery: {enabled: true}\n",
        {"spinnaker": {"delivery": {"enabled": True}}},
        ["sql"],
    ),
    (
        "sql turns every object store off",
        SQL,
        {
            "sql": {
                "enabled": True,
                "connectionPools": {
                    "default": {
                        "default": True,
                        "jdbcUrl": "jdbc:mysql://db.internal:3306/front50",
                        "user": "front50_service",
                        "password": "${SPINCONF_SECRET_FRONT50_DB}",
                        "maxPoolSize": 10,
                    }
                },
                "migration": {
                    "jdbcUrl": "jdbc:mysql://db.internal:3306/front50",
                    "user": "front50_service",
                    "password": "${SPINCONF_SECRET_FRONT50_DB}",
                },
            },
            # front50 starts a StorageService for each store switched on: SQL must be the only one
            "spinnaker": STORES_OFF,
        },
        ["sql.connectionPool", "sql.connectionPools.tasks"],
    ),
    (
        "migration on another url keeps the service's credentials",
        SQL + "      migration: {jdbcUrl: 'jdbc:mysql://db-writer.internal:3306/front50'}\n",
        {
            "sql": {
                "migration": {
                    "jdbcUrl": "jdbc:mysql://db-writer.internal:3306/front50",
                    "user": "front50_service",
                    "password": "${SPINCONF_SECRET_FRONT50_DB}",
                }
            }
        },
        [],
    ),
    (
        "sql switched off",
        S3 + "services: {front50: {sql: {enabled: false, jdbcUrl: 'jdbc:mysql://db/f50'}}}\n",
        {"spinnaker": {"s3": {"enabled": True}}},
        ["sql", "spinnaker.gcs"],
    ),
]


@pytest.mark.parametrize(("overlay", "want", "unset"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_front50_profile(tmp_path: Path, overlay: str, want: dict[str, Any], unset: list[str]) -> None:
    doc = front50_yml(tmp_path, overlay)
    assert contains(want, doc) == []
    for key in unset:
        assert absent(doc, key), f"{key} should not be set: {doc}"
