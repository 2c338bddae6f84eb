"""deck's settings.js: the browser's ``window.spinnakerSettings``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinconf.loader import Project
    from spinconf.render import Rendered
    from spinconf.services.context import RenderContext


def files(project: Project, ctx: RenderContext, rendered: Rendered) -> None:
    """Add ``services/deck/settings.js`` (and ``settings-local.js``) when deck is enabled."""
