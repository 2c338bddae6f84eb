"""Diagnostics: one record per problem, collected as values and printed by a reporter."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from spinconf.yamlio import Origin

# C0 and C1 controls and the Unicode line and paragraph separators: a file name from a pull request
# may hold them, and a line break would let it start a line of its own (a CI log reads
# `::error ...` at the start of a line as a command)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` on one line: control characters shown as ``\\xNN`` / ``\\uNNNN`` escapes."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


# GitHub's runner reads `::name::` only at the start of a line (after blanks), but the legacy
# `##[name]` form anywhere in it (actions/runner, src/Runner.Worker/ActionCommand.cs: TryParseV2
# trims and anchors, TryParse looks for the prefix with IndexOf)
_LEGACY_COMMAND = "##["


def safe_line(text: str) -> str:
    """One output line that no CI runner reads as a workflow command (``::name ...::`` or ``##[name]``)."""
    text = printable(text).replace(_LEGACY_COMMAND, "##\\x5b")
    return "./" + text if text.lstrip().startswith("::") else text


def safe_json(doc: Any) -> str:
    """JSON text of ``doc`` (control characters escaped by json) in which no ``##[`` appears: the
    same strings once parsed, ``[`` written as its JSON escape."""
    return json.dumps(doc, indent=2).replace(_LEGACY_COMMAND, "##\\u005b") + "\n"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at a place: ``file:line:col: severity: message [code]``."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    key: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        return safe_line(f"{self.file}:{self.line}:{self.column}: {self.severity.value}: {self.message} [{self.code}]")

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "key": self.key,
        }


# `scheme://user:password@`: diagnostics reach terminals and CI logs (SPEC section 9)
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:)([^/@\s]+)(@)")


@dataclass
class Diagnostics:
    """The problems of one run, in the order found; sorted for output."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        origin: Origin,
        code: str,
        message: str,
        *,
        key: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        message = _URL_PASSWORD.sub(r"\1***\3", message)  # a rule that quotes a URL never prints its password
        self.items.append(Diagnostic(origin.file, origin.line, origin.column, severity, code, message, key))

    def error(self, origin: Origin, code: str, message: str, key: str = "") -> None:
        self.add(origin, code, message, key=key)

    def warning(self, origin: Origin, code: str, message: str, key: str = "") -> None:
        self.add(origin, code, message, key=key, severity=Severity.WARNING)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=_sort_key)

    def __iter__(self) -> Any:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line, d.column, d.code, d.message)


# ---- reporters ------------------------------------------------------------------------------

Reporter = Callable[[list[Diagnostic]], str]


def report_text(diags: list[Diagnostic]) -> str:
    return "".join(d.text() + "\n" for d in diags)


def report_json(diags: list[Diagnostic]) -> str:
    return safe_json({"diagnostics": [d.as_dict() for d in diags]})


def _gh_escape(text: str, prop: bool = False) -> str:
    # GitHub's own escaping (actions/toolkit, packages/core/src/command.ts: escapeData, escapeProperty);
    # other control characters cannot end the command, but are shown escaped rather than raw
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    # the line is a `::` command, which the runner parses first; `##[` is shown escaped all the same
    return printable(text).replace(_LEGACY_COMMAND, "##%5B")


def report_github(diags: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: annotations on the changed files."""
    out = []
    for d in diags:
        kind = "error" if d.is_error else "warning"
        props = f"file={_gh_escape(d.file, True)},line={d.line},col={d.column},title={_gh_escape(d.code, True)}"
        out.append(f"::{kind} {props}::{_gh_escape(d.message)}\n")
    return "".join(out)


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report_sarif(diags: list[Diagnostic]) -> str:
    """SARIF 2.1.0, for code-scanning uploads."""
    from spinconf import __version__

    rules = sorted({d.code for d in diags})
    results = []
    for d in diags:
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": rules.index(d.code),
                "level": "error" if d.is_error else "warning",
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": d.file, "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
                        },
                        **({"logicalLocations": [{"fullyQualifiedName": d.key}]} if d.key else {}),
                    }
                ],
            }
        )
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "spinconf",
                        "version": __version__,
                        "informationUri": "https://github.com/spinconf/spinconf",
                        "rules": [{"id": r, "shortDescription": {"text": r}} for r in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return safe_json(doc)


REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "sarif": report_sarif,
}
