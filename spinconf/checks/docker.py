"""Rules: docker."""

from __future__ import annotations
