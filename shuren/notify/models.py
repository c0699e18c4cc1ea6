"""In-app notifications: one row per recipient, read or not, written by the outbox worker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.crypto import EncryptedTextField


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        # A notification is personal: only its recipient ever reads it.
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user about something (kind + object id: no foreign key to any app)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        pgettext_lazy("notification", "kind"), max_length=40
    )  # "case.escalated", "case.overdue" …
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set once every channel the recipient uses has had it (in-app: when it is written).
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The outbox row it came from: one notification per row and recipient, however often a
    # worker is interrupted (the constraint below makes a second copy impossible).
    outbox = models.ForeignKey(
        "kernel.Outbox",
        verbose_name=_("outbox row"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["outbox", "recipient"], name="notification_once_per_outbox_row"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- The channels beyond the app: preferences, team robots, deliveries ------------------------


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group")


class Preference(models.Model):
    """How one person wants to be told: which kinds of event, by e-mail or not, and the hours
    (Asia/Shanghai) when nothing but the in-app list may reach them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notify_preference",
    )
    # The kinds they do NOT want beyond the app: a new kind reaches them until they say no.
    muted_kinds = models.JSONField(_("muted kinds"), default=list, blank=True)
    by_email = models.BooleanField(_("by e-mail"), default=False)
    # Named by their mobile number in their team's WeCom group (the number goes to WeCom only).
    wecom_mention = models.BooleanField(_("mention me in the team's WeCom group"), default=False)
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return kind not in (self.muted_kinds or [])


class TeamRobot(models.Model):
    """The WeCom group robot of a team (its leaders' group): the webhook address holds the
    robot's secret key, so it is stored sealed and shown only masked."""

    team = models.OneToOneField(
        "people.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="wecom_robot",
    )
    webhook = EncryptedTextField(_("webhook address"), max_length=500, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    # The robot's 20-a-minute window: when it opened and how many messages went in it.
    window_start = models.DateTimeField(_("window start"), null=True, blank=True)
    window_count = models.PositiveSmallIntegerField(_("messages in window"), default=0)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("WeCom group robot")
        verbose_name_plural = _("WeCom group robots")

    def __str__(self) -> str:
        return str(self.team)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    GIVEN_UP = "given_up", _("Given up")


class Delivery(models.Model):
    """One message to one channel (a person's e-mail, a team's robot): its own row, claimed
    once, retried with backoff, given up after a limit with its error kept."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    outbox = models.ForeignKey(
        "kernel.Outbox",
        verbose_name=_("outbox row"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    robot = models.ForeignKey(
        TeamRobot,
        verbose_name=_("WeCom group robot"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # What is said: already masked, only what happened and a link. `mentions`: the ids of the
    # people to @-mention (their mobiles are read only when sending, never kept here).
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200)
    link = models.CharField(_("link"), max_length=500, blank=True)
    mentions = models.JSONField(_("people mentioned"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Who claimed it (a random token per claim): tells a worker's rows from another's.
    claim = models.CharField(_("claim"), max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["outbox", "channel", "recipient"],
                condition=Q(recipient__isnull=False),
                name="delivery_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["outbox", "channel", "robot"],
                condition=Q(robot__isnull=False),
                name="delivery_once_per_robot",
            ),
        ]
        indexes = [models.Index(fields=["status", "not_before"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.title}"
