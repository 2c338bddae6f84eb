"""kayenta.yml: canary integrations in kayenta's module layout, redis and port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import make_project, render_ok, service_doc

SECRETS = """
secrets:
  datadog-api-key:
    ssm: arn:aws:ssm:eu-west-1:123456789012:parameter/spinnaker/datadog-api-key
"""


def kayenta_yml(tmp_path: Path, overlay: str) -> Any:
    root = make_project(tmp_path / "p", {"overlays/main.yml": f"version: 2025.2.0\n{overlay}{SECRETS}"})
    _, rendered = render_ok(root)
    return service_doc(rendered, "kayenta")


def test_integrations_split_into_kayenta_modules(tmp_path: Path) -> None:
    overlay = """
canary:
  enabled: true
  serviceIntegrations:
    aws:
      enabled: true
      s3Enabled: true
      accounts: [{name: canary-s3, bucket: canary, region: eu-west-1, supportedTypes: [OBJECT_STORE]}]
    google:
      enabled: true
      gcsEnabled: false
      stackdriverEnabled: true
      metadataCachingIntervalMS: 60000
      accounts: [{name: sd, project: p, supportedTypes: [METRICS_STORE]}]
    datadog:
      enabled: true
      accounts: [{name: dd, apiKey: {secret: datadog-api-key}, endpoint: {baseUrl: "https://api.datadoghq.eu"}}]
services:
  kayenta:
    redis: {url: "redis://kayenta-redis.internal:6379"}
"""
    k = kayenta_yml(tmp_path, overlay)["kayenta"]
    assert k["aws"] == {
        "enabled": True,
        "accounts": [
            {"name": "canary-s3", "bucket": "canary", "region": "eu-west-1", "supportedTypes": ["OBJECT_STORE"]}
        ],
    }
    assert k["s3"] == {"enabled": True}
    assert k["gcs"] == {"enabled": False}
    assert k["stackdriver"] == {"enabled": True, "metadataCachingIntervalMS": 60000}
    assert k["google"]["accounts"][0]["project"] == "p"
    assert k["datadog"]["accounts"][0]["apiKey"] == "${SPINCONF_SECRET_DATADOG_API_KEY}"


def test_redis(tmp_path: Path) -> None:
    overlay = "canary: {enabled: true}\nservices:\n  kayenta:\n    redis: {url: 'redis://r.internal:6379'}\n"
    assert kayenta_yml(tmp_path, overlay)["redis"]["connection"] == "redis://r.internal:6379"


def test_canary_enabled_by_service_override_only(tmp_path: Path) -> None:
    # services.kayenta.enabled runs kayenta; without canary.enabled there are no integrations to write
    doc = kayenta_yml(tmp_path, "services:\n  kayenta:\n    enabled: true\n    port: 8190\n")
    assert "kayenta" not in doc
    assert doc["server"] == {"port": 8190}
