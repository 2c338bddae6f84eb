"""JavaScript for the browser: object literals that mean exactly the data they were built from.

kleat pasted JSON into a single-quoted string handed to ``JSON.parse``: a quote, a
backslash or a newline in any value broke the file, and ``</script>`` in a value could
end an inline script. Here every value is written as a JavaScript literal of its own:

- strings are double-quoted and ASCII-only: ``"`` and ``\\`` escaped, control characters,
  U+2028/U+2029 (line terminators inside string literals before ES2019), every other
  non-ASCII character and ``<``, ``>``, ``&`` as ``\\uXXXX``; so ``</script>`` and
  ``<!--`` cannot close or open anything, and the file's encoding does not matter;
- ``${...}`` and ``{%...%}`` are plain text inside a double-quoted literal (nothing
  interpolates them);
- the key ``__proto__`` is written as a computed key (``["__proto__"]``), which creates
  an own property instead of replacing the object's prototype;
- numbers that JSON cannot spell (NaN, Infinity) get their JavaScript names.

:func:`syntax_problem` asks node whether a script parses, for ``settings-local.js``.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_PLAIN = re.compile(r"[ !#-%'-;=?-\[\]-~]*")  # printable ASCII except " & < > \


def string(text: str) -> str:
    """A double-quoted JavaScript string literal that evaluates to exactly ``text``."""
    out = ['"']
    pos = 0
    while pos < len(text):
        plain = _PLAIN.match(text, pos)
        if plain and plain.end() > pos:
            out.append(plain.group())
            pos = plain.end()
            continue
        ch = text[pos]
        pos += 1
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
            continue
        code = ord(ch)
        if code > 0xFFFF:  # astral characters as a UTF-16 surrogate pair, as JavaScript strings hold them
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


def _key(key: Any) -> str:
    text = key if isinstance(key, str) else _scalar_key(key)
    if text == "__proto__":
        return '["__proto__"]'
    return text if _IDENTIFIER.match(text) else string(text)


def _scalar_key(key: Any) -> str:
    # JavaScript property names are strings; YAML may give ints, booleans or null as keys
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 and math.copysign(1.0, value) < 0:
        return "-0"
    return repr(value)


def literal(value: Any, indent: int = 0) -> str:
    """``value`` (dicts, lists, str, int, float, bool, None) as a JavaScript expression, two-space indented.

    Anything else (a reference object above all) is a programming error: it raises
    ``TypeError`` rather than be written into a file a browser downloads.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return string(value)
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{_key(k)}: {literal(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + ",\n" + end + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [f"{pad}{literal(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + ",\n" + end + "]"
    raise TypeError(f"no JavaScript literal for a {type(value).__name__}")


def assignment(target: str, value: Any) -> str:
    """``<target> = <literal>;`` and a newline (target is code, e.g. ``window.spinnakerSettings``)."""
    return f"{target} = {literal(value)};\n"


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a script fails to parse (1-based line and column) and node's message."""

    line: int
    column: int
    message: str


# Parse the script as a browser loads a <script src>: a classic script, not a module or a
# CommonJS function body. V8 puts the position in the first lines of the stack.
_CHECK = r"""
const vm = require('vm');
const src = require('fs').readFileSync(0, 'utf8');
try { new vm.Script(src, { filename: 'script.js' }); process.stdout.write('null'); }
catch (e) {
  const lines = String(e.stack || '').split('\n');
  const m = /^script\.js:(\d+)$/.exec(lines[0] || '');
  const caret = (lines[2] || '').indexOf('^');
  process.stdout.write(JSON.stringify({
    line: m ? Number(m[1]) : 1, column: caret >= 0 ? caret + 1 : 1, message: String(e.name) + ': ' + String(e.message),
  }));
}
"""


def node_available() -> bool:
    return shutil.which("node") is not None


def syntax_problem(source: str, timeout: float = 30.0) -> SyntaxProblem | None:
    """The first syntax error of ``source`` as a classic browser script, or None when it parses.

    Raises ``OSError`` when node cannot be run (callers check :func:`node_available` first).
    """
    node = shutil.which("node")
    if node is None:
        raise OSError("node is not on PATH")
    try:
        proc = subprocess.run(  # noqa: S603 - fixed program and script; the source goes to stdin
            [node, "-e", _CHECK], input=source, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise OSError("node did not answer in time") from exc
    if proc.returncode != 0:
        raise OSError(f"node failed: {proc.stderr.strip()[:200]}")
    found = json.loads(proc.stdout or "null")
    if found is None:
        return None
    return SyntaxProblem(int(found["line"]), int(found["column"]), str(found["message"]))
