"""Rules: general."""

from __future__ import annotations
