"""Rules: scaling."""

from __future__ import annotations
