"""Every change to persons, posts, teams and memberships: appoint and end a post, keep a team and
its members, change a person's details, anonymise a person (PIPL Art. 47).

Each runs on the kernel (shuren/kernel/action.py): atomic, on the locked row, with the
permission of people/rules.py (posts, teams) or access/rules.py (persons) checked on its fresh
state (`actor=None` is the system), the version the client saw checked where the model has one
(StaleVersion, answered 409), exactly one kernel Event written and one outbox row, which tells
the person concerned when a post or a team of theirs changes. Posts decide what a user sees,
so after each change of one the holder's context read in this request is forgotten
(access.context.forget). Bad input raises ValidationError with a message for the page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuren.access.context import forget
from shuren.access.masking import mask_text
from shuren.kernel.action import authorize, change, create, required
from shuren.kernel.outbox import Tell
from shuren.people.identity import clean_id_number, clean_phone
from shuren.people.models import Membership, MembershipRole, Person, Post, Team, TeamKind, today
from shuren.people.roles import ADMIN_ROLES, Role
from shuren.people.signals import person_anonymised

if TYPE_CHECKING:
    from shuren.accounts.models import User
    from shuren.places.models import Place

POST_DENIED = "You may not give or end this post."
TEAM_DENIED = "You may not keep this team or its members."
PERSON_DENIED = "You may not change this person."


def _users_of(person_id: int) -> list[Any]:
    return list(get_user_model().objects.filter(person_id=person_id, is_active=True))


def _forget_holder(person_id: int, *users: Any) -> None:
    """The holder's context read earlier in this request (their scope, their reach) is stale."""
    for user in users:
        if user is not None and getattr(user, "person_id", None) == person_id:
            forget(user)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- Posts --------------------------------------------------------------------------------------


def _where(post: Post) -> str:
    if post.place is not None:
        return post.place.name
    return post.team.name if post.team is not None else ""


def check_post(
    *,
    role: str,
    place: Place | None,
    team: Team | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
) -> None:
    """The rules a post follows, whoever gives it (the action and the admin's form)."""
    if role not in Role.values:
        raise ValidationError(_("Choose a role."), code="role")
    if role in ADMIN_ROLES:
        raise ValidationError(
            _(
                "The system administrator, the security administrator and the auditor are not "
                "appointed here."
            ),
            code="admin_role",
        )
    if role == Role.WUYE:
        if team is None or team.kind != TeamKind.PROPERTY_COMPANY:
            raise ValidationError(
                _("A property company's post is held for a property company: choose it as team."),
                code="team",
            )
    elif place is None:
        raise ValidationError(_("Choose the place this post covers."), code="place")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            _("A post cannot end before it starts (%(date)s).") % {"date": starts_on.isoformat()},
            code="dates",
        )


