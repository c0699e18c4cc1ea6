"""An elevator retrofit project over one stairwell (or a building without stairwells): its stage,
its policy (which Art. 278 matter, whose owners vote), the vote, the affected owners' consents,
the objections of the public notice, the agreed floor weights, and its timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.access.context import standing_of
from shuren.deliberation.elevators.choices import (
    CLOSED_STAGES,
    Consent,
    Electorate,
    EventKind,
    ObjectionStatus,
    Stage,
)
from shuren.deliberation.votes.choices import Matter
from shuren.deliberation.votes.models import VoteOwner
from shuren.people.roles import Role
from shuren.places.models import Household
from shuren.places.paths import ancestor_paths, drop_nested, subtree_q

# Who runs a project over a place: the community's staff and the subdistrict's (the 居委会
# organises the owners and the mediation of objections; the 街道 counts and follows them).
MANAGER_ROLES = frozenset({Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.JIEDAO_STAFF})
# Rules that may change by local regulation (rules-cn.md §1): the project's policy defaults.
DEFAULT_MATTER = Matter.REBUILD
DEFAULT_NOTICE_DAYS = 10


def manager_roots(user: Any) -> tuple[str, ...]:
    """The places under which this user runs elevator projects (their staff posts), outermost."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    return drop_nested(
        {p.place_path for p in standing_of(user).posts if p.role in MANAGER_ROLES and p.place_path}
    )


def owned_paths(person_id: int | None) -> set[str]:
    """The places of the households this person owns (their stairwells, or buildings)."""
    if not person_id:
        return set()
    return set(Household.objects.filter(owners=person_id).values_list("place__path", flat=True))


