"""Shared bits of the secrets tests: run a project through every rule, pick diagnostics by code."""

from __future__ import annotations

from pathlib import Path

from spinconf.loader import Project, load_project
from spinconf.render import Rendered, render_project

# A complete ECS target: enough for the ECS rules to pass, so only the rule under test speaks.
ECS_BASE = """\
version: 2025.2.0
ecs:
  region: eu-west-1
  executionRoleArn: arn:aws:iam::123456789012:role/exec
  taskRoleArn: arn:aws:iam::123456789012:role/task
  logGroup: /spinnaker
  imageRepository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/spinnaker
  serviceUrl: http://{service}.spinnaker.internal:{port}
  environment:
    SHARED: x
persistentStorage:
  s3: {bucket: spin-bucket, region: eu-west-1, enabled: true}
services:
  clouddriver: {redis: {url: "redis://redis.internal:6379"}}
  orca: {redis: {url: "redis://redis.internal:6379"}}
  gate: {redis: {url: "redis://redis.internal:6379"}}
  rosco: {redis: {url: "redis://redis.internal:6379"}}
  echo: {redis: {url: "redis://redis.internal:6379"}}
security:
  apiSecurity: {overrideBaseUrl: "https://gate.example.com"}
  uiSecurity: {overrideBaseUrl: "https://spinnaker.example.com"}
"""


def run(root: Path, env: str | None = None) -> tuple[Project, Rendered | None]:
    """Load a project and, when it has a config, render it: every check and render check has spoken."""
    project = load_project(root, env)
    rendered = render_project(project) if project.config is not None else None
    return project, rendered


def found(project: Project, code: str) -> list[tuple[str, int, str]]:
    """``(file, line, severity)`` of each diagnostic with ``code``, in output order."""
    return [(d.file, d.line, d.severity.value) for d in project.diagnostics.sorted() if d.code == code]


def messages(project: Project, code: str) -> list[str]:
    return [d.message for d in project.diagnostics.sorted() if d.code == code]
