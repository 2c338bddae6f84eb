"""Validate a merged tree against the config model, building only the sections it uses.

Sectioned models (the root and ``providers``) are not validated whole: each key
of the data goes to its own section's model, so a project that configures AWS and ECS never
builds the validators of Kubernetes, Google or the canary section. The result is the same object
and the same errors as validating the whole model (a test compares both on every test project).
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from spinconf.model.base import SectionedModel, SpinModel
from spinconf.model.config import Config


class InvalidConfigError(Exception):
    """The tree does not fit the model: pydantic's error details, ``loc`` from the root."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} validation errors")
        self.errors = errors


def validate_config(data: Any) -> Config:
    """``Config.model_validate(data)``, section by section. Raises :class:`InvalidConfigError`."""
    errors: list[dict[str, Any]] = []
    config = _validate(Config, data, (), errors)
    if errors:
        raise InvalidConfigError(errors)
    assert isinstance(config, Config)
    return config


def _validate(model: type[BaseModel], data: Any, loc: tuple[Any, ...], errors: list[dict[str, Any]]) -> Any:
    if not issubclass(model, SectionedModel) or not isinstance(data, dict):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            _add(errors, loc, exc)
            return None
    split = _split(model)
    values: dict[str, Any] = {}
    plain: dict[str, Any] = {}
    for key, value in data.items():
        name = split.names.get(key)
        if name is None:
            errors.append(_extra(loc, key, value))
        elif name in split.sections:
            # every section field is `Section | None`
            values[name] = None if value is None else _validate(split.sections[name](), value, (*loc, key), errors)
        else:
            plain[key] = value
    if plain:
        try:
            given = split.plain.model_validate(plain)
            values.update((k, v) for k, v in given.__dict__.items() if k in given.model_fields_set)
        except ValidationError as exc:
            _add(errors, loc, exc)
    if errors:
        return None
    return model.model_construct(_fields_set=set(values), **values)


def _add(errors: list[dict[str, Any]], loc: tuple[Any, ...], exc: ValidationError) -> None:
    """pydantic's errors of a part validated on its own, located from the root."""
    errors.extend({**err, "loc": (*loc, *err["loc"])} for err in exc.errors())


def _extra(loc: tuple[Any, ...], key: Any, value: Any) -> dict[str, Any]:
    # the errors pydantic reports for a key the model does not have (extra="forbid"), and for a
    # key that is not text (its location names the key as text unless it is a number)
    if not isinstance(key, str):
        where = key if isinstance(key, int) else str(key)
        return {"type": "invalid_key", "loc": (*loc, where), "msg": "Keys should be strings", "input": key}
    return {"type": "extra_forbidden", "loc": (*loc, key), "msg": "Extra inputs are not permitted", "input": value}


class _Split:
    def __init__(self, model: type[SectionedModel]) -> None:
        # the model itself is built with model_construct: a validator of its own would not run
        decorators = model.__pydantic_decorators__
        assert not (decorators.model_validators or decorators.field_validators), model
        self.names: dict[str, str] = {}  # key in the data (alias or name) -> field name
        self.sections: dict[str, typing.Callable[[], type[BaseModel]]] = {}
        plain: dict[str, Any] = {}
        for name, field in model.model_fields.items():
            self.names[field.alias or name] = name
            if field.alias:
                self.names[name] = name  # populate_by_name
            section = _section_of(model, field.annotation)
            if section is not None:
                self.sections[name] = section
            else:
                plain[name] = (field.annotation, field)
        # the other fields, validated together with the model's own settings
        self.plain: type[BaseModel] = create_model(f"{model.__name__}Fields", __base__=SpinModel, **plain)


@cache
def _split(model: type[SectionedModel]) -> _Split:
    return _Split(model)


def _section_of(model: type[SectionedModel], annotation: Any) -> typing.Callable[[], type[BaseModel]] | None:
    """For a ``Section | None`` field, a function giving the section's class (imported on demand)."""
    if isinstance(annotation, typing.ForwardRef):
        name, _, rest = annotation.__forward_arg__.partition(" | ")
        if rest != "None" or name not in model.section_modules:
            raise TypeError(f"{model.__name__}: a field naming another module's class must be `Section | None`")
        return lambda: model.section_class(name)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            cls = args[0]
            return lambda: cls
    return None
