"""What every API input accepts, in one place: the base of every schema the API reads (a body, a
query), and the types of its ids and paging.

Each text value is checked against shuren/text.py (no control characters, no direction
overrides, no lone surrogates) and loses the blanks and invisible characters at its ends, so a
title of only zero-width spaces is empty; a boolean is not a number (`version: true` is refused,
where pydantic would read 1); every whole number fits a database integer. Each refusal is a 422
naming the field, in the caller's language (api/errors.py)."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from shuren.text import (
    MAX_INT,
    SAFE_TEXT_PATTERN,
    fits_integer,
    has_unsafe_characters,
    strip_invisible,
)

# An id in a body or a query: a positive database integer.
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
# How many items a page skips: as far as a database can count.
Offset = Annotated[int, Field(ge=0, le=MAX_INT)]


def _takes_integers(annotation: Any) -> bool:
    """Whether a field's type is a whole number, or a list of them (perhaps optional)."""
    if annotation is int:
        return True
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list, Annotated):
        return any(_takes_integers(arg) for arg in get_args(annotation))
    return False


def _check(value: Any, integers: bool) -> Any:
    if isinstance(value, str):
        if has_unsafe_characters(value):
            raise PydanticCustomError("unsafe_characters", "control characters")
        return strip_invisible(value)
    if isinstance(value, bool):
        if integers:
            raise PydanticCustomError("int_type", "a boolean is not a number")
        return value
    if isinstance(value, int) and not fits_integer(value):
        raise PydanticCustomError("less_than_equal", "too large", {"le": MAX_INT})
    if isinstance(value, list):
        return [_check(item, integers) for item in value]
    return value


def _publish_text_rule(schema: dict[str, Any]) -> None:
    # The OpenAPI document says what text is accepted, so clients (and schemathesis) know.
    for prop in schema.get("properties", {}).values():
        for option in [prop, *prop.get("anyOf", [])]:
            if option.get("type") == "string" and "enum" not in option and "format" not in option:
                option.setdefault("pattern", SAFE_TEXT_PATTERN)


class In(Schema):
    """The base of every schema the API reads."""

    model_config = {"json_schema_extra": _publish_text_rule}

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # Ninja's Schema reads any object by its attributes: a JSON list or number would pass
        # as an object with every field left out (for MarkReadIn: "mark all read").
        sent = data._obj if isinstance(data, DjangoGetter) else data  # ninja's wrapper
        if isinstance(sent, Mapping | cls):
            return data
        raise PydanticCustomError("model_attributes_type", "an object")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_hostile_values(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        return _check(value, _takes_integers(field.annotation) if field else False)
