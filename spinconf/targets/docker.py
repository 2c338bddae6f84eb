"""A Dockerfile per enabled service that bakes its config into the upstream image."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered
    from spinconf.services.context import RenderContext


def files(project: Project, ctx: RenderContext, rendered: Rendered) -> None:
    """Add ``services/<svc>/Dockerfile`` (and the files it copies) to ``rendered.files``."""
