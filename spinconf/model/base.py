"""Building blocks of the config model: scalar types that accept references, the base model."""

from __future__ import annotations

import importlib
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError
from pydantic_core import core_schema as cs

from spinconf.refs import EnvRef, SecretRef

SECRET_REF_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"secret": {"type": "string", "description": "name of a declared secret"}},
    "required": ["secret"],
    "additionalProperties": False,
}
ENV_REF_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "env": {"type": "string", "description": "environment variable resolved at container start"},
        "default": {"type": ["string", "number", "boolean"]},
    },
    "required": ["env"],
    "additionalProperties": False,
}


class _Prebuilt:
    """A field type whose core schema is built once and shared by every field that uses it.

    The model has about a thousand such fields; letting pydantic derive the same union
    schema for each of them costs a noticeable part of every command's start-up.
    """

    def __init__(self, schema: cs.CoreSchema, json_schema: dict[str, Any]) -> None:
        self.schema = schema
        self.json_schema = json_schema

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> cs.CoreSchema:
        return self.schema

    def __get_pydantic_json_schema__(self, schema: cs.CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return self.json_schema


_SECRET = cs.is_instance_schema(SecretRef)
_ENV = cs.is_instance_schema(EnvRef)

# A string value: plain text, a secret reference or an environment reference. Numbers written
# unquoted in YAML (an AWS account id) are read as text, as Halyard's Jackson binding did.
Str = Annotated[
    str | SecretRef | EnvRef,
    _Prebuilt(
        cs.union_schema([cs.str_schema(coerce_numbers_to_str=True), _SECRET, _ENV]),
        {"anyOf": [{"type": "string"}, SECRET_REF_SCHEMA, ENV_REF_SCHEMA]},
    ),
]
# Booleans and numbers may come from the environment at start-up, never from a secret.
Bool = Annotated[
    bool | EnvRef,
    _Prebuilt(cs.union_schema([cs.bool_schema(), _ENV]), {"anyOf": [{"type": "boolean"}, ENV_REF_SCHEMA]}),
]


def _whole_number(value: Any) -> Any:
    # pydantic's lax mode would take `port: on` (YAML 1.1's true) as 1 and 8084.0 as 8084: a boolean or a
    # fraction where a whole number belongs is almost surely a mistake, so say so instead
    if isinstance(value, bool):
        raise PydanticCustomError("int_from_bool", "a boolean is not a whole number")
    if isinstance(value, float):
        raise PydanticCustomError("int_from_float", "a fraction is not a whole number")
    return value


def _int_type(low: int, high: int, json_schema: dict[str, Any]) -> _Prebuilt:
    def in_range(value: int) -> int:
        if not low <= value <= high:
            # both bounds in the error (pydantic's ge/le errors name only the one crossed)
            raise PydanticCustomError("int_range", "out of range", {"low": low, "high": high})
        return value

    whole = cs.no_info_before_validator_function(
        _whole_number, cs.no_info_after_validator_function(in_range, cs.int_schema())
    )
    return _Prebuilt(cs.union_schema([whole, _ENV]), {"anyOf": [json_schema, ENV_REF_SCHEMA]})


# Whole numbers go to Java, whose widest integer is a long
Int = Annotated[int | EnvRef, _int_type(-(2**63), 2**63 - 1, {"type": "integer"})]
# A TCP port
Port = Annotated[int | EnvRef, _int_type(1, 65535, {"type": "integer", "minimum": 1, "maximum": 65535})]
# A count or a size (tasks, CPU units, MiB, seconds): never negative, within a Java int
Count = Annotated[int | EnvRef, _int_type(0, 2**31 - 1, {"type": "integer", "minimum": 0, "maximum": 2**31 - 1})]


class SpinModel(BaseModel):
    """Strict about keys (an unknown key is a typo), relaxed about number-vs-string."""

    model_config = ConfigDict(
        extra="forbid",
        arbitrary_types_allowed=True,
        use_enum_values=True,
        coerce_numbers_to_str=True,
        populate_by_name=True,
        validate_default=False,
        defer_build=True,
    )


class HalModel(SpinModel):
    """A model generated from kleat's halconfig field tree."""


class SectionedModel(SpinModel):
    """A model of optional sections, each a class in its own module, imported when first needed.

    Section fields are annotated ``Section | None`` with the class imported only for type
    checkers, so the class is incomplete until :meth:`model_rebuild` imports every section
    (pydantic calls it on first whole-model use). :func:`spinconf.model.validate.validate_config`
    validates such a model key by key instead, importing and building only the sections present.
    """

    section_modules: ClassVar[dict[str, str]] = {}  # section class name -> module defining it

    @classmethod
    def section_class(cls, name: str) -> type[SpinModel]:
        """The section class ``name``, importing its module."""
        section: type[SpinModel] = getattr(importlib.import_module(cls.section_modules[name]), name)
        return section

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        namespace = {name: cls.section_class(name) for name in cls.section_modules}
        for section in namespace.values():
            if issubclass(section, SectionedModel):
                section.complete()  # pydantic would look for its section classes in the wrong module
        return super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth + 1,
            _types_namespace={**namespace, **(_types_namespace or {})},
        )

    @classmethod
    def complete(cls) -> None:
        """Resolve every section (imports and builds the whole model below this one)."""
        if not cls.__pydantic_complete__:
            cls.model_rebuild()


def dump(model: BaseModel | None) -> dict[str, Any]:
    """The fields a user set, with their YAML names; references stay as objects.

    The same as ``model_dump(by_alias=True, exclude_unset=True)``, walked in Python: pydantic
    would first build a serializer for every section class the services dump, which costs
    more than the walk itself, on every run.
    """
    if model is None:
        return {}
    return _dump_model(model)


def dump_sections(model: BaseModel | None, names: tuple[str, ...]) -> dict[str, Any]:
    """``{name: dump(section)}`` for each named section of ``model`` that is set (kleat's pass-through)."""
    out: dict[str, Any] = {}
    for name in names:
        section = getattr(model, name, None) if model is not None else None
        if section is not None:
            out[name] = dump(section)
    return out


_ALIASES: dict[type[BaseModel], dict[str, str]] = {}


def _dump_model(model: BaseModel) -> dict[str, Any]:
    cls = type(model)
    aliases = _ALIASES.get(cls)
    if aliases is None:
        aliases = _ALIASES[cls] = {name: f.alias or name for name, f in cls.model_fields.items()}
    fields_set = model.__pydantic_fields_set__
    # a validated model's __dict__ holds its fields in declaration order, as model_dump emits them
    return {aliases[name]: _dump_value(value) for name, value in model.__dict__.items() if name in fields_set}


def _dump_value(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if isinstance(value, BaseModel):
        return _dump_model(value)
    if kind is list:
        return [_dump_value(v) for v in value]
    if kind is dict:
        return {k: _dump_value(v) for k, v in value.items()}
    return value
