"""The OpenAPI document names each schema after its Python class, and two classes of one name
overwrite each other there: the matters' Status and the mediations' once published one list of
statuses for both (schemathesis then found the matters' answers "invalid"). Every enum and model
the API's schemas use has a name of its own."""

from __future__ import annotations

import enum
import importlib
import pkgutil
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

import shuren.api


def _types_in(annotation: Any) -> typing.Iterator[type]:
    if isinstance(annotation, type) and issubclass(annotation, (enum.Enum, BaseModel)):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _types_in(arg)


def test_no_two_schema_classes_share_a_name():
    seen: dict[str, set[type]] = defaultdict(set)
    for module in pkgutil.iter_modules(shuren.api.__path__):
        loaded = importlib.import_module(f"shuren.api.{module.name}")
        for value in vars(loaded).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                seen[value.__name__].add(value)
                for field in value.model_fields.values():
                    for found in _types_in(field.annotation):
                        seen[found.__name__].add(found)
    shared = {
        name: sorted(c.__module__ for c in classes)
        for name, classes in seen.items()
        if len(classes) > 1
    }
    assert shared == {}
