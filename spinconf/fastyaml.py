"""A fast reader for the plain block YAML that overlay files are made of, with positions.

Overlay files are almost always block mappings and sequences of one-line scalars. This
reader handles exactly that subset line by line, several times faster than composing a
node graph with libyaml and building data from it, which matters for projects with
thousands of accounts. Anything outside the subset (anchors, tags, block scalars,
multi-line flow collections, escapes, duplicate keys, errors of any kind) raises
:class:`Unsupported`, and the caller reads the file with the full YAML path instead, which
also produces the diagnostics. So this reader never decides that a file is wrong.

Scalars are typed with PyYAML's own YAML 1.1 resolver table, the rules Spring's SnakeYAML
follows too; tests compare this reader with the full path on generated documents.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.resolver import Resolver

from spinconf.yamlio import Document, Limits, Origin, Positions, typed_scalar, written_as_python_would

_RESOLVERS = Resolver.yaml_implicit_resolvers
_FLOW_PLAIN = re.compile(r"[^\s\[\]{},'\"#&*!|>%@`][^\[\]{},'\"#]*")
_INDICATORS = frozenset("&*!|>%@`?,[]{}#'\"")


_new_tuple = tuple.__new__


class Unsupported(Exception):  # noqa: N818 - a signal, not an error
    """The text uses YAML outside the fast subset: read it with the full parser."""


_RESOLVED: dict[str, Any] = {}


def _resolve(text: str) -> Any:
    # the same few hundred texts (regions, flags, team names) recur across thousands of accounts
    try:
        return _RESOLVED[text]
    except KeyError:
        pass
    value: Any = text
    if text == "":
        value = None
    else:
        for tag, regexp in _RESOLVERS.get(text[0], []):
            if regexp.match(text):
                try:
                    value = typed_scalar(tag, text)
                except ValueError:
                    raise Unsupported from None  # a malformed number: the full reader reports it
                if not written_as_python_would(value, text):
                    raise Unsupported  # 0123, 1:20, 1.10: the full reader notes where (Document.numbers)
                break
    if len(_RESOLVED) < 100_000:
        _RESOLVED[text] = value
    return value


def _plain(text: str) -> Any:
    """A one-line plain scalar (comment already removed)."""
    if text[0] in _INDICATORS or text.startswith(("- ", ": ")) or text in ("-", ":"):
        raise Unsupported
    if ": " in text or text.endswith(":") or " #" in text or "\t" in text:
        raise Unsupported
    return _resolve(text)


def _strip_comment(text: str) -> str:
    cut = text.find(" #")
    return (text[:cut] if cut >= 0 else text).rstrip(" ")


def _quoted(text: str) -> tuple[str, str]:
    """A quoted scalar at the start of ``text``; returns it and what follows."""
    q = text[0]
    if q == '"':
        end = text.find('"', 1)
        if end < 0 or "\\" in text[1:end]:
            raise Unsupported
        return text[1:end], text[end + 1 :]
    i = 1
    while True:
        end = text.find("'", i)
        if end < 0:
            raise Unsupported
        if text[end + 1 : end + 2] == "'":
            i = end + 2
            continue
        return text[1:end].replace("''", "'"), text[end + 1 :]


class _Reader:
    def __init__(self, text: str, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.positions: Positions = {}
        # (line number, indent, content) of every line that carries content
        self.lines: list[tuple[int, int, str]] = []
        for number, raw in enumerate(text.split("\n"), 1):
            content = raw.lstrip(" ")
            if not content or content[0] == "#":
                if "\t" in raw and content.strip(" \t") and content[0] != "#":
                    raise Unsupported
                continue
            if raw.endswith("\r") or "\t" in raw[: len(raw) - len(content) + 1]:
                raise Unsupported
            if content[0] in "%\t" or (raw.startswith(("---", "...")) and raw[3:4] in ("", " ")):
                raise Unsupported
            self.lines.append((number, len(raw) - len(content), content.rstrip(" ")))

    def origin(self, line: int, col0: int) -> Origin:
        # tuple.__new__ skips NamedTuple's Python-level constructor: one Origin per key adds up
        return _new_tuple(Origin, (self.file, line, col0 + 1))

    def document(self) -> tuple[Any, Origin | None]:
        if not self.lines:
            return None, None
        number, indent, _content = self.lines[0]
        if indent != 0:
            raise Unsupported
        value, nxt = self.block(0, 0, 0)
        if nxt != len(self.lines):
            raise Unsupported
        return value, self.origin(number, 0)

    def block(self, i: int, indent: int, depth: int) -> tuple[Any, int]:
        if depth > self.limits.max_depth:
            raise Unsupported
        content = self.lines[i][2]
        if content == "-" or content.startswith("- "):
            return self.sequence(i, indent, depth)
        return self.mapping(i, indent, None, depth)

    def sequence(self, i: int, indent: int, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        pos: dict[Any, Origin] = {}
        self.positions[id(items)] = pos
        n = len(self.lines)
        while i < n:
            number, ind, content = self.lines[i]
            if ind != indent or not (content == "-" or content.startswith("- ")):
                break
            rest = content[1:]
            if not rest:
                value, i = self.nested(i, indent, depth, allow_same_indent_seq=False)
                if value is None:
                    raise Unsupported  # an empty item: its position is the full reader's business
                items.append(value)
                pos[len(items) - 1] = self.last_origin
                continue
            stripped = rest.lstrip(" ")
            col = indent + 1 + (len(rest) - len(stripped))
            if stripped.startswith(("- ", "-\n")) or stripped == "-":
                raise Unsupported
            if self.is_entry(stripped):
                value, i = self.mapping(i, col, (number, stripped), depth + 1)
            else:
                value = self.scalar(stripped, number, col)
                i += 1
                if i < n and self.lines[i][1] > indent:
                    raise Unsupported  # a multi-line scalar
            items.append(value)
            pos[len(items) - 1] = self.origin(number, col)
        return items, i

    last_origin: Origin = Origin("", 1, 1)

    def nested(self, i: int, indent: int, depth: int, allow_same_indent_seq: bool) -> tuple[Any, int]:
        """The value below an entry with nothing after its colon or dash: a block, or null."""
        n = len(self.lines)
        if i + 1 < n:
            number, ind, content = self.lines[i + 1]
            is_seq = content == "-" or content.startswith("- ")
            if ind > indent or (allow_same_indent_seq and ind == indent and is_seq):
                self.last_origin = self.origin(number, ind)
                return self.block(i + 1, ind, depth + 1)
        return None, i + 1

    @staticmethod
    def is_entry(text: str) -> bool:
        if text[0] in "'\"":
            try:
                _, rest = _quoted(text)
            except Unsupported:
                return False
            return rest == ":" or rest.startswith(": ")
        return ": " in text or text.endswith(":")

    def mapping(self, i: int, indent: int, first: tuple[int, str] | None, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        pos: dict[Any, Origin] = {}
        self.positions[id(out)] = pos
        n = len(self.lines)
        while i < n:
            if first is not None:
                number, content = first
                first = None
            else:
                number, ind, content = self.lines[i]
                if ind != indent:
                    if ind > indent:
                        raise Unsupported
                    break
                if content == "-" or content.startswith("- "):
                    break
            key, value_text = self.entry(content)
            if key in out or key == "<<":
                raise Unsupported  # duplicates and merge keys: the full reader reports or handles them
            pos[key] = self.origin(number, indent)
            if value_text:
                col = indent + len(content) - len(value_text)
                out[key] = self.scalar(value_text, number, col)
                i += 1
                if i < n and self.lines[i][1] > indent:
                    raise Unsupported  # a multi-line scalar
            else:
                out[key], i = self.nested(i, indent, depth, allow_same_indent_seq=True)
        return out, i

    @staticmethod
    def entry(content: str) -> tuple[str, str]:
        """Split ``key: value`` (value may be empty); raises Unsupported for anything else."""
        if content[0] in "'\"":
            key, rest = _quoted(content)
            if not (rest == ":" or rest.startswith(": ")):
                raise Unsupported
            return key, rest[1:].lstrip(" ")
        if content[0] in _INDICATORS or content.startswith(("- ", "? ", ": ")):
            raise Unsupported
        cut = content.find(": ")
        if cut < 0:
            if not content.endswith(":"):
                raise Unsupported
            cut = len(content) - 1
        key_text = content[:cut]
        if key_text != key_text.rstrip(" ") or " #" in key_text or "\t" in key_text:
            raise Unsupported
        key = _resolve(key_text)
        if not isinstance(key, str):
            key = key_text  # the full reader also keeps non-text keys as written
        return key, content[cut + 1 :].lstrip(" ")

    def scalar(self, text: str, line: int, col: int) -> Any:
        first = text[0]
        if first in "'\"":
            value, rest = _quoted(text)
            rest = rest.lstrip(" ")
            if rest and not rest.startswith("#"):
                raise Unsupported
            return value
        if first == "[":
            return self.flow_list(_strip_comment(text), line, col)
        if first == "{":
            return self.flow_map(_strip_comment(text), line, col)
        return _plain(_strip_comment(text))

    @staticmethod
    def flow_parts(text: str, close: str, col: int) -> list[tuple[str, int]]:
        """The comma-separated entries of a one-line flow collection, each with its 0-based column."""
        if not text.endswith(close):
            raise Unsupported
        inner = text[1:-1]
        if not inner.strip(" "):
            return []
        parts = []
        offset = col + 1
        for part in inner.split(","):
            entry = part.strip(" ")
            if not entry:
                raise Unsupported
            parts.append((entry, offset + len(part) - len(part.lstrip(" "))))
            offset += len(part) + 1
        return parts

    def flow_list(self, text: str, line: int, col: int) -> list[Any]:
        items: list[Any] = []
        pos: dict[Any, Origin] = {}
        self.positions[id(items)] = pos
        for item, at in self.flow_parts(text, "]", col):
            if not _FLOW_PLAIN.fullmatch(item) or ": " in item or item.endswith(":"):
                raise Unsupported
            pos[len(items)] = self.origin(line, at)
            items.append(_resolve(item))
        return items

    def flow_map(self, text: str, line: int, col: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        pos: dict[Any, Origin] = {}
        self.positions[id(out)] = pos
        for entry, at in self.flow_parts(text, "}", col):
            key_text, sep, value_text = entry.partition(": ")
            key_text, value_text = key_text.strip(" "), value_text.strip(" ")
            if not sep or not _FLOW_PLAIN.fullmatch(key_text) or key_text in out:
                raise Unsupported
            if not value_text or not _FLOW_PLAIN.fullmatch(value_text) or ": " in value_text:
                raise Unsupported
            key = _resolve(key_text)
            if not isinstance(key, str):
                key = key_text
            pos[key] = self.origin(line, at)
            out[key] = _resolve(value_text)
        return out


def read(text: str, file: str, limits: Limits) -> Document:
    """Read ``text`` if it is in the fast subset; raises :class:`Unsupported` otherwise."""
    reader = _Reader(text, file, limits)
    data, origin = reader.document()
    return Document(file, data, reader.positions if data is not None else {}, origin or Origin(file, 1, 1))
