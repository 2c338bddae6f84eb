"""Writing YAML for Spring: deterministic block style that any YAML 1.1 reader reads back exactly.

Spring reads its YAML with SnakeYAML (YAML 1.1), so a string is written plain only when a
YAML 1.1 reader cannot take it for anything else; otherwise it is double-quoted with JSON's
escapes, which are valid YAML. Written by hand because PyYAML's representer walks every value
in Python and was the slowest stage of a render with thousands of accounts.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./@+:=-]*(?: [A-Za-z0-9_./@+(),=-][A-Za-z0-9_./@+(),:=-]*)*")
_YAML11_WORDS = frozenset(
    ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".nan", ".inf", "-.inf", "+.inf"]
)
_NUMBERISH = re.compile(r"[-+]?(\.?[0-9]|\.(inf|nan))", re.IGNORECASE)


def _key(key: Any) -> str:
    return scalar_text(key if isinstance(key, str) else str(key))


_TEXT_CACHE: dict[str, str] = {}


def scalar_text(value: Any) -> str:
    if isinstance(value, str):
        cached = _TEXT_CACHE.get(value)
        if cached is not None:
            return cached
        text = _str_text(value)
        if len(_TEXT_CACHE) < 200_000:  # names, regions, flags repeat across thousands of accounts
            _TEXT_CACHE[value] = text
        return text
    return _other_text(value)


def _str_text(value: str) -> str:
    if (
        _PLAIN.fullmatch(value)
        and value.lower() not in _YAML11_WORDS
        and not _NUMBERISH.match(value)
        and ": " not in value
        and not value.endswith(":")
    ):
        return value
    return _quote(value)


def _other_text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        # YAML 1.1 floats need a dot: 1e-05 would read back as a string
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    raise TypeError(f"cannot write {type(value).__name__} to YAML")


def _quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes, plus YAML's for characters that may not appear raw."""
    quoted = json.dumps(text, ensure_ascii=False)
    if quoted.isprintable():
        return quoted
    return "".join(
        c if c.isprintable() else (f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}") for c in quoted
    )


def _emit(value: Any, indent: str, out: list[str], lead: str | None = None) -> None:
    """Append the block-style lines of a mapping or list at ``indent``; ``lead`` starts the first line
    instead of ``indent`` when the collection is itself a list item (``- key: value``)."""
    # the hot loop of every render: local names and exact type checks, cached scalar texts
    first = lead if lead is not None else indent
    append = out.append
    cache = _TEXT_CACHE
    if isinstance(value, dict):
        for k, v in value.items():
            key = cache.get(k) if type(k) is str else None
            head = f"{first}{key if key is not None else _key(k)}:"
            first = indent
            kind = type(v)
            if (kind is dict or kind is list or (kind is not str and isinstance(v, dict | list))) and v:
                append(head + "\n")
                # lists sit at their key's indentation, as Spring's own examples do
                _emit(v, indent + "  " if isinstance(v, dict) else indent, out)
            else:
                text = cache.get(v) if kind is str else None
                append(f"{head} {text if text is not None else _inline(v)}\n")
        return
    for item in value:
        kind = type(item)
        if (kind is dict or kind is list or (kind is not str and isinstance(item, dict | list))) and item:
            _emit(item, indent + "  ", out, lead=f"{first}- ")
        else:
            text = cache.get(item) if kind is str else None
            append(f"{first}- {text if text is not None else _inline(item)}\n")
        first = indent


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar_text(value)


def dump(data: Any) -> str:
    """Deterministic block YAML: keys in document order (never sorted), no aliases, no flow style."""
    if isinstance(data, dict | list) and data:
        out: list[str] = []
        _emit(data, "", out)
        return "".join(out)
    return _inline(data) + "\n"
