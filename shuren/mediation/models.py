"""The mediation case (调解案件) of a mediation organisation, with its parties, sessions, follow-up
visits, papers and timeline; who may see it; its numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.access.context import standing_of
from shuren.crypto import EncryptedTextField
from shuren.mediation.choices import (
    AgreementForm,
    Confirmation,
    Consent,
    DisputeType,
    DocumentKind,
    EventKind,
    Outcome,
    PartyRole,
    Performance,
    Referrer,
    Satisfaction,
    Source,
    Status,
)
from shuren.people.models import TeamKind
from shuren.people.roles import Role

ORGANISATION_KINDS = (TeamKind.MEDIATION_WORKSHOP, TeamKind.MEDIATION_COMMITTEE)


def organisations_of(user: Any) -> frozenset[int]:
    """The mediation organisations the user mediates for: their active 调解员 posts' teams
    (their standing, read once per request: no query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return frozenset(
        p.team_id for p in standing_of(user).posts if p.role == Role.TIAOJIEYUAN and p.team_id
    )


class MediationQuerySet(models.QuerySet["Mediation"]):
    def visible_to(self, user: Any) -> MediationQuerySet:
        """The cases of the organisations the user mediates for, and nothing else: a dispute's
        file is its organisation's (Art. 27). Others read the statistics, never the cases."""
        return self.filter(organisation_id__in=sorted(organisations_of(user)))

    def open(self) -> MediationQuerySet:
        return self.filter(status__in=[Status.REGISTERED, Status.MEDIATING])


class Mediation(models.Model):
    """One dispute before one mediation organisation, from registration to the archived file."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        "people.Team",
        verbose_name=_("mediation organisation"),
        on_delete=models.PROTECT,
        related_name="mediations",
        limit_choices_to={"kind__in": ORGANISATION_KINDS},
    )
    # The matter it was opened from (dispatched to the organisation), if any: it shows 调解中
    # and follows the outcome.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediations",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    place_path = models.CharField(_("place path"), max_length=255, db_index=True, editable=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    referrer = models.CharField(
        _("referred by"), max_length=12, choices=Referrer.choices, blank=True
    )
    dispute_type = models.CharField(_("dispute type"), max_length=20, choices=DisputeType.choices)
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary of the dispute"))
    amount = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrar"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 30 days from registration; extended with both parties' consent.
    due_on = models.DateField(_("to be settled by"))
    extended_days = models.PositiveSmallIntegerField(_("days of extension"), default=0)
    mediators = models.ManyToManyField(
        "people.Person", verbose_name=_("mediators"), related_name="mediations", blank=True
    )
    public_session = models.BooleanField(_("sessions open to the public"), default=False)
    # The outcome, kept when the case is archived.
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome_note = models.TextField(_("how it ended"), blank=True)
    routes_told = models.JSONField(_("other routes the parties were told of"), default=list)
    # The agreement (Art. 28, 29).
    agreement_form = models.CharField(
        _("form of the agreement"), max_length=8, choices=AgreementForm.choices, blank=True
    )
    agreement_number = models.CharField(_("agreement number"), max_length=40, blank=True)
    facts = models.TextField(_("main facts of the dispute"), blank=True)
    points_in_dispute = models.TextField(_("points in dispute"), blank=True)
    responsibilities = models.TextField(_("each party's responsibility"), blank=True)
    agreed_content = models.TextField(_("agreed content"), blank=True)
    performance_manner = models.CharField(_("manner of performance"), max_length=200, blank=True)
    performance_place = models.CharField(_("place of performance"), max_length=200, blank=True)
    performance_deadline = models.DateField(_("deadline of performance"), null=True, blank=True)
    agreed_on = models.DateField(_("agreement took effect on"), null=True, blank=True)
    # Art. 33: judicial confirmation within 30 days of the agreement.
    confirmation = models.CharField(
        _("judicial confirmation"),
        max_length=12,
        choices=Confirmation.choices,
        blank=True,
    )
    confirmation_on = models.DateField(_("confirmation recorded on"), null=True, blank=True)
    confirmation_note = models.CharField(_("court and ruling"), max_length=200, blank=True)
    # Art. 25: risk of violence or crime, and that the police were told.
    at_risk = models.BooleanField(_("at risk of violence or crime"), default=False)
    risk_note = models.TextField(_("risk"), blank=True)
    police_informed_at = models.DateTimeField(_("police informed at"), null=True, blank=True)
    # The prevention counters of the justice bureau's statistics.
    prevented_criminal_persons = models.PositiveSmallIntegerField(
        _("persons kept from a criminal case"), default=0
    )
    prevented_petition_persons = models.PositiveSmallIntegerField(
        _("persons kept from a group petition"), default=0
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by register_mediation() on a case it found by idempotency key instead of creating it.
    replayed = False

    objects = MediationQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-registered_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="mediation_register"),
            models.Index(fields=["organisation", "registered_on"], name="mediation_month"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="mediation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        try:
            return reverse("mediation:detail", kwargs={"pk": self.pk})
        except NoReverseMatch:  # the pages are not mounted (a command, a bare test settings)
            return ""

    @property
    def is_open(self) -> bool:
        return self.status in (Status.REGISTERED, Status.MEDIATING)

    def days_left(self, on: dt.date | None = None) -> int:
        """Days to the time limit (negative: past it)."""
        return (self.due_on - (on or timezone.localdate())).days


class Party(models.Model):
    """当事人: a person or organisation in the dispute, with their role and consent. Identity
    data is personal information, encrypted, shown unmasked only to the organisation's
    mediators, each reading logged (mediation.actions.reveal_party)."""

    mediation = models.ForeignKey(
        Mediation,
        verbose_name=_("mediation case"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=100)
    # A resident already in Shuren, when the party is one.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gender = models.CharField(_("gender"), max_length=8, blank=True)
    id_number = EncryptedTextField(_("ID number"), max_length=18, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True)
    address = EncryptedTextField(_("address"), max_length=200, blank=True)
    consent = models.CharField(
        _("consent to mediation"), max_length=8, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    # Art. 23: a party may ask for a mediator, or refuse one.
    asked_for = models.ForeignKey(
        "people.Person",
        verbose_name=_("asked for mediator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refused = models.ForeignKey(
        "people.Person",
        verbose_name=_("refused mediator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["mediation", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class Session(models.Model):
    """调解: one sitting with date, place, who attended, and the record (Art. 27)."""

    mediation = models.ForeignKey(
        Mediation,
        verbose_name=_("mediation case"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    held_at = models.DateTimeField(_("held at"))
    venue = models.CharField(_("venue"), max_length=100)
    parties = models.ManyToManyField(Party, verbose_name=_("parties present"), related_name="+")
    mediators = models.ManyToManyField(
        "people.Person", verbose_name=_("mediators present"), related_name="+"
    )
    others_present = models.CharField(_("others present"), max_length=200, blank=True)
    record = models.TextField(_("record"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["mediation", "held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mediation.number} {self.held_at:%Y-%m-%d}"


class FollowUp(models.Model):
    """回访 (Art. 31): performance, satisfaction, whether the dispute came back, measures."""

    mediation = models.ForeignKey(
        Mediation,
        verbose_name=_("mediation case"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    visited_on = models.DateField(_("visited on"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    performance = models.CharField(_("performance"), max_length=8, choices=Performance.choices)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    recurred = models.BooleanField(_("the dispute came back or left a risk"), default=False)
    measures = models.TextField(_("measures taken"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["mediation", "visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.mediation.number} {self.visited_on}"


def _paper_path(instance: Document, filename: str) -> str:
    return f"mediation/{instance.mediation_id}/{filename}"


class Document(models.Model):
    """A paper a mediator adds to the case file (evidence, identity copies, a signed scan…)."""

    mediation = models.ForeignKey(
        Mediation,
        verbose_name=_("mediation case"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(
        pgettext_lazy("paper", "kind"), max_length=20, choices=DocumentKind.choices
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=_paper_path, blank=True)
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("paper of the case file")
        verbose_name_plural = _("papers of the case file")
        ordering = ["mediation", "kind", "pk"]

    def __str__(self) -> str:
        return self.title


class MediationEvent(models.Model):
    """One step on a mediation's timeline, written by its action (one per action)."""

    mediation = models.ForeignKey(
        Mediation, verbose_name=_("mediation case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(
        pgettext_lazy("event", "kind"), max_length=14, choices=EventKind.choices
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
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("mediation event")
        verbose_name_plural = _("mediation events")
        ordering = ["mediation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class MediationCounter(models.Model):
    """The last number given per organisation, kind (case or agreement) and year."""

    organisation = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year"], name="mediation_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.year}: {self.last}"


class IdempotencyKey(models.Model):
    """An Idempotency-Key a mediator sent with a registration: a retry gets the same case."""

    TTL = dt.timedelta(hours=24)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="mediation_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


__all__ = [
    "ORGANISATION_KINDS",
    "Document",
    "FollowUp",
    "IdempotencyKey",
    "Mediation",
    "MediationCounter",
    "MediationEvent",
    "Party",
    "Session",
    "organisations_of",
]
