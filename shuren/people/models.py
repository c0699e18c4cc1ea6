"""Persons, their posts (a role over a place for a period), teams and memberships."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.crypto import BlindIndexedModel, BlindIndexField, EncryptedTextField
from shuren.people.roles import ADMIN_ROLES, Role
from shuren.places.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from shuren.access.scope import Scope


def today() -> dt.date:
    return timezone.localdate()


class PersonQuerySet(ScopedQuerySet):
    def in_scope(self, scope: Scope) -> PersonQuerySet:
        return self.filter(scope.person_q()).distinct()


class Person(BlindIndexedModel):
    """A resident, volunteer or staff member. Phone and ID number are personal information,
    stored encrypted (shuren/crypto.py) and found by their blind indexes, never by value."""

    name = models.CharField(_("name"), max_length=50)
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True)
    # Sensitive personal information (PIPL Art. 28): never shown unmasked without a logged reason.
    id_number = EncryptedTextField(_("ID number"), max_length=18, blank=True)
    # Keyed HMACs of the normalised numbers: exact look-ups and duplicate checks.
    phone_index = BlindIndexField(source="phone", kind="phone")
    id_number_index = BlindIndexField(source="id_number", kind="id_number")
    party_member = models.BooleanField(_("party member"), default=False)
    # The person's own say (or what they told staff, through the Excel import): whether the
    # leader of their building may reveal their phone, logged, to reach them. No by default.
    leader_sees_phone = models.BooleanField(
        _("the building leader may see my phone"), default=False
    )
    # A number a leader chooses to give the residents of their building (empty: none); shown
    # to them in full on their matters' pages. Not personal information they keep hidden, so
    # stored in clear like a notice on the stairwell door (docs/security.md).
    published_phone = models.CharField(
        _("contact number for my residents"), max_length=20, blank=True
    )
    code = models.CharField(_("code"), max_length=60, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    LEADER_TEAM = "leader_team", _("Leader team")
    SPECIAL_TEAM = "special_team", _("Special team")
    MUTUAL_AID = "mutual_aid", _("Mutual-aid association")
    SELF_GOVERNANCE = "self_governance", _("Self-governance group")
    HOMEOWNERS_COMMITTEE = "homeowners_committee", _("Homeowners' committee")
    PARTY_GROUP = "party_group", _("Party group")
    PATROL_TEAM = "patrol_team", _("Patrol team")
    MEDIATION_WORKSHOP = "mediation_workshop", _("Mediation workshop")
    MEDIATION_COMMITTEE = "mediation_committee", _("People's mediation committee")
    PROPERTY_COMPANY = "property_company", _("Property company")


class TeamQuerySet(ScopedQuerySet):
    def in_scope(self, scope: Scope) -> TeamQuerySet:
        return self.filter(scope.team_q()).distinct()


class Team(models.Model):
    """队伍: a group of people with a home place (a leader team, a 小分队, a 物业公司 …)."""

    kind = models.CharField(_("kind"), max_length=24, choices=TeamKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=60, unique=True)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("home place"),
        on_delete=models.PROTECT,
        related_name="teams",
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["place__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name


def active_q(on: dt.date | None = None, prefix: str = "") -> Q:
    """Active on the given day: started by then, not yet ended."""
    on = on or today()
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


class PostQuerySet(ScopedQuerySet):
    def active(self, on: dt.date | None = None) -> PostQuerySet:
        return self.filter(active_q(on))

    def in_scope(self, scope: Scope) -> PostQuerySet:
        return self.filter(scope.post_q())


class Post(models.Model):
    """职务: a person holds a role over a place (or for a team) from one day to another."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="posts"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    # A property company's staff hold their post for the company; its scope is every estate
    # the company manages (Place.property_company).
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    title = models.CharField(_("title"), max_length=50, blank=True)
    starts_on = models.DateField(_("starts on"), default=today)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["place__path", "role", "person__name"]
        indexes = [models.Index(fields=["person", "role"], name="post_person_role")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="post_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in ADMIN_ROLES))
                | Q(place__isnull=False)
                | Q(team__isnull=False),
                name="post_has_place_or_team",
            ),
        ]

    def __str__(self) -> str:
        where = self.place or self.team or ""
        return f"{self.person} · {self.get_role_display()} · {where}"

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or today()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Leader")
    DEPUTY = "deputy", _("Deputy")
    MEMBER = "member", _("Member")


class MembershipQuerySet(ScopedQuerySet):
    def active(self, on: dt.date | None = None) -> MembershipQuerySet:
        return self.filter(active_q(on))

    def in_scope(self, scope: Scope) -> MembershipQuerySet:
        return self.filter(scope.team_q(prefix="team__"))


class Membership(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role in team"),
        max_length=10,
        choices=MembershipRole.choices,
        default=MembershipRole.MEMBER,
    )
    starts_on = models.DateField(_("starts on"), default=today)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "-role", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.team}"
