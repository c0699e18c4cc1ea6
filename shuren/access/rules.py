"""Permission predicates (django-rules); lists use the QuerySets' visible_to() instead."""

from __future__ import annotations

from typing import Any

import rules

from shuren.access.actions import may_unmask
from shuren.access.context import scope_of
from shuren.people.roles import Role

# Roles that may change the place tree and its households inside their scope.
PLACE_EDITOR_ROLES = frozenset(
    {Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.WANGGEYUAN, Role.JIEDAO_STAFF, Role.SYSADMIN}
)


@rules.predicate
def has_scope(user: Any) -> bool:
    return not scope_of(user).is_empty


@rules.predicate
def place_in_scope(user: Any, place: Any) -> bool:
    return place is not None and scope_of(user).contains_place(place)


@rules.predicate
def place_in_editor_scope(user: Any, place: Any) -> bool:
    scope = scope_of(user)
    if not scope.roles & PLACE_EDITOR_ROLES or place is None:
        return False
    return scope.contains_path(place.path)


@rules.predicate
def edits_places(user: Any) -> bool:
    return bool(scope_of(user).roles & PLACE_EDITOR_ROLES) and bool(scope_of(user).roots)


@rules.predicate
def reads_audit(user: Any) -> bool:
    return scope_of(user).reads_audit


@rules.predicate
def may_unmask_person(user: Any, person: Any) -> bool:
    return person is not None and may_unmask(user, person)


rules.add_perm("places.view_place", place_in_scope)
rules.add_perm("places.import_places", edits_places)
rules.add_perm("places.change_place", place_in_editor_scope)
rules.add_perm("people.unmask_person", may_unmask_person)
rules.add_perm("access.view_accesslog", reads_audit)
