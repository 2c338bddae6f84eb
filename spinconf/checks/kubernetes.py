"""Rules: kubernetes."""

from __future__ import annotations
