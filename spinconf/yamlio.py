"""YAML in and out.

Loading goes through libyaml's composer (PyYAML's C binding): it is several times
faster than a pure-Python parser and still gives every node's line and column.
We build plain dicts/lists ourselves from the node graph, which is where the
safety limits live: duplicate keys, unknown tags, alias expansion and nesting
depth are all diagnosed here, at the file and line, instead of crashing later.

Positions are kept beside the data, not inside it: ``Positions`` maps
``id(container)`` to ``{key or index: Origin}``. Containers move between trees
when overlays merge, and their positions move with them at no cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

try:  # libyaml is present in every PyYAML wheel; the fallback keeps source installs working
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class Origin(NamedTuple):
    """Where a value was written: file relative to the project root, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


Positions = dict[int, dict[Any, Origin]]


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting the machine."""

    max_file_bytes: int = 8 * 1024 * 1024
    max_total_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 2_000_000  # after alias expansion


DEFAULT_LIMITS = Limits()


class YamlError(Exception):
    """A file that cannot be turned into data; carries the position and a diagnostic code."""

    def __init__(self, message: str, line: int = 1, column: int = 1, code: str = "yaml-syntax") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.code = code


@dataclass
class Document:
    """One loaded file: its data (``None`` for an empty file) and the position of every entry."""

    file: str
    data: Any
    positions: Positions
    origin: Origin
    # plain numbers whose text is not how Python writes their value (octal 0123, base-60 1:20, 1.10, 1e3),
    # as {id(container): {key or index: text}}: where the model wants text they are almost surely a mistake
    numbers: dict[int, dict[Any, str]] = field(default_factory=dict)


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"

_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}


def _scalar(node: yaml.ScalarNode) -> Any:
    try:
        return typed_scalar(node.tag, node.value)
    except KeyError:
        raise YamlError(
            f"unsupported YAML tag {node.tag!r}: write plain values",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "yaml-tag",
        ) from None
    except ValueError:
        # YAML 1.1 calls `0x_` and `0b_` numbers that have no digits, and Python refuses to read an
        # integer of more than 4,300 digits: neither is a value anyone meant, so say where it is
        shown = node.value if len(node.value) <= 40 else f"{node.value[:20]}... ({len(node.value)} characters)"
        raise YamlError(
            f"{shown!r} is not a number spinconf can read: quote it if it is text",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "yaml-number",
        ) from None


def typed_scalar(tag: str, value: str) -> Any:
    """The value of a scalar the YAML 1.1 resolver tagged ``tag``; KeyError for tags we do not read."""
    if tag in (_STR, _TIMESTAMP):
        # timestamps stay text: Spring reads them as strings anyway
        return value
    if tag == _INT:
        return _int(value)
    if tag == _BOOL:
        return _BOOLS[value.lower()]
    if tag == _NULL:
        return None
    if tag == _FLOAT:
        text = value.replace("_", "").lower()
        if text in (".inf", "+.inf"):
            return math.inf
        if text == "-.inf":
            return -math.inf
        if text == ".nan":
            return math.nan
        if ":" in text:  # YAML 1.1 sexagesimal float
            total = 0.0
            for part in text.lstrip("+-").split(":"):
                total = total * 60 + float(part)
            return -total if text.startswith("-") else total
        return float(text)
    raise KeyError(tag)


def written_as_python_would(value: Any, text: str) -> bool:
    """Whether a number's YAML text is the plain decimal form of its value (``12``, ``1.5``)."""
    return type(value) not in (int, float) or repr(value) == text


def _int(value: str) -> int:
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    if text == "0":
        return 0
    if text.startswith("0b"):
        return sign * int(text[2:], 2)
    if text.startswith("0x"):
        return sign * int(text[2:], 16)
    if text.startswith("0o"):
        return sign * int(text[2:], 8)
    if text.startswith("0"):
        return sign * int(text, 8)
    if ":" in text:  # YAML 1.1 sexagesimal
        total = 0
        for part in text.split(":"):
            total = total * 60 + int(part)
        return sign * total
    return sign * int(text)


