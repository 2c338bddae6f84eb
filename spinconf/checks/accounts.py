"""Rules: accounts."""

from __future__ import annotations
