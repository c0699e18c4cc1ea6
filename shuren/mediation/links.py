"""What a matter's page says of its mediation (调解中, the agreement, the failure), and the link
to the case for the organisation's mediators only (cases.links)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from shuren.cases.links import Link
from shuren.mediation.models import Mediation


def mediation_links(user: Any, case: Any) -> list[Link]:
    found = []
    for m in Mediation.objects.filter(case_id=case.pk).select_related("organisation"):
        # Decided by the permission, not by the link: the number is the mediators' even where
        # the pages are not mounted (no URL).
        theirs = user.has_perm("mediation.view_mediation", m)
        found.append(
            Link(
                label=m.organisation.name,
                status=_("Mediating") if m.is_open else str(m.get_status_display()),
                url=m.get_absolute_url() if theirs else "",
                number=m.number if theirs else "",
            )
        )
    return found
