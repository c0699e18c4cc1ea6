"""The case (事项) with its parties and photos, who may see it, numbering and idempotency."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.access.context import scope_of
from shuren.access.masking import mask_phone
from shuren.cases.choices import (
    OPEN_STATUSES,
    WARNING_COLOUR_OF_RISK,
    Channel,
    DeadlineStage,
    OverdueFlag,
    PartySide,
    ResolutionMethod,
    RiskLevel,
    Status,
    Tier,
)
from shuren.cases.models.events import CaseEvent
from shuren.cases.reach import reach_of
from shuren.crypto import EncryptedTextField
from shuren.places.paths import subtree_q

if TYPE_CHECKING:
    from shuren.access.scope import Scope
    from shuren.people.models import Person


def _open_q() -> Q:
    return Q(status__in=[s.value for s in OPEN_STATUSES])


# Overdue first, then due soon, then the rest (the work inboxes' order, and an index).
URGENCY = models.Case(
    models.When(overdue=OverdueFlag.RED, then=models.Value(0)),
    models.When(overdue=OverdueFlag.YELLOW, then=models.Value(1)),
    default=models.Value(2),
    output_field=models.IntegerField(),
)


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """Cases in the user's post subtrees, plus those they reported, are party to or hold,
        and those they handled (经手的: acted on, or held, before it moved on).

        A resident's own places (their building and estate) do not count here: a neighbour's
        dispute is not theirs to read. Only posts over a place open a subtree of cases; a
        property company's estates only what the company holds or held at the estate tier.
        """
        return self.filter(visible_q(user))

    def open(self) -> CaseQuerySet:
        return self.filter(_open_q())

    def in_subtree(self, path: str) -> CaseQuerySet:
        return self.filter(subtree_q(path, "place_path"))

    def in_scope(self, scope: Scope) -> CaseQuerySet:
        """The cases under the scope's posts over a place (never a company's estates whole)."""
        q = Q(pk__in=[])
        for root in scope.place_roots:
            q |= subtree_q(root, "place_path")
        return self.filter(q)


def visible_q(user: Any) -> Q:
    q = Q(pk__in=[])
    for branch in visible_branches(user, party_cases=None):
        q |= branch
    return q


def handled_events_q(user: Any) -> Q:
    """The events that make a matter one this user handled (经手): the user's own steps on it,
    and the steps that gave it to their person or to a team they act for."""
    q = Q(actor_id=user.pk)
    reach = reach_of(user)
    if reach.person_id:
        q |= Q(to_person_id=reach.person_id)
    if reach.team_ids:
        q |= Q(to_team_id__in=sorted(reach.team_ids))
    return q


def handled_q(user: Any) -> Q:
    """The cases this user handled, whatever tier or place they are at now: one indexed
    look-up of their events (actor, to_person and to_team each have an index)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    return Q(pk__in=CaseEvent.objects.filter(handled_events_q(user)).values("case_id"))


