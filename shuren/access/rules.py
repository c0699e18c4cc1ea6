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
    """The subtrees a user may change: their post roots, if a role of theirs edits data. The
    system administrator's subtrees (structure_roots) open the place tree only: their
    person_q holds no resident, and person_in_editor_scope drops them altogether."""
    scope = scope_of(user)
    if not scope.roles & PLACE_EDITOR_ROLES or scope.is_empty:
        return EMPTY
    return replace(scope, home_paths=frozenset(), households=frozenset(), person_id=None)


def _edits_residents_at(user: Any, path: str) -> bool:
    """Households and residents are residents' data: a data post over them, never the system
    administrator's alone (三员分立)."""
    scope = scope_of(user)
    return bool(scope.roles & PLACE_EDITOR_ROLES) and any(path.startswith(r) for r in scope.roots)


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
    """A shop, by the place it stands in."""
    return obj is not None and place_in_editor_scope(user, obj.place)


@rules.predicate
def households_in_editor_scope(user: Any, place: Any) -> bool:
    """Adding a household at a place: residents' data."""
    return place is not None and _edits_residents_at(user, place.path)


@rules.predicate
def household_in_editor_scope(user: Any, household: Any) -> bool:
    """A household (its rooms, owners and residents), by the place it stands in."""
    return household is not None and _edits_residents_at(user, household.place.path)


@rules.predicate
def residence_in_editor_scope(user: Any, resident: Any) -> bool:
    """A resident's row, by the place of their household."""
    return resident is not None and _edits_residents_at(user, resident.household.place.path)


@rules.predicate
def person_in_editor_scope(user: Any, person: Any) -> bool:
    """A person living, holding a post or a membership inside the user's editing subtrees
    (data subtrees only: the system administrator edits nobody's personal record)."""
    scope = replace(editor_scope(user), structure_roots=())
    if person is None or scope.is_empty:
        return False
    return Person.objects.filter(scope.person_q(), pk=person.pk).exists()


@rules.predicate
def is_self(user: Any, person: Any) -> bool:
    return person is not None and getattr(user, "person_id", None) == person.pk


@rules.predicate
def edits_places(user: Any) -> bool:
    return bool(scope_of(user).roles & PLACE_EDITOR_ROLES) and bool(scope_of(user).place_tree_roots)


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
rules.add_perm("places.add_household", households_in_editor_scope)
rules.add_perm("places.change_household", household_in_editor_scope)
rules.add_perm("places.change_resident", residence_in_editor_scope)
rules.add_perm("places.add_shop", place_in_editor_scope)
rules.add_perm("places.change_shop", held_in_editor_scope)
rules.add_perm("people.change_person", person_in_editor_scope)
# Whether their leader may see their phone: the person, or staff who keep their record.
rules.add_perm("people.set_phone_consent", is_self | person_in_editor_scope)
# The number a leader gives their residents: the leader alone.
rules.add_perm("people.publish_phone", is_self)
rules.add_perm("people.unmask_person", may_unmask_person)
# Anonymising a person on request (PIPL Art. 47): staff who keep their record and may see it.
rules.add_perm("people.anonymise_person", may_unmask_person & person_in_editor_scope)
rules.add_perm("access.view_accesslog", reads_audit)
