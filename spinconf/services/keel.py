"""keel's Spring profile (`keel.yml`)."""

from __future__ import annotations

from typing import Any

from spinconf.services.context import RenderContext


def profile(ctx: RenderContext) -> dict[str, Any]:
    return {}
