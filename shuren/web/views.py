"""The home page: what this user's posts and household let them see, at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from shuren.accounts.http import AuthenticatedRequest
from shuren.web.queries import home_sections


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    sections = home_sections(
        user, page=request.GET.get("page", 1), shop_page=request.GET.get("shops", 1)
    )
    person = getattr(user, "person", None)
    return render(
        request,
        "web/home.html",
        {"sections": sections, "name": person.name if person else user.get_username()},
    )
