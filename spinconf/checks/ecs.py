"""Rules: ecs."""

from __future__ import annotations
