"""A meeting: its place, invitees, agenda, attendance, minutes, decisions (each a follow-through
item with an owner and a deadline) and its timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.access.context import standing_of
from shuren.access.standing import Standing
from shuren.deliberation.meetings.choices import (
    OWNERS_KINDS,
    EventKind,
    ItemStatus,
    Kind,
    Minutes,
    Presence,
    Status,
)
from shuren.deliberation.votes.models import ORGANISER_ROLES
from shuren.people.roles import Role
from shuren.places.paths import drop_nested, subtree_q

# Staff organise every kind of meeting over their places; a homeowners' committee member only
# the committee's meetings and the owners' assembly of their estate (OWNERS_KINDS).
STAFF_ORGANISERS = ORGANISER_ROLES - {Role.YEWEIHUI}


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def organiser_roots(user: Any, *, owners_kinds: bool = False) -> tuple[str, ...]:
    """The places under which this user organises meetings; with owners_kinds, the committee
    members' estates too (for a 业委会会议 or 业主大会)."""
    if not _active(user):
        return ()
    roles = ORGANISER_ROLES if owners_kinds else STAFF_ORGANISERS
    return drop_nested(
        {p.place_path for p in standing_of(user).posts if p.role in roles and p.place_path}
    )


def teams_of(standing: Standing) -> frozenset[int]:
    """The teams a person acts for: their memberships and the teams of their posts (物业)."""
    return standing.member_of | {p.team_id for p in standing.posts if p.team_id}


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        """The meetings a user organises (under their organiser posts, by kind) and those they
        are invited to (in person or through a team they act for); nobody else's."""
        if not _active(user):
            return self.none()
        q = Q(pk__in=[])
        for root in organiser_roots(user):
            q |= subtree_q(root, "place__path")
        committee = set(organiser_roots(user, owners_kinds=True)) - set(organiser_roots(user))
        for root in committee:
            q |= subtree_q(root, "place__path") & Q(kind__in=OWNERS_KINDS)
        standing = standing_of(user)
        invited = Q(pk__in=[])
        if standing.person_id:
            invited |= Q(person_id=standing.person_id)
        teams = teams_of(standing)
        if teams:
            invited |= Q(team_id__in=teams)
        if standing.person_id or teams:
            q |= Q(pk__in=Invitee.objects.filter(invited).values("meeting_id"))
        return self.filter(q)


class Meeting(models.Model):
    """议事会议: people called together over a place to settle what no single party can."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=Kind.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="meetings"
    )
    purpose = models.TextField(_("what it is for"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("where"), max_length=120)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CALLED
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secretary = models.ForeignKey(
        "people.Person",
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Shown on the organiser's phone (and as a QR of the check-in address) at the meeting.
    checkin_code = models.CharField(_("check-in code"), max_length=6, editable=False)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes"), max_length=10, choices=Minutes.choices, default=Minutes.NONE
    )
    # Each new draft is a new revision: approvals count for the text the attendee read.
    minutes_revision = models.PositiveIntegerField(default=0, editable=False)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=200, blank=True)
    # The calling form's one-time token: a retried POST finds the meeting it already called.
    token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["checkin_code"], name="meeting_checkin_code")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        try:
            return reverse("deliberation:meeting", kwargs={"pk": self.pk})
        except NoReverseMatch:  # the pages are not mounted (a command, bare test settings)
            return ""

    def checkin_url(self) -> str:
        try:
            url = reverse("deliberation:meeting_checkin", kwargs={"pk": self.pk})
        except NoReverseMatch:
            return ""
        return f"{url}?code={self.checkin_code}"


class Invitee(models.Model):
    """One invitation: a person, or an organisation (a team: the property company, a leader
    team, the homeowners' committee) whose members and post holders are invited with it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, team__isnull=False)
                | Q(person__isnull=False, team__isnull=True),
                name="invitee_person_or_team",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="invitee_person_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "team"],
                condition=Q(team__isnull=False),
                name="invitee_team_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} p{self.person_id or ''} t{self.team_id or ''}"


class AgendaItem(models.Model):
    """议题: one item of the agenda, which may take up matters (cases) of the place."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("matters"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Someone present at the meeting: checked in with the code, or marked by the organiser."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    how = models.CharField(_("how"), max_length=8, choices=Presence.choices)
    at = models.DateTimeField(_("when"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.person_id}"


class MinutesApproval(models.Model):
    """An attendee's approval of one draft of the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="approvals")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField()
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("approval of the minutes")
        verbose_name_plural = _("approvals of the minutes")
        ordering = ["meeting", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "revision"], name="minutes_approval_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.person_id} r{self.revision}"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def owned_by(self, user: Any) -> DecisionQuerySet:
        """The items this user answers for: theirs, or a team's they act for."""
        if not _active(user):
            return self.none()
        standing = standing_of(user)
        q = Q(pk__in=[])
        if standing.person_id:
            q |= Q(owner_person_id=standing.person_id)
        teams = teams_of(standing)
        if teams:
            q |= Q(owner_team_id__in=teams)
        return self.filter(q)


class Decision(models.Model):
    """决定: what the meeting decided, who carries it out by when; its follow-through item is
    tracked to completion (open → done or cancelled), overdue after its deadline day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    owner_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_team = models.ForeignKey(
        "people.Team",
        verbose_name=_("owning organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        _("follow-through"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    note = models.TextField(_("how it ended"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The matter this decision settles (a matter on its agenda item), and whether it did.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("matter settled"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled = models.BooleanField(_("matter resolved by it"), default=False)
    last_reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=True, owner_team__isnull=False)
                | Q(owner_person__isnull=False, owner_team__isnull=True),
                name="decision_owner_person_or_team",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="decision_open_due"),
            models.Index(fields=["owner_person", "status"], name="decision_owner_person"),
            models.Index(fields=["owner_team", "status"], name="decision_owner_team"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def owner_name(self) -> str:
        owner = self.owner_person or self.owner_team
        return owner.name if owner is not None else ""


class MeetingEvent(models.Model):
    """One step on a meeting's timeline, written by its action (one per action)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(
        pgettext_lazy("event", "kind"), max_length=16, choices=EventKind.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")
        ordering = ["meeting", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


__all__ = [
    "AgendaItem",
    "Attendance",
    "Decision",
    "Invitee",
    "Meeting",
    "MeetingEvent",
    "MinutesApproval",
    "organiser_roots",
    "teams_of",
]