def visible_branches(user: Any, *, party_cases: list[int] | None) -> list[Q]:
    """visible_q's parts: the post subtrees (ranges); the matters the user's property company
    holds or held at the estate tier; then everything that is the user's own (recorded,
    reported, assigned to them or their team, party to) as one condition; then what they
    handled (经手的, a look-up of their events). With party_cases (the ids of the cases they
    are party to, read beforehand) the own condition uses indexed columns only; without, it asks
    the party table in a subquery."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    scope = scope_of(user)
    branches: list[Q] = []
    if scope.place_roots:
        subtrees = Q(pk__in=[])
        for root in scope.place_roots:
            subtrees |= subtree_q(root, "place_path")
        branches.append(subtrees)
    own = Q(recorded_by_id=user.pk)
    reach = reach_of(user)
    if reach.company_ids:
        # By the company alone, so the newest come from case_company_reported: the matter was
        # in one of its estates when it reached the company, and stays its record of work.
        branches.append(Q(estate_company_id__in=sorted(reach.company_ids)))
    if reach.person_id:
        own |= Q(reporter_id=reach.person_id) | Q(assignee_person_id=reach.person_id)
        if party_cases is None:
            own |= Q(pk__in=CaseParty.objects.filter(person_id=reach.person_id).values("case_id"))
        elif party_cases:
            own |= Q(pk__in=party_cases)
    if reach.team_ids:
        own |= Q(assignee_team_id__in=sorted(reach.team_ids))
    return [*branches, own, handled_q(user)]


class Case(models.Model):
    """事项: one matter found or reported at a place, handled up the tier ladder."""

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    title = models.CharField(pgettext_lazy("case", "title"), max_length=200)
    description = models.TextField(pgettext_lazy("case", "description"), blank=True)
    # jieba tokens of title and description, " 楼上 漏水 ": the full-text index (search.py).
    search_text = models.TextField(blank=True, default="", editable=False)
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=pgettext_lazy("case", "place"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # A copy of place.path so that an inbox is one range scan on one table, even at a million
    # rows; kept in step by repath_cases(), which move_place() calls.
    place_path = models.CharField(max_length=255, editable=False)

    reporter = models.ForeignKey(
        "people.Person",
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
    )
    # Someone who is not (yet) a Person: a caller, a WeChat group member. Personal information.
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    # Encrypted at rest (shuren/crypto.py). No blind index: nothing looks a matter up by it.
    contact_phone = EncryptedTextField(_("contact phone"), max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_cases",
    )
    parties: models.ManyToManyField[Person, CaseParty] = models.ManyToManyField(
        "people.Person",
        through="CaseParty",
        verbose_name=_("parties"),
        related_name="party_to_cases",
        blank=True,
    )

    risk = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REPORTED
    )
    current_tier = models.PositiveSmallIntegerField(
        _("current tier"), choices=Tier.choices, default=Tier.BUILDING
    )
    # The highest tier the matter ever reached: 矛盾不上交 counts the cases that never hit 5.
    max_tier = models.PositiveSmallIntegerField(
        _("highest tier reached"), choices=Tier.choices, default=Tier.BUILDING
    )
    settled_tier = models.PositiveSmallIntegerField(
        _("settled at tier"), choices=Tier.choices, null=True, blank=True
    )
    assignee_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("assigned person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        db_index=False,  # the partial open-case index below serves the inbox
    )
    assignee_team = models.ForeignKey(
        "people.Team",
        verbose_name=_("assigned team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        db_index=False,
    )
    # The property company that held the matter at the estate tier, set when it reaches that
    # tier (cases/estate.py) and kept after it moves on: what the company sees of its estates.
    estate_company = models.ForeignKey(
        "people.Team",
        verbose_name=_("property company at the estate tier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,  # case_company_reported below serves it
    )

    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    accept_due = models.DateTimeField(_("accept by"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolve by"), null=True, blank=True)
    follow_up_due = models.DateTimeField(_("follow up by"), null=True, blank=True)
    overdue = models.CharField(
        _("overdue flag"), max_length=6, choices=OverdueFlag.choices, default=OverdueFlag.NONE
    )
    # The deadline a reminder / an automatic escalation was last sent for: "once per deadline".
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_for = models.DateTimeField(null=True, blank=True, editable=False)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    resolution_method = models.CharField(
        _("resolution method"), max_length=16, choices=ResolutionMethod.choices, blank=True
    )
    resolution_summary = models.TextField(_("resolution summary"), blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by report_case() on a case it found by idempotency key instead of creating it.
    replayed = False

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            # Every scope is a subtree: one range scan over place_path.
            # With the id, a subtree's newest cases come from the index alone (no table visit
            # for each of a community's ~6,000 cases at 1 M).
            models.Index(fields=["place_path", "reported_at", "id"], name="case_place_newest"),
            models.Index(
                fields=["place_path", "reported_at"],
                name="case_open_place",
                condition=Q(status__in=["reported", "accepted", "in_progress"]),
            ),
            models.Index(
                fields=["assignee_team", "reported_at"],
                name="case_open_team",
                condition=Q(status__in=["reported", "accepted", "in_progress"]),
            ),
            models.Index(
                fields=["assignee_person", "reported_at"],
                name="case_open_person",
                condition=Q(status__in=["reported", "accepted", "in_progress"]),
            ),
            models.Index(
                fields=["current_tier", "place_path"],
                name="case_open_tier",
                condition=Q(status__in=["reported", "accepted", "in_progress"]),
            ),
            models.Index(
                fields=["overdue", "place_path"],
                name="case_flagged",
                condition=~Q(overdue="none"),
            ),
            # What was assigned to a person or a team, in any state (the API's list, the
            # company's "all states" view); the partial ones above serve the open inboxes.
            models.Index(fields=["assignee_person", "reported_at"], name="case_person_reported"),
            models.Index(fields=["assignee_team", "reported_at"], name="case_team_reported"),
            # What a property company holds or held at the estate tier (its inbox, its list).
            models.Index(
                fields=["estate_company", "reported_at"],
                name="case_company_reported",
                condition=Q(estate_company__isnull=False),
            ),
            # Lists of everything newest first (the API's) walk this one for big subtrees.
            models.Index(models.F("reported_at").desc(), models.F("id").desc(), name="case_newest"),
            # Work inboxes list open cases most urgent first (URGENCY); walking this index, a
            # subdistrict's first page is ~150 index entries at 1 M cases, not a sort of
            # every candidate. PostgreSQL keeps path and tier in it to filter without the table.
            models.Index(
                URGENCY,
                models.F("reported_at").desc(),
                models.F("id").desc(),
                name="case_open_urgency",
                condition=Q(status__in=["reported", "accepted", "in_progress"]),
                include=["place_path", "current_tier"],
            ),
            # The overdue sweep reads only the deadline that matters in each state.
            models.Index(
                fields=["accept_due"], name="case_accept_due", condition=Q(status="reported")
            ),
            models.Index(
                fields=["resolve_due"],
                name="case_resolve_due",
                condition=Q(status__in=["accepted", "in_progress"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_tier__gte=1, current_tier__lte=5)
                & Q(max_tier__gte=models.F("current_tier")),
                name="case_tier_in_ladder",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="case_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        # The case pages come with the web work; until "cases:detail" exists, no link.
        try:
            return reverse("cases:detail", kwargs={"pk": self.pk})
        except NoReverseMatch:
            return ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def warning_colour(self) -> str:
        return WARNING_COLOUR_OF_RISK[RiskLevel(self.risk)]

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def current_stage(self) -> str | None:
        """The deadline stage the current state runs against (DeadlineStage), if any."""
        if self.status == Status.REPORTED:
            return DeadlineStage.ACCEPT
        if self.status in (Status.ACCEPTED, Status.IN_PROGRESS):
            return DeadlineStage.RESOLVE
        return None

    @property
    def current_due(self) -> dt.datetime | None:
        """The deadline that matters in the current state (the sweep watches this one)."""
        stage = self.current_stage
        if stage == DeadlineStage.ACCEPT:
            return self.accept_due
        if stage == DeadlineStage.RESOLVE:
            return self.resolve_due
        return None

    @property
    def resolved_on_time(self) -> bool | None:
        if self.resolved_at is None or self.resolve_due is None:
            return None
        return self.resolved_at <= self.resolve_due


class CaseParty(models.Model):
    """A person on one side of a matter (the neighbour upstairs, the shop owner …)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="case_parties"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="case_parties",
    )
    side = models.CharField(
        _("side"), max_length=12, choices=PartySide.choices, default=PartySide.OTHER
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_party_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_side_display()})"


def case_photo_path(instance: CasePhoto, filename: str) -> str:
    # Never the uploader's file name (it may carry a name or a phone number).
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    now = timezone.now()
    return f"cases/{now:%Y/%m}/{instance.case_id}-{now:%H%M%S%f}.{ext[:5]}"


class CasePhoto(models.Model):
    """A photo of the matter. Content checks and EXIF stripping happen at intake, before this."""

    MAX_PER_CASE = 4
    MAX_BYTES = 10 * 1024 * 1024

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=case_photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.file.name


class CaseCounter(models.Model):
    """The last number given out per prefix and year, advanced by a conditional UPDATE."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="case_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class IdempotencyKey(models.Model):
    """An Idempotency-Key a user sent with a report; a retry within 24 h gets the same case.
    A key without a user is the system's (a partner system's report through Open311, its key
    namespaced by the caller)."""

    TTL = dt.timedelta(hours=24)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    key = models.CharField(max_length=100)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
            # NULLs are distinct in the one above: the system's keys need their own.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(user__isnull=True),
                name="idempotency_key_system_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
