"""Secrets and runtime references (SPEC section 3)."""

from __future__ import annotations
