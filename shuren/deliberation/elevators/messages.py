"""What owners and staff are told about an elevator project, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.deliberation.elevators.choices import Stage
from shuren.notify.messages import message


@message(
    "elevator.created",
    label=gettext_lazy("An elevator project is registered for my stairwell"),
)
def created(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Elevator for your stairwell: %(title)s") % p,
        _("A project to add an elevator to your stairwell has been registered."),
    )


@message("elevator.advanced", label=gettext_lazy("An elevator project moves to its next stage"))
def advanced(p: Mapping[str, Any]) -> tuple[str, str]:
    stage = Stage(p["stage"]).label
    if p.get("until"):
        body = (
            _(
                "The public notice runs until %(until)s: an owner who objects can say so on the "
                "project's page."
            )
            % p
        )
    else:
        body = _("The project is now at the stage: %(stage)s.") % {"stage": stage}
    return _("%(title)s: %(stage)s") % {"title": p["title"], "stage": stage}, body


@message("elevator.costs", label=gettext_lazy("An elevator project's cost sharing is agreed"))
def costs(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Cost sharing agreed: %(title)s") % p,
        _("The total is %(total)s yuan; each flat's share is on the project's page.") % p,
    )


@message(
    "elevator.consent_refused",
    label=gettext_lazy("An owner refuses consent to an elevator project"),
)
def consent_refused(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Consent refused: %(title)s") % p,
        _("The owner of %(room)s refused consent; the project cannot go on without it.") % p,
    )


@message("elevator.objection", label=gettext_lazy("An objection is raised to an elevator project"))
def objection(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Objection to the elevator: %(title)s") % p,
        _("An objection was raised in the public notice; a matter has been opened for it."),
    )


@message(
    "elevator.objection_settled",
    label=gettext_lazy("My objection to an elevator project is settled"),
)
def objection_settled(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Your objection was settled: %(title)s") % p,
        _("How it was settled is on the project's page."),
    )


@message("elevator.stopped", label=gettext_lazy("An elevator project is stopped"))
def stopped(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Elevator project stopped: %(title)s") % p,
        _("The project to add an elevator to your stairwell has been stopped: %(reason)s") % p,
    )
