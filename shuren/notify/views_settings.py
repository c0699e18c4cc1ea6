"""The pages of the channels beyond the app: a person's notification settings, and a team's
WeCom group robot (set by the staff who keep the team; the address only ever shown masked)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from shuren.accounts.http import AuthenticatedRequest
from shuren.kernel.versions import StaleVersion
from shuren.notify import wecom
from shuren.notify.actions import set_preferences, set_team_robot
from shuren.notify.forms import PreferenceForm, RobotForm
from shuren.notify.models import Preference, TeamRobot
from shuren.people.models import Team

STALE = _("Someone changed this meanwhile. Here is what is set now; try again.")


def kept_teams(user: Any) -> list[Team]:
    """The teams whose robot the user may set (a short list: their community's teams)."""
    teams = Team.objects.visible_to(user).select_related("place").order_by("place__path", "name")
    return [t for t in teams[:200] if user.has_perm("notify.set_team_robot", t)]


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    pref = Preference.objects.filter(user=request.user).first()
    status, error = 200, ""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                set_preferences(
                    actor=request.user,
                    user=request.user,
                    muted_kinds=data["muted"],
                    by_email=data["by_email"],
                    wecom_mention=data["wecom_mention"],
                    quiet_from=data["quiet_from"],
                    quiet_until=data["quiet_until"],
                    expected_version=data["version"] if pref else None,
                )
            except ValidationError as exc:
                status, error = 422, " ".join(exc.messages)
            except StaleVersion:
                status, error = 409, str(STALE)
            else:
                return redirect("notify:preferences")
        else:
            status = 422
    else:
        form = PreferenceForm(initial=_initial(pref))
    return render(
        request,
        "notify/preferences.html",
        {"form": form, "error": error, "teams": kept_teams(request.user)},
        status=status,
    )


def _initial(pref: Preference | None) -> dict[str, Any]:
    if pref is None:
        return {"version": ""}
    return {
        "by_email": pref.by_email,
        "wecom_mention": pref.wecom_mention,
        "quiet_from": pref.quiet_from,
        "quiet_until": pref.quiet_until,
        "muted": pref.muted_kinds,
        "version": pref.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def team_robot(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A team's robot: out of scope, or not the user's to set, answers 404 like a missing team."""
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("notify.set_team_robot", team):
        raise Http404
    robot = TeamRobot.objects.filter(team=team).first()
    status, error = 200, ""
    if request.method == "POST":
        form = RobotForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            webhook = data["webhook"].strip() or (robot.webhook if robot else "")
            if data["disconnect"]:
                webhook = ""
            try:
                set_team_robot(
                    actor=request.user,
                    team=team,
                    webhook=webhook,
                    enabled=data["enabled"],
                    expected_version=data["version"] if robot else None,
                )
            except ValidationError as exc:
                status, error = 422, " ".join(exc.messages)
            except StaleVersion:
                status, error = 409, str(STALE)
            except PermissionDenied:
                raise Http404 from None
            else:
                return redirect("notify:team_robot", pk=team.pk)
        else:
            status = 422
    else:
        form = RobotForm(
            initial={
                "enabled": robot.enabled if robot else True,
                "version": robot.version if robot else "",
            }
        )
    return render(
        request,
        "notify/team_robot.html",
        {
            "form": form,
            "error": error,
            "team": team,
            "robot": robot,
            "masked": wecom.masked(robot.webhook) if robot else "",
        },
        status=status,
    )
