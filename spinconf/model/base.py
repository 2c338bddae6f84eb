"""Building blocks of the config model: scalar types that accept references, the base model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, WithJsonSchema

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

SecretRefField = Annotated[SecretRef, WithJsonSchema(SECRET_REF_SCHEMA)]
EnvRefField = Annotated[EnvRef, WithJsonSchema(ENV_REF_SCHEMA)]

# A string value: plain text, a secret reference or an environment reference.
Str = str | SecretRefField | EnvRefField
# Booleans and numbers may come from the environment at start-up, never from a secret.
Bool = bool | EnvRefField
Int = int | EnvRefField


class SpinModel(BaseModel):
    """Strict about keys (an unknown key is a typo), relaxed about number-vs-string."""

    model_config = ConfigDict(
        extra="forbid",
        arbitrary_types_allowed=True,
        use_enum_values=True,
        coerce_numbers_to_str=True,
        populate_by_name=True,
        validate_default=False,
    )


class HalModel(SpinModel):
    """A model generated from kleat's halconfig field tree."""


def dump(model: BaseModel | None) -> dict[str, Any]:
    """The fields a user set, with their YAML names; references stay as objects."""
    if model is None:
        return {}
    return model.model_dump(by_alias=True, exclude_unset=True)
