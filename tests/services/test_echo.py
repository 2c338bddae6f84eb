"""echo.yml: notifications, stats naming spinconf, deck's URL for links, and the SQL scheduler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spinconf import __version__
from tests.helpers import contains, make_project, render_ok, service_doc

SECRETS = """
secrets:
  slack-token:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/slack-token
  echo-db:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/echo-db
"""

SQL = """
timezone: Europe/Berlin
services:
  echo:
    sql:
      jdbcUrl: jdbc:mysql://db.internal:3306/echo
      user: echo_service
      password: {secret: echo-db}
      migration: {user: echo_migrate, password: {secret: echo-db}}
"""


def echo_yml(tmp_path: Path, overlay: str, versions_txt: str | None = None) -> Any:
    files = {"overlays/main.yml": f"{overlay}{SECRETS}"}
    if versions_txt is not None:
        files["versions.txt"] = versions_txt
    _, rendered = render_ok(make_project(tmp_path / "project", files))
    return service_doc(rendered, "echo")


CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "slack, email and google chat",
        "notifications:\n  slack: {enabled: true, botName: spinnaker, token: {secret: slack-token}}\n"
        "  email: {enabled: true}\n  googlechat: {enabled: true}\n",
        {
            "slack": {"enabled": True, "botName": "spinnaker", "token": "${SPINCONF_SECRET_SLACK_TOKEN}"},
            # echo switches email on with mail.enabled (EmailNotificationService)
            "mail": {"enabled": True},
            "googlechat": {"enabled": True},
        },
    ),
    (
        "notification links point at deck",
        "services: {deck: {baseUrl: 'https://spinnaker.example.com'}}\n",
        {"spinnaker": {"baseUrl": "https://spinnaker.example.com"}},
    ),
    (
        "stats name spinconf and the release",
        "version: 1.30.1\nstats: {enabled: false, instanceId: abc}\n",
        {
            "stats": {
                "enabled": False,
                "instanceId": "abc",
                "spinnakerVersion": "1.30.1",
                "deploymentMethod": {"type": "spinconf", "version": __version__},
            }
        },
    ),
    (
        # echo-pubsub-core's JedisConfig needs redis.enabled (echo.yml defaults it to false)
        "redis for pub/sub",
        "services: {echo: {redis: {url: 'redis://echo-redis.internal:6379'}}}\n",
        {"redis": {"enabled": True, "connection": "redis://echo-redis.internal:6379"}},
    ),
    (
        "redis given but switched off",
        "services: {echo: {redis: {url: 'redis://echo-redis.internal:6379', enabled: false}}}\n",
        {"redis": {"enabled": False}},
    ),
    (
        "microsoft teams passes through",
        "notifications: {microsoftteams: {enabled: true}, email: {enabled: false}}\n",
        {"microsoftteams": {"enabled": True}, "mail": {"enabled": False}},
    ),
    (
        "scheduler on sql",
        SQL,
        {
            "scheduler": {"enabled": True, "cron": {"timezone": "Europe/Berlin"}},
            "sql": {
                "enabled": True,
                "connectionPools": {
                    "default": {
                        "default": True,
                        "jdbcUrl": "jdbc:mysql://db.internal:3306/echo",
                        "user": "echo_service",
                        "password": "${SPINCONF_SECRET_ECHO_DB}",
                    }
                },
                "migration": {
                    "jdbcUrl": "jdbc:mysql://db.internal:3306/echo",
                    "user": "echo_migrate",
                    "password": "${SPINCONF_SECRET_ECHO_DB}",
                },
            },
        },
    ),
]


@pytest.mark.parametrize(("overlay", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_echo_profile(tmp_path: Path, overlay: str, want: dict[str, Any]) -> None:
    assert contains(want, echo_yml(tmp_path, overlay)) == []


def test_no_sql_without_services_echo_sql(tmp_path: Path) -> None:
    doc = echo_yml(tmp_path, "timezone: Europe/Berlin\n")
    assert "sql" not in doc and "redis" not in doc and "mail" not in doc
    assert doc["scheduler"] == {"cron": {"timezone": "Europe/Berlin"}}


def test_release_from_versions_txt(tmp_path: Path) -> None:
    assert echo_yml(tmp_path, "", versions_txt="1.36.1\n")["stats"]["spinnakerVersion"] == "1.36.1"
