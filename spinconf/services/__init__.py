"""One module per rendered service file; each has ``profile(ctx) -> dict``, pure and I/O-free.

A module turns the typed config into the document its service reads, with the
property keys that service's source reads (cited in the module). References to
secrets and environment variables stay objects here; the renderer turns them
into ``${...}`` placeholders and collects what each service needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from spinconf.services.context import RenderContext

Profile = Callable[[RenderContext], dict[str, Any]]


def profile_builder(name: str) -> Profile:
    """The ``profile`` function of ``spinconf.services.<name>`` (a Java service or ``spinnaker``)."""
    module = importlib.import_module(f"spinconf.services.{name}")
    fn: Profile = module.profile
    return fn