class _Builder:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.positions: Positions = {}
        self.numbers: dict[int, dict[Any, str]] = {}
        self.nodes = 0

    def origin(self, node: yaml.Node) -> Origin:
        return Origin(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise YamlError(
                f"more than {self.limits.max_nodes} values after expanding aliases (an alias bomb?)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "yaml-limit",
            )
        if depth > self.limits.max_depth:
            raise YamlError(
                f"nesting deeper than {self.limits.max_depth} levels",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "yaml-limit",
            )
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise YamlError(f"unsupported YAML tag {node.tag!r}", *self._at(node), "yaml-tag")
            items: list[Any] = []
            pos: dict[Any, Origin] = {}
            for i, child in enumerate(node.value):
                items.append(self.build(child, depth + 1))
                pos[i] = self.origin(child)
                self.note_number(items, i, child)
            self.positions[id(items)] = pos
            return items
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        raise YamlError("unsupported YAML node", *self._at(node), "yaml-tag")  # pragma: no cover

    def note_number(self, container: dict[Any, Any] | list[Any], key: Any, node: yaml.Node) -> None:
        plain_number = isinstance(node, yaml.ScalarNode) and not node.style and node.tag in (_INT, _FLOAT)
        if plain_number and not written_as_python_would(container[key], node.value):
            self.numbers.setdefault(id(container), {})[key] = node.value

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        if node.tag != _MAP:
            raise YamlError(f"unsupported YAML tag {node.tag!r}", *self._at(node), "yaml-tag")
        out: dict[Any, Any] = {}
        pos: dict[Any, Origin] = {}
        merged: dict[Any, Any] = {}
        merged_pos: dict[Any, Origin] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.merge_key(value_node, depth, merged, merged_pos)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("a mapping key must be a plain value", *self._at(key_node), "yaml-key")
            key = _scalar(key_node)
            if not isinstance(key, str):
                # Spring keys are strings; `8080: x` or `true: x` are read as text, as Spring would
                key = key_node.value
            if key in out:
                first = pos[key]
                raise YamlError(
                    f"duplicate key {key!r} (first at line {first.line})", *self._at(key_node), "yaml-duplicate-key"
                )
            out[key] = self.build(value_node, depth + 1)
            pos[key] = self.origin(key_node)
            self.note_number(out, key, value_node)
        for key, value in merged.items():  # explicit keys win over `<<` merges
            if key not in out:
                out[key] = value
                pos[key] = merged_pos[key]
        self.positions[id(out)] = pos
        return out

    def merge_key(self, value_node: yaml.Node, depth: int, into: dict[Any, Any], pos: dict[Any, Origin]) -> None:
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for src in sources:
            if not isinstance(src, yaml.MappingNode):
                raise YamlError("`<<` merges only mappings", *self._at(src), "yaml-key")
            built = self.mapping(src, depth + 1)
            for k, v in built.items():
                if k not in into:
                    into[k] = v
                    pos[k] = self.positions[id(built)][k]


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text, or a YamlError at the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError("not valid UTF-8 text: save the file as UTF-8", line, col, "yaml-encoding") from None


def load(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load one YAML file from bytes. Raises YamlError for anything that is not plain data."""
    if len(raw) > limits.max_file_bytes:
        raise YamlError(f"file is {len(raw)} bytes, more than the limit of {limits.max_file_bytes}", 1, 1, "yaml-limit")
    text = decode(raw, file)
    if "\x00" in text:
        raise YamlError("file contains NUL characters: not a YAML text file", 1, 1, "yaml-encoding")
    from spinconf.fastyaml import Unsupported, read

    try:
        return read(text, file, limits)
    except Unsupported:
        # outside the fast subset (or wrong): the full reader handles it and reports problems
        return load_full(text, file, limits)


def load_full(text: str, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read any YAML text through libyaml's composer (slower; every feature, every error)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "nesting depth" in (exc.problem or ""):
            # PyYAML 6.0.4's scanner stops at 1,000 levels: spinconf's own limit (far lower) answers,
            # at the first collection past it
            raise _too_deep(text, limits) or YamlError(
                f"nesting deeper than {limits.max_depth} levels", line, col, "yaml-limit"
            ) from None
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
            problem += " (YAML indents with spaces, not tabs)"
        raise YamlError(f"YAML syntax error: {problem}", line, col, "yaml-syntax") from None
    except yaml.composer.ComposerError as exc:  # pragma: no cover - covered by MarkedYAMLError
        raise YamlError(f"YAML error: {exc}", 1, 1, "yaml-syntax") from None
    except yaml.YAMLError as exc:
        if "more than one document" in str(exc) or "expected a single document" in str(exc):
            raise YamlError("more than one YAML document in the file: split it", 1, 1, "yaml-syntax") from None
        raise YamlError(f"YAML error: {exc}", 1, 1, "yaml-syntax") from None
    except RecursionError:
        raise YamlError(f"nesting deeper than {limits.max_depth} levels", 1, 1, "yaml-limit") from None
    if node is None:
        return Document(file, None, {}, Origin(file, 1, 1))
    _check_expansion(node, limits)
    builder = _Builder(file, limits)
    try:
        data = builder.build(node, 0)
    except RecursionError:
        raise YamlError(f"nesting deeper than {limits.max_depth} levels", 1, 1, "yaml-limit") from None
    return Document(file, data, builder.positions, builder.origin(node), builder.numbers)


def _too_deep(text: str, limits: Limits) -> YamlError | None:
    """spinconf's nesting limit, at the first node past it. A node's level is the number of
    collections around it, as in :meth:`_Builder.build`.

    The parser's events stream, so they reach the limit before the library's error; but the
    scanner reads a flow collection (``[[[...``) whole first, so past the last event brackets
    are counted in the text."""
    depth, index = 0, 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.NodeEvent) and depth > limits.max_depth and event.start_mark:
                return _deep_at(text, event.start_mark.index, limits)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            index = event.end_mark.index if event.end_mark else index
    except yaml.YAMLError:
        pass
    quote = ""  # approximate (no escapes): enough to place the error in a file libyaml refused
    for i in range(index, len(text)):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            if depth > limits.max_depth:
                return _deep_at(text, i, limits)
            depth += 1
        elif ch in "]}":
            depth -= 1
    return None


def _deep_at(text: str, index: int, limits: Limits) -> YamlError:
    line = text.count("\n", 0, index) + 1
    column = index - text.rfind("\n", 0, index)
    return YamlError(f"nesting deeper than {limits.max_depth} levels", line, column, "yaml-limit")


def _check_expansion(root: yaml.Node, limits: Limits) -> None:
    """Refuse documents whose aliases would expand past the node limit, before building anything.

    Aliases are shared node objects in the composed graph, so the expanded size of each
    node is computed once (memoised by identity): linear in the file, whatever it expands to.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > limits.max_depth:
            raise YamlError(f"nesting deeper than {limits.max_depth} levels", *_at(node), "yaml-limit")
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(c, depth + 1) for c in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        sizes[id(node)] = total
        return total

    if size(root, 0) <= limits.max_nodes:
        return
    node = root  # point at the outermost entry that is too large on its own
    while True:
        children = (
            [v for _, v in node.value]
            if isinstance(node, yaml.MappingNode)
            else (node.value if isinstance(node, yaml.SequenceNode) else [])
        )
        big = next((c for c in children if sizes[id(c)] > limits.max_nodes), None)
        if big is None:
            break
        node = big
    raise YamlError(
        f"more than {limits.max_nodes} values after expanding aliases (an alias bomb?)", *_at(node), "yaml-limit"
    )


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
