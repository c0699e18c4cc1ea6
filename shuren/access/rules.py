"""Permission predicates (django-rules); lists use the QuerySets' visible_to() instead.

The place tree and what hangs on it (households, residents, shops) are changed by the roles
that edit places, inside their scope; the place actions (places/actions.py) check these.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import rules

from shuren.access.actions import may_unmask
from shuren.access.context import scope_of
from shuren.access.scope import EMPTY, Scope
from shuren.people.models import Person
from shuren.people.roles import Role

# Roles that may change the place tree and its households inside their scope.
PLACE_EDITOR_ROLES = frozenset(
    {Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.WANGGEYUAN, Role.JIEDAO_STAFF, Role.SYSADMIN}
)


def editor_scope(user: Any) -> Scope:
    """The subtrees a user may change: their post roots, if a role of theirs edits data."""
    scope = scope_of(user)
    if not scope.roles & PLACE_EDITOR_ROLES or not scope.roots:
        return EMPTY
    return replace(scope, home_paths=frozenset(), households=frozenset(), person_id=None)


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
def held_in_editor_scope(user: Any, obj: Any) -> bool:
    """A household or a shop, by the place it stands in."""
    return obj is not None and place_in_editor_scope(user, obj.place)


@rules.predicate
def residence_in_editor_scope(user: Any, resident: Any) -> bool:
    """A resident's row, by the place of their household."""
    return resident is not None and place_in_editor_scope(user, resident.household.place)


@rules.predicate
def person_in_editor_scope(user: Any, person: Any) -> bool:
    """A person living, holding a post or a membership inside the user's editing subtrees."""
    scope = editor_scope(user)
    if person is None or scope.is_empty:
        return False
    return Person.objects.filter(scope.person_q(), pk=person.pk).exists()


@rules.predicate
def is_self(user: Any, person: Any) -> bool:
    return person is not None and getattr(user, "person_id", None) == person.pk


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
# Creating is authorized on where the new row goes: a place's parent, a household's place, a
# shop's street.
rules.add_perm("places.add_place", place_in_editor_scope)
rules.add_perm("places.change_place", place_in_editor_scope)
rules.add_perm("places.add_household", place_in_editor_scope)
rules.add_perm("places.change_household", held_in_editor_scope)
rules.add_perm("places.change_resident", residence_in_editor_scope)
rules.add_perm("places.add_shop", place_in_editor_scope)
rules.add_perm("places.change_shop", held_in_editor_scope)
rules.add_perm("people.change_person", person_in_editor_scope)
# Whether their leader may see their phone: the person, or staff who keep their record.
rules.add_perm("people.set_phone_consent", is_self | person_in_editor_scope)
# The number a leader gives their residents: the leader alone.
rules.add_perm("people.publish_phone", is_self)
rules.add_perm("people.unmask_person", may_unmask_person)
rules.add_perm("access.view_accesslog", reads_audit)
