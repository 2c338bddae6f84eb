"""kork-sql sections shared by the SQL services: pool names, key names and the release that has named pools."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spinconf.model.services import Sql
from spinconf.refs import SecretRef
from spinconf.releases import SQL_SINCE, Release
from spinconf.services.stores import kork_sql, redis_connection
from tests.helpers import make_project, render_ok, service_doc

SQL = Sql.model_validate(
    {
        "jdbcUrl": "jdbc:mysql://db.internal:3306/svc",
        "user": "svc_service",
        "password": SecretRef("svc-db"),
        "pool": {"maxPoolSize": 20, "connectionTimeout": 5000},
    }
)
POOL: dict[str, Any] = {
    "jdbcUrl": "jdbc:mysql://db.internal:3306/svc",
    "user": "svc_service",
    "password": SecretRef("svc-db"),
    "maxPoolSize": 20,
    "connectionTimeoutMs": 5000,
}


def test_named_pools_from_1_13() -> None:
    section = kork_sql(SQL, Release.of("1.13.0"), ("default", "tasks"))
    assert section["connectionPools"] == {"default": {"default": True, **POOL}, "tasks": POOL}
    assert "connectionPool" not in section  # kork's DefaultSqlConfiguration refuses both


@pytest.mark.parametrize("version", ["1.12.14", "1.10.0"])
def test_singular_pool_before_named_pools(version: str) -> None:
    section = kork_sql(SQL, Release.of(version), ("default", "tasks"))
    assert section["connectionPool"] == POOL
    assert "connectionPools" not in section


def test_the_password_stays_a_reference() -> None:
    # the renderer turns the object into ${SPINCONF_SECRET_SVC_DB}; never a value here
    section = kork_sql(SQL, Release.of("2025.2.0"))
    assert section["migration"]["password"] == SecretRef("svc-db")
    assert section["connectionPools"]["default"]["password"] == SecretRef("svc-db")


def test_migration_user_without_password_does_not_borrow_the_service_password() -> None:
    sql = Sql.model_validate({**SQL.model_dump(exclude_unset=True), "migration": {"user": "svc_migrate"}})
    assert kork_sql(sql, Release.of("2025.2.0"))["migration"] == {
        "jdbcUrl": "jdbc:mysql://db.internal:3306/svc",
        "user": "svc_migrate",
    }


def test_no_redis_keys_without_a_url() -> None:
    assert redis_connection(None) == {}


def _previous_release(since: str) -> str:
    from spinconf.releases import KNOWN_RELEASES, Version

    first = Version.parse(since)
    assert first is not None
    return str(max(v for v in KNOWN_RELEASES if v < first))


@pytest.mark.parametrize("svc", sorted(SQL_SINCE))
def test_sql_block_is_used_from_the_services_first_sql_release(tmp_path: Path, svc: str) -> None:
    """Before a service's first SQL release the block is ignored (and said so); from it, sql.* is written."""
    since = SQL_SINCE[svc]
    overlay = f"""
services:
  {svc}:
    sql: {{jdbcUrl: "jdbc:mysql://db.internal:3306/{svc}", user: {svc}_service, password: {{secret: db}}}}
secrets:
  db: {{ssm: /spinnaker/db}}
"""
    s3 = "persistentStorage: {s3: {enabled: true, bucket: front50-bucket, region: us-east-1}}\n"
    for version, used in ((_previous_release(since), False), (since, True)):
        # front50 on SQL has no other store; without SQL it needs one
        store = s3 if svc != "front50" or not used else ""
        root = make_project(tmp_path / version, {"overlays/main.yml": f"version: {version}\n{store}{overlay}"})
        project, rendered = render_ok(root)
        doc = service_doc(rendered, svc)
        assert ("sql" in doc) is used, (version, doc)
        warned = [d.key for d in project.diagnostics.sorted() if d.code == "sql-unsupported"]
        assert warned == ([] if used else [f"services.{svc}.sql"])
        if svc == "front50":
            # an ignored block does not switch front50's object store off
            assert doc["spinnaker"]["s3"]["enabled"] is (not used)
