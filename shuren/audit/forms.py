"""The auditor's filters over the audit trail (kind, who, days, object), shared by the page
and its Excel export so both hold exactly the same entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.text import InputsForm

LARGEST_SEQ = 2**62  # a page link past any number the trail will reach; not a database error


class AuditFilter(InputsForm):
    kind = forms.ChoiceField(
        label=_("What happened"),
        required=False,
        choices=[("", _("Everything")), *Kind.choices],
    )
    user = forms.CharField(label=_("Account"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("Object"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day comes after the last."), code="dates")
        return cleaned

    def entries(self) -> QuerySet[AuditEntry]:
        """The entries these filters hold, newest first (call after is_valid())."""
        entries = AuditEntry.objects.order_by("-seq")
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if kind := data.get("kind"):
            entries = entries.filter(kind=kind)
        if user := (data.get("user") or "").strip():
            # Who acted, or whose account it was about (a failed login, a password set).
            entries = entries.filter(
                Q(actor_username__icontains=user)
                | Q(target_type="accounts.user", target_label__icontains=user)
            )
        # Days in Asia/Shanghai, as a range on the indexed time (not a date of each row).
        if start := data.get("date_from"):
            entries = entries.filter(at__gte=_midnight(start))
        if end := data.get("date_to"):
            entries = entries.filter(at__lt=_midnight(end + dt.timedelta(days=1)))
        if text := (data.get("q") or "").strip():
            entries = entries.filter(
                Q(target_label__icontains=text) | Q(target_id=text) | Q(target_type=text)
            )
        return entries

    def applied(self) -> dict[str, str]:
        """The filters as given (for the export's hidden fields and the pages' links)."""
        if not self.is_bound:
            return {}
        return {name: str(self.data.get(name, "")) for name in self.fields if self.data.get(name)}


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class PageForm(InputsForm):
    """Keyset paging: the entries older than `before` (a number), newest first."""

    before = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_SEQ)