def appoint_post(
    *,
    actor: User | None,
    person: Person,
    role: str,
    place: Place | None = None,
    team: Team | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    title: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Post:
    """任命: the person holds a role over a place (or for a team) from `starts_on` (today). Their
    account is told; from that day their scope includes the post's place."""
    starts_on = starts_on or today()
    check_post(role=role, place=place, team=team, starts_on=starts_on, ends_on=ends_on)
    post = Post(
        person=person,
        role=role,
        place=place,
        team=team,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    with create(
        actor=actor, perm="people.appoint_post", on=post, at=at, denied=_(POST_DENIED)
    ) as act:
        held = Post.objects.active(starts_on).filter(
            person=person, role=role, place=place, team=team
        )
        if held.exists():
            raise ValidationError(
                _("%(person)s already holds this post.") % {"person": person.name},
                code="already_held",
            )
        post.save(force_insert=True)
        act.created(post)
        act.record_change(
            "post.appointed",
            note=reason.strip(),
            data={
                "person": person.pk,
                "role": role,
                "place": place.pk if place else None,
                "team": team.pk if team else None,
                "starts_on": starts_on.isoformat(),
                "ends_on": _iso(ends_on),
            },
            tell=Tell.users(
                "post.appointed",
                _users_of(person.pk),
                actor=actor,
                role=role,
                where=_where(post),
                starts_on=starts_on.isoformat(),
                body=reason.strip(),
            ),
        )
    _forget_holder(person.pk, actor, *_cached_users(person))
    return post


def end_post(
    *,
    actor: User | None,
    post: Post,
    reason: str,
    ends_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Post:
    """卸任: the post's last day is `ends_on` (today unless given); the holder is told. A post
    that has already ended stays as it was: its end is history, not an edit."""
    reason = required(reason, _("Give the reason for ending the post."))
    ends_on = ends_on or today()
    in_hand = _accounts_in_hand(post, Post)
    posts = Post.objects.select_related("person", "place", "team__place")
    with change(
        posts, post.pk, actor=actor, perm="people.end_post", at=at, denied=_(POST_DENIED)
    ) as act:
        post = act.subject
        if post.ends_on is not None and post.ends_on < today():
            raise ValidationError(
                _("This post already ended on %(date)s.") % {"date": post.ends_on.isoformat()},
                code="ended",
            )
        if ends_on < post.starts_on:
            raise ValidationError(
                _("A post cannot end before it starts (%(date)s).")
                % {"date": post.starts_on.isoformat()},
                code="dates",
            )
        if post.ends_on == ends_on:
            act.unchanged()
            return post
        previous, post.ends_on = post.ends_on, ends_on
        act.save(["ends_on"])
        act.record_change(
            "post.ended",
            note=reason,
            data={"ends_on": ends_on.isoformat(), "previous_ends_on": _iso(previous)},
            tell=Tell.users(
                "post.ended",
                _users_of(post.person_id),
                actor=actor,
                role=post.role,
                where=_where(post),
                ends_on=ends_on.isoformat(),
                body=reason,
            ),
        )
    _forget_holder(post.person_id, actor, *in_hand)
    return post


def _cached_users(person: Person) -> list[Any]:
    """The account already loaded on this person object (a request's `user.person`), whose
    context may hold the old posts."""
    cached = Person.user.related.get_cached_value(person, default=None)  # type: ignore[attr-defined]
    return [cached] if cached is not None else []


def _accounts_in_hand(obj: Post | Membership, model: type[Post] | type[Membership]) -> list[Any]:
    """The accounts loaded on the person the caller's post or membership object holds."""
    if not model.person.is_cached(obj):  # type: ignore[attr-defined]
        return []
    return _cached_users(obj.person)


# --- Teams and memberships ----------------------------------------------------------------------


def _check_team(
    kind: str, name: str, founded_on: dt.date | None, dissolved_on: dt.date | None
) -> str:
    if kind not in TeamKind.values:
        raise ValidationError(_("Choose the kind of team."), code="kind")
    if founded_on and dissolved_on and dissolved_on < founded_on:
        raise ValidationError(
            _("A team cannot be dissolved before it was founded (%(date)s).")
            % {"date": founded_on.isoformat()},
            code="dates",
        )
    return required(name, _("Write the name of the team."))


def create_team(
    *,
    actor: User | None,
    kind: str,
    name: str,
    code: str,
    place: Place,
    description: str = "",
    founded_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Team:
    """队伍: a leader team, a 小分队, an association, a property company … with its home place."""
    name = _check_team(kind, name, founded_on, None)
    code = required(code, _("Write the code of the team."))
    team = Team(
        kind=kind,
        name=name,
        code=code,
        place=place,
        description=description.strip(),
        founded_on=founded_on,
    )
    with create(actor=actor, perm="people.add_team", on=team, at=at, denied=_(TEAM_DENIED)) as act:
        if Team.objects.filter(code=code).exists():
            raise ValidationError(
                _("The code %(code)s is already used by another team.") % {"code": code},
                code="code_taken",
            )
        team.save(force_insert=True)
        act.created(team)
        act.record_change("team.created", data={"kind": kind, "name": name, "place": place.pk})
        return team


def change_team(
    *,
    actor: User | None,
    team: Team,
    kind: str,
    name: str,
    place: Place,
    description: str,
    founded_on: dt.date | None,
    dissolved_on: dt.date | None,
    at: dt.datetime | None = None,
) -> Team:
    """A team's kind, name, home place (the actor keeps both), description and dates; a
    dissolved team keeps its record and its members' history."""
    name = _check_team(kind, name, founded_on, dissolved_on)
    teams = Team.objects.select_related("place")
    with change(
        teams, team.pk, actor=actor, perm="people.change_team", at=at, denied=_(TEAM_DENIED)
    ) as act:
        team = act.subject
        if place.pk != team.place_id:
            authorize(actor, "people.add_team", Team(kind=kind, place=place), _(TEAM_DENIED))
        values: dict[str, Any] = {
            "kind": kind,
            "name": name,
            "place_id": place.pk,
            "description": description.strip(),
            "founded_on": founded_on,
            "dissolved_on": dissolved_on,
        }
        changed = [f for f in values if getattr(team, f) != values[f]]
        if not changed:
            act.unchanged()
            return team
        for field_name in changed:
            setattr(team, field_name, values[field_name])
        names = [f.removesuffix("_id") for f in changed]
        act.save(names)
        act.record_change("team.changed", data={"fields": names})
        return team


def join_team(
    *,
    actor: User | None,
    team: Team,
    person: Person,
    role: str = MembershipRole.MEMBER,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Membership:
    """The person joins the team (as leader, deputy or member) from `starts_on` (today); they
    are told."""
    starts_on = starts_on or today()
    if role not in MembershipRole.values:
        raise ValidationError(_("Choose the role in the team."), code="role")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            _("A membership cannot end before it starts (%(date)s).")
            % {"date": starts_on.isoformat()},
            code="dates",
        )
    membership = Membership(
        team=team, person=person, role=role, starts_on=starts_on, ends_on=ends_on
    )
    with create(
        actor=actor, perm="people.add_membership", on=membership, at=at, denied=_(TEAM_DENIED)
    ) as act:
        if team.dissolved_on is not None and team.dissolved_on < starts_on:
            raise ValidationError(
                _("%(team)s was dissolved on %(date)s.")
                % {"team": team.name, "date": team.dissolved_on.isoformat()},
                code="dissolved",
            )
        if Membership.objects.active(starts_on).filter(team=team, person=person).exists():
            raise ValidationError(
                _("%(person)s is already a member of %(team)s.")
                % {"person": person.name, "team": team.name},
                code="already_member",
            )
        membership.save(force_insert=True)
        act.created(membership)
        act.record_change(
            "membership.joined",
            note=note.strip(),
            data={
                "team": team.pk,
                "person": person.pk,
                "role": role,
                "starts_on": starts_on.isoformat(),
                "ends_on": _iso(ends_on),
            },
            tell=Tell.users("membership.joined", _users_of(person.pk), actor=actor, team=team.name),
        )
    _forget_holder(person.pk, actor, *_cached_users(person))
    return membership


def leave_team(
    *,
    actor: User | None,
    membership: Membership,
    ends_on: dt.date | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Membership:
    """The member's last day in the team is `ends_on` (today unless given); they are told."""
    ends_on = ends_on or today()
    in_hand = _accounts_in_hand(membership, Membership)
    memberships = Membership.objects.select_related("team__place", "person")
    with change(
        memberships,
        membership.pk,
        actor=actor,
        perm="people.change_membership",
        at=at,
        denied=_(TEAM_DENIED),
    ) as act:
        membership = act.subject
        if membership.ends_on is not None and membership.ends_on < today():
            raise ValidationError(
                _("This membership already ended on %(date)s.")
                % {"date": membership.ends_on.isoformat()},
                code="ended",
            )
        if ends_on < membership.starts_on:
            raise ValidationError(
                _("A membership cannot end before it starts (%(date)s).")
                % {"date": membership.starts_on.isoformat()},
                code="dates",
            )
        if membership.ends_on == ends_on:
            act.unchanged()
            return membership
        membership.ends_on = ends_on
        act.save(["ends_on"])
        act.record_change(
            "membership.left",
            note=note.strip(),
            data={"team": membership.team_id, "ends_on": ends_on.isoformat()},
            tell=Tell.users(
                "membership.left",
                _users_of(membership.person_id),
                actor=actor,
                team=membership.team.name,
                ends_on=ends_on.isoformat(),
            ),
        )
    _forget_holder(membership.person_id, actor, *in_hand)
    return membership


# --- Persons ------------------------------------------------------------------------------------


def change_person(
    *,
    actor: User | None,
    person: Person,
    name: str | None = None,
    phone: str | None = None,
    id_number: str | None = None,
    party_member: bool | None = None,
    code: str | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Person:
    """A person's name, phone, ID number, party membership or code; None keeps a value, so a
    caller changes a masked number without ever reading the stored one. The event names the
    fields that changed, never their values (personal information stays out of the log)."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = required(name, _("Write the person's name."))
    if phone is not None:
        values["phone"] = clean_phone(phone)
    if id_number is not None:
        values["id_number"] = clean_id_number(id_number)
    if party_member is not None:
        values["party_member"] = party_member
    if code is not None:
        values["code"] = code.strip() or None
    with change(
        Person.objects,
        person.pk,
        actor=actor,
        perm="people.change_person",
        expected_version=expected_version,
        at=at,
        denied=_(PERSON_DENIED),
    ) as act:
        person = act.subject
        if values.get("code") and (
            Person.objects.filter(code=values["code"]).exclude(pk=person.pk).exists()
        ):
            raise ValidationError(
                _("The code %(code)s is already used by another person.")
                % {"code": values["code"]},
                code="code_taken",
            )
        changed = [f for f, value in values.items() if getattr(person, f) != value]
        if not changed:
            act.unchanged()
            return person
        for field_name in changed:
            setattr(person, field_name, values[field_name])
        act.save(changed)
        act.record_change("person.changed", data={"fields": changed})
        return person


def set_phone_consent(
    *,
    actor: User | None,
    person: Person,
    leader_sees_phone: bool,
    at: dt.datetime | None = None,
) -> Person:
    """Whether the leader of the person's building may reveal their phone (logged, to reach
    them): said by the person on their account page, or recorded by staff who edit them."""
    with change(
        Person.objects,
        person.pk,
        actor=actor,
        perm="people.set_phone_consent",
        at=at,
        denied=_(PERSON_DENIED),
    ) as act:
        person = act.subject
        if person.leader_sees_phone == leader_sees_phone:
            act.unchanged()
            return person
        person.leader_sees_phone = leader_sees_phone
        act.save(["leader_sees_phone"])
        act.record_change("person.changed", data={"fields": ["leader_sees_phone"]})
        return person


def publish_phone(
    *,
    actor: User | None,
    person: Person,
    phone: str,
    at: dt.datetime | None = None,
) -> Person:
    """The number a leader gives the residents of their building (empty: none), set by the
    leader themselves on their account page."""
    phone = clean_phone(phone)
    with change(
        Person.objects,
        person.pk,
        actor=actor,
        perm="people.publish_phone",
        at=at,
        denied=_(PERSON_DENIED),
    ) as act:
        person = act.subject
        if person.published_phone == phone:
            act.unchanged()
            return person
        person.published_phone = phone
        act.save(["published_phone"])
        act.record_change("person.changed", data={"fields": ["published_phone"]})
        return person


# --- PIPL Art. 47: anonymising a person (on request, or past its retention period) ---------

ANONYMOUS = "（已匿名）"
ANONYMISE_DENIED = "Only staff who may see this person's full record anonymise it."


def anonymise_person(
    *,
    actor: User | None,
    person: Person,
    reason: str,
    at: dt.datetime | None = None,
) -> Person:
    """Remove what identifies a person: the name becomes （已匿名）, the phone, ID number, code
    and published number go, the leader's consent is withdrawn, a linked login is switched off
    and renamed (a username may be a phone number), and each capability scrubs its own texts
    (people.signals.person_anonymised). The event keeps the reason, masked; `actor=None` is the
    retention command. Cannot be undone."""
    reason = mask_text(required(reason, _("Give the reason for anonymising this person.")))
    with change(
        Person.objects,
        person.pk,
        actor=actor,
        perm="people.anonymise_person",
        at=at,
        denied=_(ANONYMISE_DENIED),
    ) as act:
        person = act.subject
        if person.name == ANONYMOUS and not person.phone and not person.id_number:
            act.unchanged()
            return person
        former = person.name
        person.name = ANONYMOUS
        person.phone = person.id_number = person.published_phone = ""
        person.code = None
        person.leader_sees_phone = False
        act.save(["name", "phone", "id_number", "published_phone", "code", "leader_sees_phone"])
        accounts = list(get_user_model().objects.filter(person_id=person.pk))
        for account in accounts:
            account.is_active = False
            account.username = f"anonymised-{account.pk}"
            account.set_unusable_password()
            account.save(update_fields=["is_active", "username", "password"])
        person_anonymised.send(sender=Person, person_id=person.pk, name=former)
        act.record_change(
            "person.anonymised",
            note=reason,
            data={"by": "request" if actor is not None else "retention", "logins": len(accounts)},
        )
    for account in accounts:
        forget(account)
    return person
