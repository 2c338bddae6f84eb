"""Turn pydantic's validation errors into diagnostics that speak YAML, at the file and line."""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from spinconf.diagnostics import Diagnostics
from spinconf.merge import Tree
from spinconf.model.legacy import halyard_hint
from spinconf.refs import EnvRef, SecretRef
from spinconf.suggest import did_you_mean, unique_match
from spinconf.yamlio import Origin


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], bool]:
    """The part of pydantic's ``loc`` that names entries of the data (union branch tags dropped).

    Returns the path and whether the whole ``loc`` was consumed (False means the last
    part names something absent from the data: a missing key).
    """
    node = data
    path: list[Any] = []
    complete = True
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        else:
            complete = False
    return tuple(path), complete


def _unwrap(annotation: Any) -> list[Any]:
    """Model classes reachable through Optional / list / dict / union / Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for a in typing.get_args(annotation):
            out.extend(_unwrap(a))
        return out
    if origin in (list, dict):
        return _unwrap(typing.get_args(annotation)[-1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def model_at(root: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path`` (list indices and map keys skipped)."""
    model: type[BaseModel] | None = root
    for part in path:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = _field(model, part)
        if field is None:
            # a map key (plugins, secrets, ...): stay on the model of the map's values
            continue
        models = _unwrap(field.annotation)
        model = models[0] if models else None
    return model


def _field(model: type[BaseModel], key: str) -> Any:
    for name, f in model.model_fields.items():
        if name == key or f.alias == key:
            return f
    return None


def field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, SecretRef):
        return "a secret reference"
    if isinstance(value, EnvRef):
        return "an environment reference"
    if isinstance(value, str):
        if "@" in value:
            from spinconf.services.deck import URL_USERINFO

            value = URL_USERINFO.sub(r"\1***@", value)  # a diagnostic never shows a URL's credentials
        text = value if len(value) <= 40 else value[:37] + "..."
        return f'"{text}"'
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}... ({len(text)} digits)"


def _expected(types_seen: set[str], errors: list[dict[str, Any]]) -> str:
    for e in errors:
        if e["type"] in ("enum", "literal_error"):
            return "one of " + str(e.get("ctx", {}).get("expected", "the listed values"))
    if types_seen & {"bool_parsing", "bool_type"}:
        return "true/false"
    for e in errors:
        if e["type"] == "int_range":
            return f"a whole number from {e['ctx']['low']} to {e['ctx']['high']}"
    if types_seen & {"int_from_bool"}:
        return "a whole number (YAML reads on/off/yes/no as true/false)"
    if types_seen & {"int_parsing", "int_type", "int_from_float"}:
        return "a whole number"
    if types_seen & {"float_parsing", "float_type"}:
        return "a number"
    if types_seen & {"model_type", "model_attributes_type", "dict_type"}:
        return "a mapping of keys"
    if types_seen & {"list_type"}:
        return "a list"
    if types_seen & {"string_type"}:
        return "text"
    if types_seen & {"missing"}:
        return "a value"
    return "a different kind of value"


def _fix_says(path: tuple[Any, ...], data: Any) -> str:
    from spinconf.fixrules import fixable

    value = data
    for part in path:
        value = value[part] if isinstance(value, dict | list) else None
    return " (`spinconf fix` rewrites it)" if fixable(path, value) else ""


def _spell(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def translate(
    errors: list[dict[str, Any]],
    root_model: type[BaseModel],
    tree: Tree,
    diags: Diagnostics,
    fallback: Origin,
    skip: set[tuple[Any, ...]] | None = None,
) -> None:
    """Add one diagnostic per offending entry for each of pydantic's ``errors`` (loc from ``root_model``)."""
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    missing: list[tuple[tuple[Any, ...], str]] = []
    for err in errors:
        path, _complete = _data_path(tuple(err["loc"]), tree.data)
        if skip and any(path[: len(s)] == s for s in skip):
            continue
        if err["type"] == "missing":
            missing.append((path, str(err["loc"][-1])))
            continue
        grouped[path].append(dict(err))
    for path, errors in grouped.items():
        origin = tree.origin(path, fallback) or fallback
        key = _spell(path)
        if any(e["type"] == "extra_forbidden" for e in errors):
            hint = halyard_hint(path)
            if hint:
                diags.error(origin, "halyard-form", hint + _fix_says(path, tree.data), key=key)
                continue
            parent = model_at(root_model, path[:-1])
            names = field_names(parent) if parent else []
            fixed = " (`spinconf fix` renames it)" if unique_match(str(path[-1]), names) else ""
            diags.error(
                origin,
                "unknown-key",
                f"unknown key {path[-1]!r} under {_spell(path[:-1]) or 'the top level'}"
                + did_you_mean(str(path[-1]), names)
                + fixed,
                key=key,
            )
            continue
        hint = halyard_hint(path)
        if hint:
            diags.error(origin, "halyard-form", hint + _fix_says(path, tree.data), key=key)
            continue
        value = errors[0].get("input")
        expected = _expected({e["type"] for e in errors}, errors)
        diags.error(origin, "wrong-type", f"{key}: expected {expected}, got {_describe(value)}", key=key)
    for path, name in missing:
        origin = tree.origin(path, fallback) or fallback
        diags.error(
            origin, "missing-key", f"{_spell(path) or 'the top level'} needs {name!r}", key=_spell((*path, name))
        )
