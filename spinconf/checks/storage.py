"""Rules: front50's store, JDBC URLs, S3 bucket names.

front50 creates one StorageService per enabled store (front50-s3 S3Config, front50-gcs GcsConfig,
front50-sql SqlConfiguration, ...); two at once only work behind the composite migrator, which
front50-migrations enables with `spinnaker.migration.enabled` (primaryClass / previousClass).
Halyard: halyard-config/.../validate/v1/persistentStorage/PersistentStorageValidator.java.
"""

from __future__ import annotations

import re
from typing import Any

from spinconf.checks import check, rule
from spinconf.checks._util import config_of, given, is_on, report, text
from spinconf.diagnostics import Severity
from spinconf.loader import Project
from spinconf.releases import Release
from spinconf.services.context import topology
from spinconf.services.stores import runs_sql

NO_STORE = rule(
    "front50-no-store",
    Severity.WARNING,
    "front50 has a store: an enabled object store under persistentStorage, or services.front50.sql",
    applies_to=("persistentStorage", "services.front50.sql"),
)
TWO_STORES = rule(
    "front50-stores-conflict",
    Severity.ERROR,
    "front50 has one store, or two with a migration between them (profiles.front50.spinnaker.migration)",
    applies_to=("persistentStorage.*.enabled", "services.front50.sql"),
)
STORE_INCOMPLETE = rule(
    "front50-store-incomplete",
    Severity.ERROR,
    "an enabled object store names its bucket (s3, gcs), bucketName (oracle) or storage account and container (azs)",
    applies_to=("persistentStorage.*",),
)
JDBC_URL = rule(
    "jdbc-url-invalid",
    Severity.ERROR,
    "a JDBC URL looks like jdbc:<driver>://host[:port]/database",
    applies_to=(
        "services.*.sql.jdbcUrl",
        "services.*.sql.migration.jdbcUrl",
        "persistentStorage.sql.default.jdbcUrl",
        "persistentStorage.sql.migration.jdbcUrl",
    ),
)
S3_BUCKET = rule(
    "s3-bucket-invalid",
    Severity.ERROR,
    "an S3 bucket name is 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit",
    applies_to=("persistentStorage.s3.bucket", "canary.serviceIntegrations.aws.accounts.*.bucket"),
)

OBJECT_STORES: dict[str, tuple[str, ...]] = {
    "s3": ("bucket",),
    "gcs": ("bucket",),
    "oracle": ("bucketName", "namespace"),
    "azs": ("storageAccountName", "storageContainerName"),
}
JDBC = re.compile(r"^jdbc:[a-z][a-z0-9]*:\S+$")
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
S3_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
IP_ADDRESS = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def s3_bucket_problem(name: str) -> str | None:
    if not S3_NAME.match(name):
        return "must be 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit"
    if ".." in name or ".-" in name or "-." in name:
        return "must not have '..', '.-' or '-.'"
    if IP_ADDRESS.match(name):
        return "must not look like an IP address"
    if name.startswith(("xn--", "sthree-")) or name.endswith(("-s3alias", "--ol-s3")):
        return "uses a prefix or suffix S3 reserves"
    return None


def _migration_on(config: Any) -> bool:
    profile = (config.profiles or {}).get("front50") or {}
    migration = (profile.get("spinnaker") or {}).get("migration") if isinstance(profile, dict) else None
    return isinstance(migration, dict) and migration.get("enabled") is True


@check
def front50_store(project: Project) -> None:
    config = config_of(project)
    if not topology(config).is_enabled("front50"):
        return
    storage = config.persistentStorage
    stores: list[tuple[Any, ...]] = []
    for key, needs in OBJECT_STORES.items():
        store = getattr(storage, key, None)
        if store is None or not is_on(store.enabled):
            continue
        stores.append(("persistentStorage", key, "enabled"))
        missing = [f for f in needs if not given(getattr(store, f))]
        if missing:
            report(
                project,
                STORE_INCOMPLETE,
                ("persistentStorage", key),
                f"persistentStorage.{key} is enabled but {', '.join(missing)} is not set",
            )
    front50 = config.services.front50 if config.services else None
    # an sql block the release cannot use is reported by sql-unsupported and is no store
    if front50 is not None and runs_sql("front50", front50.sql, Release.of(project.release)):
        stores.append(("services", "front50", "sql"))
    if not stores:
        report(
            project,
            NO_STORE,
            ("persistentStorage",) if storage is not None else (),
            "front50 has no store: enable one under persistentStorage (s3, gcs, azs, oracle) "
            "or set services.front50.sql",
        )
    elif len(stores) > 2 or (len(stores) == 2 and not _migration_on(config)):
        names = [".".join(p[:2]) if p[0] == "persistentStorage" else "services.front50.sql" for p in stores]
        report(
            project,
            TWO_STORES,
            stores[-1],
            f"front50 has {len(stores)} stores ({', '.join(names)}): keep one, or migrate from one to the other "
            "with profiles.front50.spinnaker.migration (enabled, primaryClass, previousClass)",
        )


def _jdbc(project: Project, path: tuple[Any, ...], value: Any) -> None:
    url = text(value)
    if url is not None and not JDBC.match(url):
        report(project, JDBC_URL, path, f"{path[-1]} {url!r} is not a JDBC URL (jdbc:mysql://host:3306/db)")


@check
def jdbc_urls(project: Project) -> None:
    config = config_of(project)
    services = config.services
    for name in type(services).model_fields if services else ():
        sql = getattr(getattr(services, name), "sql", None)
        if sql is None:
            continue
        _jdbc(project, ("services", name, "sql", "jdbcUrl"), sql.jdbcUrl)
        if sql.migration is not None:
            _jdbc(project, ("services", name, "sql", "migration", "jdbcUrl"), sql.migration.jdbcUrl)
    keel_sql = config.persistentStorage.sql if config.persistentStorage else None
    for pool in ("default", "migration"):
        model = getattr(keel_sql, pool, None)
        if model is not None:
            _jdbc(project, ("persistentStorage", "sql", pool, "jdbcUrl"), model.jdbcUrl)


@check
def s3_buckets(project: Project) -> None:
    config = config_of(project)
    candidates: list[tuple[tuple[Any, ...], Any]] = []
    s3 = config.persistentStorage.s3 if config.persistentStorage else None
    if s3 is not None:
        candidates.append((("persistentStorage", "s3", "bucket"), s3.bucket))
    integrations = config.canary.serviceIntegrations if config.canary else None
    aws = integrations.aws if integrations else None
    for i, account in enumerate(aws.accounts or [] if aws else []):
        candidates.append((("canary", "serviceIntegrations", "aws", "accounts", i, "bucket"), account.bucket))
    for path, value in candidates:
        name = text(value)
        if name is not None and (problem := s3_bucket_problem(name)) is not None:
            report(project, S3_BUCKET, path, f"S3 bucket name {name!r} {problem}")
