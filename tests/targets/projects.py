"""Overlay projects for the target tests: a Fargate installation and variations of it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinconf.render import Rendered

ECS = """
ecs:
  region: eu-west-1
  executionRoleArn: arn:aws:iam::123456789012:role/spinnaker-execution
  taskRoleArn: arn:aws:iam::123456789012:role/spinnaker-task
  imageRepository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/spinnaker
  serviceUrl: http://{service}.spinnaker.internal:{port}
  network:
    subnets: [subnet-0a, subnet-0b]
    securityGroups: [sg-01]
  environment:
    TZ: UTC
"""

# gate ends TLS itself with a keystore and a truststore: kork then opens the x509 connector
# (default.apiPort) beside 8084. Goes after a `security:` line that holds `authn.x509`.
GATE_TLS = """\
  apiSecurity:
    ssl:
      enabled: true
      keyStore: /opt/spinnaker/certs/gate.p12
      keyStorePassword: {secret: gate-keystore-password}
      trustStore: /opt/spinnaker/certs/ca.p12
      trustStorePassword: {secret: gate-keystore-password}
secrets:
  gate-keystore-password: {ssm: /spinnaker/gate-keystore-password}
"""

STORES = """
security:
  apiSecurity:
    overrideBaseUrl: https://api.spinnaker.example.com
  uiSecurity:
    overrideBaseUrl: https://spinnaker.example.com
services:
  clouddriver:
    redis: {url: 'redis://clouddriver-redis.internal:6379'}
  orca:
    redis: {url: 'redis://orca-redis.internal:6379'}
  gate:
    redis: {url: 'redis://gate-redis.internal:6379'}
  rosco:
    redis: {url: 'redis://gate-redis.internal:6379'}
persistentStorage:
  s3: {enabled: true, bucket: spinnaker-front50, region: eu-west-1}
"""


def fargate(version: str = "1.30.1", extra: dict[str, str] | None = None) -> dict[str, str]:
    files = {"overlays/ecs.yml": ECS, "overlays/stores.yml": STORES, "versions.txt": version + "\n"}
    files.update(extra or {})
    return files


def taskdef(rendered: Rendered, svc: str) -> dict[str, Any]:
    """``ecs/<svc>.taskdef.json`` as rendered."""
    doc: dict[str, Any] = json.loads(rendered.files[f"ecs/{svc}.taskdef.json"])
    return doc


def containers(rendered: Rendered, svc: str) -> dict[str, dict[str, Any]]:
    """The task's containers by name: the service's own and its sidecars."""
    return {c["name"]: c for c in taskdef(rendered, svc)["containerDefinitions"]}


def env(container: dict[str, Any]) -> dict[str, str]:
    """A container's plain environment variables."""
    return {e["name"]: e["value"] for e in container["environment"]}
