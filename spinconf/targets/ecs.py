"""The ECS Fargate target: task definitions, container definitions, service definitions, IAM."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered
    from spinconf.services.context import RenderContext


def files(project: Project, ctx: RenderContext, rendered: Rendered) -> None:
    """Add ``ecs/<svc>.*.json`` and ``iam/<svc>.*.json`` for every enabled service."""
