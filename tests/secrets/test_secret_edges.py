"""Secret values at the edge of "a reference": a placeholder is a reference only when it is the whole value.

``hunter2-${SUFFIX}`` carries the literal ``hunter2`` into the overlay, so it is plain text; only
``${NAME}`` alone (resolved by Spring at start-up) is not. Each case checks the error an operator
gets (file:line, value never shown) and, where the value is fine, what the service receives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import make_project, service_doc
from tests.secrets.util import found, messages, run

SQL = """\
services:
  orca:
    sql:
      jdbcUrl: jdbc:mysql://db:3306/orca
      user: orca
      password: '{value}'
"""


@pytest.mark.parametrize(
    "value", ["hunter2-${SUFFIX}", "${PREFIX}-hunter2", "hunt${X}er2", "${A}hunter2${B}", "hunter2${"]
)
def test_a_placeholder_inside_plain_text_is_still_plain_text(value: str, tmp_path: Path) -> None:
    project, _ = run(make_project(tmp_path, {"overlays/orca.yml": SQL.format(value=value)}))
    assert found(project, "plaintext-secret") == [("overlays/orca.yml", 6, "error")]
    assert not any("hunter2" in d.message for d in project.diagnostics.items)


@pytest.mark.parametrize("value", ["${DB_PASSWORD}", "${DB_PASSWORD:}", "encrypted:secrets-manager!r:eu-west-1!s:db"])
def test_a_whole_placeholder_or_kork_string_reaches_orca_as_written(value: str, tmp_path: Path) -> None:
    project, rendered = run(make_project(tmp_path, {"overlays/orca.yml": SQL.format(value=value)}))
    assert found(project, "plaintext-secret") == []
    assert rendered is not None
    doc = service_doc(rendered, "orca")
    assert doc["sql"]["connectionPools"]["default"]["password"] == value


@pytest.mark.parametrize(
    ("url", "plain"),
    [
        ("jdbc:mysql://db:3306/orca?user=orca&password=hunter2", True),
        ("jdbc:mysql://db:3306/orca?user=orca&password=hunter2-${X}", True),
        ("jdbc:mysql://db:3306/orca?user=orca&password=${DB_PASSWORD}", False),
        ("jdbc:mysql://orca:hunter2@db:3306/orca", True),
        ("jdbc:mysql://db:3306/orca?user=orca", False),
    ],
)
def test_jdbc_urls(url: str, plain: bool, tmp_path: Path) -> None:
    overlay = f"services:\n  orca:\n    sql:\n      jdbcUrl: '{url}'\n      user: orca\n"
    project, rendered = run(make_project(tmp_path, {"overlays/orca.yml": overlay}))
    assert found(project, "plaintext-secret") == ([("overlays/orca.yml", 4, "error")] if plain else [])
    assert not any("hunter2" in m for m in messages(project, "plaintext-secret"))
    if not plain:
        assert rendered is not None
        assert service_doc(rendered, "orca")["sql"]["connectionPools"]["default"]["jdbcUrl"] == url


def test_the_values_never_shown_are_every_plain_secret_of_the_tree() -> None:
    # what explain and diff mask wherever it appears: plain values of secret-bearing fields (an
    # {env:} default included), and the password of any URL (user:password@ or JDBC's password=)
    from spinconf.checks.secret_fields import plain_secret_values
    from spinconf.refs import EnvRef, SecretRef

    tree = {
        "notifications": {"slack": {"token": "slack-token-1"}, "github": {"token": SecretRef("gh")}},
        "services": {
            "orca": {"sql": {"password": EnvRef("DB_PASSWORD", "env-default-2")}},
            "front50": {"sql": {"password": EnvRef("DB_PASSWORD")}},
        },
        "profiles": {
            "gate": {
                "a": "redis://:url-pass-3@redis:6379",
                "b": "jdbc:mysql://db/x?user=u&password=jdbc-pass-4",
                "c": "jdbc:mysql://db/x?user=u&PASSWORD=jdbc-pass-5",
                "d": "https://user@host.example.com/no-password",
                "e": "https://u:${TOKEN}@host.example.com/placeholder",
                "f": "password=not-a-url",
            }
        },
    }
    assert plain_secret_values(tree) == {"slack-token-1", "env-default-2", "url-pass-3", "jdbc-pass-4", "jdbc-pass-5"}


@pytest.mark.parametrize(
    ("path", "bearing"),
    [
        (("notifications", "slack", "token"), True),  # a Halyard secret field
        (("providers", "dockerRegistry", "accounts", 0, "password"), True),
        (("profiles", "gate", "password"), True),  # a profile key named like a credential, at any depth
        (("profiles", "gate", "oauth2.client.clientSecret"), True),
        (("profiles", "gate", "github", "apiKey"), True),
        (("profiles", "gate", "tokenUrl"), False),
        (("services", "gate", "ecs", "environment", "DB_PASSWORD"), False),  # not a profile: only the fields
        (("notifications", "slack", "botName"), False),
    ],
)
def test_secret_bearing_fields(path: tuple[object, ...], bearing: bool) -> None:
    from spinconf.checks.secret_fields import secret_bearing

    assert secret_bearing(path) is bearing
