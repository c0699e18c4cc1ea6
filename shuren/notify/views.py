"""The notification list: what the user was told, newest first; opening one marks it read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.notify.actions import mark_read
from shuren.notify.models import Notification

PER_PAGE = 20


@login_required
@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    mine = Notification.objects.visible_to(request.user)
    unread_only = request.GET.get("unread") == "1"
    shown = mine.unread() if unread_only else mine
    page = Paginator(shown.only("pk", "title", "body", "link", "created_at", "read_at"), PER_PAGE)
    return render(
        request,
        "notify/list.html",
        {"page": page.get_page(request.GET.get("page")), "unread_only": unread_only},
    )


@login_required
@require_GET
def open_notification(request: AuthenticatedRequest, pk: int) -> HttpResponseRedirect:
    """Follow a notification to what it is about, marking it read on the way (someone else's
    answers 404 like a missing one)."""
    note = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    mark_read(user=request.user, notification_ids=[note.pk])
    # Links are written by the worker from a case's own URL; anything else goes to the list.
    if note.link and url_has_allowed_host_and_scheme(note.link, allowed_hosts=None):
        return redirect(note.link)
    return redirect("notify:list")


@login_required
@require_POST
def mark_notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    """Mark one notification read (`id`), or all of them."""
    raw = request.POST.get("id", "")
    if raw:
        if not raw.isdigit() or len(raw) > 18:  # an id, not 4,300 digits int() refuses
            return HttpResponse(status=400)
        note = get_object_or_404(Notification.objects.visible_to(request.user), pk=int(raw))
        mark_read(user=request.user, notification_ids=[note.pk])
    else:
        mark_read(user=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("notify:list")
    # A URL, never a view name for redirect() to reverse (a `next` of "abc" is a relative URL).
    return HttpResponseRedirect(back)
