"""Configuration rows edited whole in the admin (case categories, deadline policies, the holiday
calendar): their one action, on the kernel like every other, for tables without domain verbs.

Each add, change or delete is atomic, authorized with the model's own permission on the row
(`cases.change_deadlinepolicy` …: the app's rules, or a superuser), and writes one kernel Event,
`<model>.added`, `<model>.changed` or `<model>.deleted`, with the values written, so the
auditor can read who changed a deadline or a holiday and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.kernel.action import change, create

M = TypeVar("M", bound=models.Model)


def _perm(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.app_label}.{verb}_{obj._meta.model_name}"


def _values(obj: models.Model, names: Iterable[str]) -> dict[str, str]:
    fields = {f.name: f for f in obj._meta.concrete_fields}
    return {name: fields[name].value_to_string(obj) for name in names}


def _audit(actor: Any, row: models.Model, what: str, values: dict[str, str]) -> None:
    # A configuration change is a security event too (a deadline, a category's policy).
    record(Kind.CONFIG_CHANGED, actor=actor, target=row, detail={"change": what, "values": values})


def save_row(
    *,
    actor: Any,
    obj: M,
    fields: Iterable[str] | None = None,
    at: dt.datetime | None = None,
) -> M:
    """Add `obj` (not saved yet), or write the named `fields` of it onto its stored row."""
    meta = obj._meta
    concrete = [f.name for f in meta.concrete_fields if not f.primary_key]
    if obj._state.adding:
        with create(actor=actor, perm=_perm(obj, "add"), on=None, at=at) as act:
            obj.save(force_insert=True)
            act.created(obj)
            act.record_change(f"{meta.model_name}.added", data=_values(obj, concrete))
            _audit(actor, obj, "added", _values(obj, concrete))
        return obj
    names = [name for name in (fields if fields is not None else concrete) if name in concrete]
    with change(
        type(obj)._default_manager, obj.pk, actor=actor, perm=_perm(obj, "change"), at=at
    ) as act:
        row = act.subject
        attnames = {f.name: f.attname for f in meta.concrete_fields}
        changed = [n for n in names if getattr(row, attnames[n]) != getattr(obj, attnames[n])]
        if not changed:
            act.unchanged()
            return row
        for name in changed:
            setattr(row, attnames[name], getattr(obj, attnames[name]))
        act.save(changed)
        act.record_change(f"{meta.model_name}.changed", data=_values(row, changed))
        _audit(actor, row, "changed", _values(row, changed))
        return row


def delete_row(*, actor: Any, obj: models.Model, at: dt.datetime | None = None) -> None:
    """Delete the row; its event keeps what it held."""
    meta = obj._meta
    concrete = [f.name for f in meta.concrete_fields if not f.primary_key]
    with change(
        type(obj)._default_manager, obj.pk, actor=actor, perm=_perm(obj, "delete"), at=at
    ) as act:
        row = act.subject
        act.record_change(f"{meta.model_name}.deleted", data=_values(row, concrete))
        _audit(actor, row, "deleted", _values(row, concrete))
        row.delete()