class ProjectQuerySet(models.QuerySet["ElevatorProject"]):
    def visible_to(self, user: Any) -> ProjectQuerySet:
        """The projects a user runs (under their staff posts), and those of the stairwells they
        own a flat in (or whose vote they are an elector of); nobody else's."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        q = Q(pk__in=[])
        for root in manager_roots(user):
            q |= subtree_q(root, "place__path")
        person_id = standing_of(user).person_id
        above = {a for path in owned_paths(person_id) for a in ancestor_paths(path)}
        if above:
            q |= Q(place__path__in=sorted(above))
        if person_id:
            q |= Q(vote__in=VoteOwner.objects.filter(person_id=person_id).values("vote_id"))
        return self.filter(q)

    def in_service_between(self, path: str, start: Any, end: Any) -> ProjectQuerySet:
        """Projects at the place or below that entered service in the days start..end."""
        return self.filter(
            subtree_q(path, "place__path"),
            stage=Stage.IN_SERVICE,
            in_service_on__gte=start,
            in_service_on__lte=end,
        )


class ElevatorProject(models.Model):
    """加装电梯: one elevator added to one stairwell, from the survey of intent to service."""

    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("stairwell"),
        on_delete=models.PROTECT,
        related_name="elevator_projects",
    )
    # The estate it is in (None in a lane or street): the report counts estates by it.
    estate = models.ForeignKey(
        "places.Place",
        verbose_name=_("estate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120)
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.SURVEY)
    stage_changed_at = models.DateTimeField(_("stage since"), default=timezone.now)
    # The policy: which matter of Art. 278 the vote is (7 by default) and whose owners vote.
    matter = models.PositiveSmallIntegerField(
        _("Art. 278 matter"), choices=Matter.choices, default=DEFAULT_MATTER
    )
    electorate = models.CharField(
        _("who votes"), max_length=10, choices=Electorate.choices, default=Electorate.PLACE
    )
    notice_days = models.PositiveSmallIntegerField(
        _("days of the public notice"), default=DEFAULT_NOTICE_DAYS
    )
    # The survey of intent (意向征询): how many households were asked and how many want it.
    survey_asked = models.PositiveIntegerField(_("households asked"), null=True, blank=True)
    survey_in_favour = models.PositiveIntegerField(_("households in favour"), null=True, blank=True)
    survey_note = models.TextField(_("survey note"), blank=True)
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    vote = models.ForeignKey(
        "deliberation.Vote",
        verbose_name=_("owners' vote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The public notice's objection window, both days included (Asia/Shanghai).
    notice_starts_on = models.DateField(_("notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice until"), null=True, blank=True)
    total_cost = models.DecimalField(
        _("total cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    in_service_on = models.DateField(_("in service since"), null=True, blank=True)
    # A stopped project: the stage it was at when stopped, and why (stage_changed_at: when).
    stopped_from = models.CharField(
        _("stopped at the stage"), max_length=14, choices=Stage.choices, blank=True
    )
    stop_reason = models.TextField(_("why it was stopped"), blank=True)
    # Entered from the records of a project finished before Shuren (the demo's history).
    from_records = models.BooleanField(_("from the records"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("elevator retrofit project")
        verbose_name_plural = _("elevator retrofit projects")
        ordering = ["-stage_changed_at", "-pk"]
        indexes = [models.Index(fields=["stage", "in_service_on"], name="elevator_stage_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(matter__gte=1, matter__lte=9), name="elevator_matter_art278"
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.IN_SERVICE) | Q(in_service_on__isnull=False),
                name="elevator_in_service_dated",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.STOPPED) | ~Q(stopped_from=""),
                name="elevator_stopped_from_a_stage",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        try:
            return reverse("deliberation:elevator", kwargs={"pk": self.pk})
        except NoReverseMatch:  # the pages are not mounted (a command, a bare test settings)
            return ""

    @property
    def is_open(self) -> bool:
        """Under way: neither in service nor stopped (it holds its stairwell)."""
        return self.stage not in CLOSED_STAGES


class FloorWeight(models.Model):
    """The agreed weight of one floor in the cost sharing (higher floors weigh more)."""

    project = models.ForeignKey(ElevatorProject, on_delete=models.CASCADE, related_name="weights")
    floor = models.SmallIntegerField(_("floor"))
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3)

    class Meta:
        verbose_name = _("floor weight")
        verbose_name_plural = _("floor weights")
        ordering = ["project", "floor"]
        constraints = [
            models.UniqueConstraint(fields=["project", "floor"], name="elevator_floor_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="elevator_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.floor}: {self.weight}"


class AffectedOwner(models.Model):
    """A household whose exclusive part the works occupy or affect: its owner must consent
    individually (one row per household, its consent as it stands)."""

    project = models.ForeignKey(ElevatorProject, on_delete=models.CASCADE, related_name="affected")
    household = models.ForeignKey(
        "places.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    how = models.CharField(_("how it is affected"), max_length=200)
    consent = models.CharField(
        _("consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("owner who answered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("answered on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("affected owner")
        verbose_name_plural = _("affected owners")
        ordering = ["project", "household__room"]
        constraints = [
            models.UniqueConstraint(fields=["project", "household"], name="elevator_affected_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.household_id} {self.consent}"


class Objection(models.Model):
    """An objection raised in the public notice, and the matter it opened (sent to mediation
    where a mediation organisation serves the place)."""

    project = models.ForeignKey(
        ElevatorProject, on_delete=models.CASCADE, related_name="objections"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("objector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("objector's name"), max_length=100)
    text = models.TextField(_("objection"))
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("matter opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mediation_team = models.ForeignKey(
        "people.Team",
        verbose_name=_("sent to mediation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        pgettext_lazy("objection", "status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
    )
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    settled_note = models.TextField(_("how it was settled"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["project", "filed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.name}"


class ElevatorEvent(models.Model):
    """One step on a project's timeline, written by its action (one per action)."""

    project = models.ForeignKey(ElevatorProject, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        pgettext_lazy("event", "kind"), max_length=20, choices=EventKind.choices
    )
    from_stage = models.CharField(_("from stage"), max_length=14, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=14, blank=True)
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
        verbose_name = _("elevator project event")
        verbose_name_plural = _("elevator project events")
        ordering = ["project", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def to_stage_label(self) -> str:
        return str(Stage(self.to_stage).label) if self.to_stage in Stage.values else ""


__all__ = [
    "MANAGER_ROLES",
    "AffectedOwner",
    "ElevatorEvent",
    "ElevatorProject",
    "FloorWeight",
    "Objection",
    "manager_roots",
    "owned_paths",
]
