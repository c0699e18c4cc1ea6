"""An owners' vote: the matter, its place, the electorate fixed at the notice, the ballots and
the vote's timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.access.context import standing_of
from shuren.deliberation.votes.choices import (
    BallotChoice,
    EventKind,
    Matter,
    Origin,
    PaperKind,
    Status,
)
from shuren.people.roles import Role
from shuren.places.paths import drop_nested, subtree_q

# Who calls and runs a vote over a place: the community's staff (the 居委会 organises or is
# informed, 物业管理条例 Art. 14), the subdistrict's staff, and the homeowners' committee.
ORGANISER_ROLES = frozenset({Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.JIEDAO_STAFF, Role.YEWEIHUI})


def organiser_roots(user: Any) -> tuple[str, ...]:
    """The places under which this user organises votes (their organiser posts), outermost."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    return drop_nested(
        {
            p.place_path
            for p in standing_of(user).posts
            if p.role in ORGANISER_ROLES and p.place_path
        }
    )


class VoteQuerySet(models.QuerySet["Vote"]):
    def visible_to(self, user: Any) -> VoteQuerySet:
        """The votes a user organises (under their organiser posts) and the votes they are an
        elector of (an owner in the electorate fixed at the notice); nobody else's."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        q = Q(pk__in=[])
        for root in organiser_roots(user):
            q |= subtree_q(root, "place__path")
        person_id = standing_of(user).person_id
        if person_id:
            q |= Q(pk__in=VoteOwner.objects.filter(person_id=person_id).values("vote_id"))
        return self.filter(q)


class Vote(models.Model):
    """One matter put to the owners of an estate, a building or a stairwell."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what is proposed"), blank=True)
    matter = models.PositiveSmallIntegerField(_("Art. 278 matter"), choices=Matter.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="votes"
    )
    # The notice is published when the vote is called; the electorate is fixed then.
    notice_at = models.DateTimeField(_("notice published"))
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ANNOUNCED
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The count, written when the vote closes and by each recount (the tally's numbers).
    quorum_met = models.BooleanField(_("quorum met"), null=True)
    passed = models.BooleanField(_("passed"), null=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("owners' vote")
        verbose_name_plural = _("owners' votes")
        ordering = ["-notice_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(matter__gte=1, matter__lte=9), name="vote_matter_art278"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="vote_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        try:
            return reverse("deliberation:vote", kwargs={"pk": self.pk})
        except NoReverseMatch:  # the pages are not mounted (a command, a bare test settings)
            return ""

    def is_open(self, at: Any = None) -> bool:
        at = at or timezone.now()
        return self.status == Status.ANNOUNCED and self.opens_at <= at < self.closes_at


class VoteUnit(models.Model):
    """One exclusive part in the electorate, as the register stood at the notice."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="units")
    household = models.ForeignKey(
        "places.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    room = models.CharField(_("room number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    area = models.DecimalField(
        _("exclusive area (m²)"), max_digits=9, decimal_places=2, default=Decimal("0.00")
    )
    developer_unsold = models.BooleanField(_("developer's unsold unit"), default=False)
    # Whose the unit's vote is: the tally's owner_id. Its owners together ("p12" or "p12+p15"),
    # "developer" for every unsold developer unit, "h<household>" while no owner is registered.
    owner_key = models.CharField(_("owner"), max_length=200)

    class Meta:
        verbose_name = _("unit in the electorate")
        verbose_name_plural = _("units in the electorate")
        ordering = ["vote", "floor", "room"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "household"], name="vote_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.room}"


class VoteOwner(models.Model):
    """A person who may cast the ballot of an owner key (each of a unit's registered owners)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="owners")
    owner_key = models.CharField(_("owner"), max_length=200)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("owner in the electorate")
        verbose_name_plural = _("owners in the electorate")
        constraints = [
            models.UniqueConstraint(fields=["vote", "owner_key", "person"], name="vote_owner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.owner_key} {self.person_id}"


class Ballot(models.Model):
    """One owner's ballot (the owner key's), whichever way it came in: one per owner per vote."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    owner_key = models.CharField(_("owner"), max_length=200)
    choice = models.CharField(_("choice"), max_length=10, choices=BallotChoice.choices)
    origin = models.CharField(_("how it came in"), max_length=10, choices=Origin.choices)
    # The owner who voted (web), signed the paper ballot or gave the authorisation (proxy);
    # null for a unit whose owner is not on the register (named in owner_name).
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("owner's name"), max_length=100, blank=True)
    proxy_name = models.CharField(_("proxy"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast"), default=timezone.now)
    # A recount may void a ballot (with its reason): it stays, with its papers, and is not
    # counted; the owner's one ballot is still this one.
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("why it was voided"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["vote", "cast_at", "pk"]
        constraints = [
            # One ballot per owner per vote, whatever its origin (rules-cn.md §1).
            models.UniqueConstraint(fields=["vote", "owner_key"], name="ballot_one_per_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.owner_key} {self.choice}"


def ballot_paper_path(instance: BallotPaper, filename: str) -> str:
    # Never the uploader's file name (it may carry a name or a phone number).
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"votes/{instance.ballot.vote_id}/ballot-{instance.ballot_id}-{instance.kind}.{ext[:5]}"


class BallotPaper(models.Model):
    """A paper attached to a ballot staff entered: the scanned paper ballot, or the owner's
    written authorisation of a proxy. Served only to the vote's organisers."""

    MAX_BYTES = 10 * 1024 * 1024

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(
        pgettext_lazy("paper", "kind"), max_length=14, choices=PaperKind.choices
    )
    file = models.FileField(_("file"), upload_to=ballot_paper_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        ordering = ["ballot", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "kind"], name="ballot_paper_once"),
        ]

    def __str__(self) -> str:
        return str(self.file.name)


class VoteIdempotencyKey(models.Model):
    """An Idempotency-Key an organiser sent when calling a vote: a retry gets the same vote."""

    TTL = dt.timedelta(hours=24)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="vote_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class VoteEvent(models.Model):
    """One step on a vote's timeline, written by its action (one per action)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        pgettext_lazy("event", "kind"), max_length=12, choices=EventKind.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("vote event")
        verbose_name_plural = _("vote events")
        ordering = ["vote", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


__all__ = [
    "ORGANISER_ROLES",
    "Ballot",
    "BallotPaper",
    "Vote",
    "VoteEvent",
    "VoteIdempotencyKey",
    "VoteOwner",
    "VoteUnit",
    "organiser_roots",
]
