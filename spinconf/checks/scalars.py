"""Scalars that are almost surely wrong: a number YAML 1.1 reads differently where the model wants text.

``accountId: 012345670123`` is the octal number 1402433619 to YAML 1.1 (and to Spring's SnakeYAML),
``time: 1:20`` is 80 (base 60) and ``version: 1.10`` is 1.1; the model then turns the number into
text that is not what was written. The loader notes such numbers (``Document.numbers``); this rule
reports those that land in a text field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from spinconf.checks import check, rule
from spinconf.diagnostics import Severity
from spinconf.yamlio import written_as_python_would

if TYPE_CHECKING:
    from spinconf.loader import Project

NUMBER_AS_TEXT = rule(
    "yaml-number-as-text",
    Severity.WARNING,
    "a text value written as a number YAML 1.1 reads otherwise (octal 0123, base-60 1:20, 1.10): quote it",
)

_MISSING = object()


def _at(config: Any, path: tuple[Any, ...]) -> Any:
    """The validated value at ``path`` of the merged tree (YAML names), or _MISSING."""
    node = config
    for part in path:
        if isinstance(node, BaseModel):
            fields = type(node).model_fields
            name = next((n for n, f in fields.items() if (f.alias or n) == part), None)
            node = getattr(node, name, _MISSING) if name is not None else _MISSING
        elif isinstance(node, dict):
            node = node.get(part, _MISSING)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return _MISSING
    return node


def _reading(text: str) -> str:
    digits = text.lstrip("+-")
    if ":" in digits:
        return "a base-60 number"
    if digits[:1] == "0" and digits[1:2].isdigit():
        return "an octal number"
    return "a number"


@check
def numbers_read_as_text(project: Project) -> None:
    noted: dict[int, dict[Any, str]] = {}
    root = id(project.tree.data)
    for layer in project.documents:
        for doc in layer:
            for container, keys in doc.numbers.items():
                # a document's top level is merged into the tree's own top-level mapping
                noted.setdefault(root if container == id(doc.data) else container, {}).update(keys)
    if not noted or project.config is None:
        return  # the usual case: nothing to walk
    stack: list[tuple[Any, tuple[Any, ...]]] = [(project.tree.data, ())]
    while stack:
        node, path = stack.pop()
        for key, text in noted.get(id(node), {}).items():
            try:
                written = node[key]
            except (KeyError, IndexError, TypeError):
                continue
            if written_as_python_would(written, text):
                continue  # another file's value won the merge
            value = _at(project.config, (*path, key))
            if isinstance(value, str):
                here = (*path, key)
                dotted = ".".join(map(str, here))
                project.diagnostics.warning(
                    project.origin(here),
                    NUMBER_AS_TEXT.code,
                    f"{dotted}: {text} is read as {_reading(text)} (YAML 1.1) and becomes the text {value!r}: "
                    f"quote it ('{text}') to keep it as written",
                    key=dotted,
                )
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, dict | list):
                stack.append((value, (*path, key)))
