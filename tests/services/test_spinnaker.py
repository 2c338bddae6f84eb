"""spinnaker.yml: every service's endpoint and enabled flag, from the topology; the time zone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spinconf.loader import load_project
from spinconf.render import context_of
from spinconf.services.spinnaker import profile
from tests.helpers import make_project, render_ok, service_doc

ALL = ("clouddriver", "deck", "echo", "fiat", "front50", "gate", "igor", "kayenta", "keel", "orca", "rosco")


def shared(tmp_path: Path, overlay: str) -> Any:
    root = make_project(tmp_path / "p", {"overlays/main.yml": f"version: 2025.2.0\n{overlay}"})
    _, rendered = render_ok(root)
    doc = service_doc(rendered, "orca", "spinnaker.yml")
    assert service_doc(rendered, "gate", "spinnaker.yml") == doc  # one file for every service
    return doc


def test_defaults_are_localhost_and_optional_services_off(tmp_path: Path) -> None:
    services = shared(tmp_path, "")["services"]
    assert set(services) == set(ALL)
    assert services["clouddriver"] == {
        "baseUrl": "http://localhost:7002",
        "enabled": True,
        "host": "0.0.0.0",
        "port": 7002,
    }
    assert {s for s in ALL if not services[s]["enabled"]} == {"fiat", "kayenta", "keel", "igor"}


@pytest.mark.parametrize(
    ("overlay", "svc"),
    [
        ("security: {authz: {enabled: true}}", "fiat"),
        ("canary: {enabled: true}", "kayenta"),
        ("managedDelivery: {enabled: true}", "keel"),
        ("ci: {jenkins: {enabled: true, masters: [{name: j, address: 'https://jenkins.example.com'}]}}", "igor"),
    ],
)
def test_optional_services_follow_their_feature(tmp_path: Path, overlay: str, svc: str) -> None:
    assert shared(tmp_path, overlay + "\n")["services"][svc]["enabled"] is True


def test_service_settings_and_base_url_overrides(tmp_path: Path) -> None:
    overlay = """
timezone: Europe/Paris
security:
  apiSecurity: {overrideBaseUrl: "https://api.example.com"}
  uiSecurity: {overrideBaseUrl: "https://spinnaker.example.com"}
services:
  echo: {enabled: false}
  rosco: {port: 8187, baseUrl: "http://rosco.internal:8187"}
"""
    doc = shared(tmp_path, overlay)
    assert doc["global"] == {"spinnaker": {"timezone": "Europe/Paris"}}
    services = doc["services"]
    assert services["gate"]["baseUrl"] == "https://api.example.com"
    assert services["deck"]["baseUrl"] == "https://spinnaker.example.com"
    assert services["echo"]["enabled"] is False
    assert services["rosco"] == {
        "baseUrl": "http://rosco.internal:8187",
        "enabled": True,
        "host": "0.0.0.0",
        "port": 8187,
    }
    assert "redis" not in services  # a redis URL may carry a password: it stays in each service's own file


def test_ecs_service_url_template_names_each_service(tmp_path: Path) -> None:
    overlay = """
ecs:
  region: eu-west-1
  serviceUrl: "http://{service}.spinnaker.internal:{port}"
"""
    root = make_project(tmp_path / "p", {"overlays/main.yml": f"version: 2025.2.0\n{overlay}"})
    project = load_project(root)
    assert project.config is not None
    ctx = context_of(project)
    assert profile(ctx)["services"]["orca"]["baseUrl"] == "http://orca.spinnaker.internal:8083"
