"""Rules: keel's database.

kleat makes ``persistentStorage.sql`` keel's kork-sql database (internal/convert/keel.go);
``services.keel.sql`` is the same database in spinconf's shape (SPEC section 2). Both
given and different leaves it unclear which database keel should use.
"""

from __future__ import annotations

from typing import Any

from spinconf.checks import check, rule
from spinconf.diagnostics import Severity
from spinconf.loader import Project

SQL_CONFLICT = rule(
    "keel-sql-conflict",
    Severity.ERROR,
    "persistentStorage.sql and services.keel.sql both describe keel's database: when both are given they agree",
    applies_to=("persistentStorage.sql", "services.keel.sql"),
)

# (services.keel.sql path, persistentStorage.sql path) of each setting both shapes carry
PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("jdbcUrl",), ("default", "jdbcUrl")),
    (("user",), ("default", "user")),
    (("password",), ("default", "password")),
    (("migration", "jdbcUrl"), ("migration", "jdbcUrl")),
    (("migration", "user"), ("migration", "user")),
    (("migration", "password"), ("migration", "password")),
)


def _get(value: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        value = getattr(value, name, None) if value is not None else None
    return value


@check
def keel_sql_agrees(project: Project) -> None:
    config = project.config
    if config is None or config.persistentStorage is None or config.services is None:
        return
    hal, own = config.persistentStorage.sql, config.services.keel.sql if config.services.keel else None
    if hal is None or own is None or hal.enabled is False or own.enabled is False:
        return
    for own_path, hal_path in PAIRS:
        mine, theirs = _get(own, own_path), _get(hal, hal_path)
        if mine is None or theirs is None or mine == theirs:
            continue
        own_key = ("services", "keel", "sql", *own_path)
        hal_key = ("persistentStorage", "sql", *hal_path)
        other = project.origin(hal_key)
        # never the values: passwords and JDBC URLs with credentials are secrets
        project.diagnostics.error(
            project.origin(own_key),
            SQL_CONFLICT.code,
            f"{'.'.join(own_key)} differs from {'.'.join(hal_key)} ({other.file}:{other.line}); both are keel's "
            "database: give it once (services.keel.sql) or make them equal",
            key=".".join(own_key),
        )
