"""Delivery beyond the app: each e-mail or WeCom message is a Delivery row, claimed once,
retried with backoff and given up after MAX_ATTEMPTS with its error kept for the administrator.

`fan_out` is an outbox handler (NotifyConfig.ready()): in the worker's transaction for a row it
writes the rows (who wants e-mail, which teams' robots hear of it) and, on commit, enqueues one
task per delivery. The task claims its row with a conditional UPDATE, so two workers (or a
task and `manage.py senddeliveries`) never send it twice; a channel that fails only reschedules
its own rows, so nothing else waits and nothing is lost.

Messages carry what happened and a link, masked (access.masking): never a phone, never an ID
number, never more of a matter than its notification says.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from shuren.access.masking import mask_text
from shuren.kernel.models import Outbox
from shuren.kernel.tasks import enqueue_on_commit
from shuren.notify import wecom
from shuren.notify.messages import render
from shuren.notify.models import Channel, Delivery, DeliveryStatus, Preference, TeamRobot
from shuren.people.models import Membership, Person, Post

MAX_ATTEMPTS = 5
# After the first failure wait 30 s, then 2, 10 and 60 minutes before giving up.
BACKOFF = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=10),
    dt.timedelta(minutes=60),
)
# A row claimed this long ago by a worker that never finished is claimable again.
STALE_CLAIM = dt.timedelta(minutes=10)
DIGEST_MAX = 40  # rows merged into one robot's digest at most (the rest go in the next)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MOBILE = re.compile(r"1[3-9][0-9]{9}")


# --- Fan-out: an outbox row becomes deliveries -----------------------------------------------


def absolute(link: str) -> str:
    if not link.startswith("/") or link.startswith("//"):
        return settings.SITE_URL + "/"
    return settings.SITE_URL + link


def quiet_until(pref: Preference, now: dt.datetime) -> dt.datetime | None:
    """The end of the person's quiet hours if `now` falls in them (Asia/Shanghai)."""
    start, end = pref.quiet_from, pref.quiet_until
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(SHANGHAI)
    t = local.time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=SHANGHAI).astimezone(dt.UTC)


def _title(kind: str, params: dict[str, Any], language: str) -> str:
    """What happened, in the language given, masked (a title may quote what someone typed)."""
    with translation.override(language):
        title, _body = render(kind, params)
    return mask_text(title)[:200]


def fan_out(row: Outbox) -> list[Delivery]:
    """The deliveries an outbox row asks for beyond the app (an outbox handler)."""
    if not row.kind or not row.recipients:
        return []
    now = timezone.now()
    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=row.recipients, is_active=True)
        .only("pk", "email", "language", "person_id")
    }
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
    link = absolute(str(row.params.get("link", "")))
    rows: list[Delivery] = []
    for user_id, user in users.items():
        pref = prefs.get(user_id)
        if pref is None or not pref.by_email or not pref.wants(row.kind) or not user.email:
            continue
        # Only what happened (the title) and the link: a notice's body may say more of a
        # matter than should sit in a mailbox; the link leads to it behind the sign-in.
        title = _title(row.kind, row.params, user.language or settings.LANGUAGE_CODE)
        rows.append(
            Delivery(
                channel=Channel.EMAIL,
                outbox=row,
                recipient_id=user_id,
                title=title,
                link=link,
                not_before=quiet_until(pref, now),
            )
        )
    rows += _robot_deliveries(row, users, prefs, link)
    made = Delivery.objects.bulk_create(rows)
    pks = [d.pk for d in made]
    if pks:
        enqueue(pks)
    return made


def _robot_deliveries(
    row: Outbox, users: dict[int, Any], prefs: dict[int, Preference], link: str
) -> list[Delivery]:
    """One delivery per team robot whose team counts a recipient among its members or post
    holders; those who asked for it are @-mentioned by mobile."""
    persons = {u.person_id: pk for pk, u in users.items() if u.person_id}
    if not persons:
        return []
    today = timezone.localdate()
    members = Membership.objects.active(today).filter(person_id__in=persons)
    holders = Post.objects.active(today).filter(person_id__in=persons, team__isnull=False)
    team_people: dict[int, set[int]] = {}
    for team_id, person_id in [
        *members.values_list("team_id", "person_id"),
        *holders.values_list("team_id", "person_id"),
    ]:
        team_people.setdefault(team_id, set()).add(person_id)
    robots = TeamRobot.objects.filter(team_id__in=team_people, enabled=True).exclude(webhook="")
    if not robots:
        return []
    title = _title(row.kind, row.params, settings.LANGUAGE_CODE)
    out = []
    for robot in robots:
        mentioned = []
        for person_id in sorted(team_people[robot.team_id]):
            pref = prefs.get(persons[person_id])
            if pref is not None and pref.wecom_mention and pref.wants(row.kind):
                mentioned.append(person_id)
        out.append(
            Delivery(
                channel=Channel.WECOM,
                outbox=row,
                robot=robot,
                title=title,
                link=link,
                mentions=mentioned,  # person ids: the numbers are read when sending
            )
        )
    return out


def enqueue(pks: Iterable[int], *, at: dt.datetime | None = None) -> None:
    """One task per delivery, once the transaction that wrote them commits (a queue that is
    down loses nothing: `senddeliveries` finds the rows)."""
    task = send_delivery.using(run_after=at) if at is not None else send_delivery
    for pk in pks:
        enqueue_on_commit(task, pk)


# --- Claiming and sending --------------------------------------------------------------------


def due(now: dt.datetime) -> Q:
    pending = Q(status=DeliveryStatus.PENDING) & (
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return pending | abandoned


def claim(pks: Iterable[int], now: dt.datetime) -> list[Delivery]:
    """Take the due rows among `pks` with one conditional UPDATE; the rows another worker took
    first are not returned."""
    token = uuid.uuid4().hex
    Delivery.objects.filter(due(now), pk__in=list(pks)).update(
        status=DeliveryStatus.SENDING, claimed_at=now, claim=token
    )
    return list(Delivery.objects.filter(status=DeliveryStatus.SENDING, claim=token).order_by("pk"))


def _sent(rows: list[Delivery], now: dt.datetime) -> None:
    Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, error=""
    )


def _failed(rows: list[Delivery], error: str, now: dt.datetime, *, retry: bool = True) -> None:
    """Back to the queue with backoff, or given up after MAX_ATTEMPTS (or at once when trying
    again cannot help)."""
    later: list[int] = []
    for row in rows:
        row.attempts += 1
        row.error = error[:2000]
        if not retry or row.attempts >= MAX_ATTEMPTS:
            row.status, row.not_before = DeliveryStatus.GIVEN_UP, None
        else:
            row.status = DeliveryStatus.PENDING
            row.not_before = now + BACKOFF[row.attempts - 1]
            later.append(row.pk)
        row.save(update_fields=["attempts", "error", "status", "not_before"])
    if later:
        at = rows[0].not_before
        # A robot's rows go together: one task takes them all (the others would find none).
        first = later if rows[0].channel == Channel.EMAIL else later[:1]
        enqueue(first, at=at)


def _release(rows: list[Delivery], until: dt.datetime) -> None:
    """Not sent and not failed (the robot's minute is full): back to the queue, no attempt."""
    pks = [d.pk for d in rows]
    Delivery.objects.filter(pk__in=pks).update(
        status=DeliveryStatus.PENDING, not_before=until, claimed_at=None, claim=""
    )
    enqueue(pks[:1], at=until)


def send_one(pk: int, *, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else has it; what happened, in a word."""
    now = now or timezone.now()
    head = Delivery.objects.filter(pk=pk).values_list("channel", "robot_id").first()
    if head is None:
        return "missing"
    channel, robot_id = head
    if channel == Channel.EMAIL:
        rows = claim([pk], now)
        return _send_email(rows[0], now) if rows else "taken"
    return _send_robot(robot_id, now, first=pk)


def _send_email(row: Delivery, now: dt.datetime) -> str:
    user = (
        get_user_model().objects.filter(pk=row.recipient_id, is_active=True).first()
        if row.recipient_id is not None
        else None
    )
    if user is None or not user.email:
        _failed([row], "no active recipient with an e-mail address", now, retry=False)
        return "given_up"
    try:
        send_mail(
            subject=f"[{_('Shuren')}] {row.title}",
            message=_("%(title)s\n\nRead it in Shuren (sign in first): %(link)s\n")
            % {"title": row.title, "link": row.link},
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception as error:  # SMTP down, refused, timed out: retried
        _failed([row], f"{type(error).__name__}: {error}", now)
        return "failed"
    _sent([row], now)
    return "sent"


def _take_a_slot(robot_id: int, now: dt.datetime) -> dt.datetime | None:
    """One of the robot's 20 messages this minute (a conditional UPDATE); None when taken,
    else when the next minute opens."""
    minute_ago = now - dt.timedelta(minutes=1)
    robots = TeamRobot.objects.filter(pk=robot_id)
    if robots.filter(Q(window_start__isnull=True) | Q(window_start__lte=minute_ago)).update(
        window_start=now, window_count=1
    ):
        return None
    if robots.filter(window_count__lt=wecom.PER_MINUTE).update(window_count=F("window_count") + 1):
        return None
    start = robots.values_list("window_start", flat=True).first() or now
    return start + dt.timedelta(minutes=1)


def _send_robot(robot_id: int, now: dt.datetime, *, first: int) -> str:
    """Send what is due for one robot: a single row as text (with its @-mentions), several as
    one markdown digest, so a burst costs one of the robot's 20 messages a minute."""
    waiting = Delivery.objects.filter(due(now), robot_id=robot_id, channel=Channel.WECOM)
    pks = [first, *waiting.exclude(pk=first).order_by("pk").values_list("pk", flat=True)]
    rows = claim(pks[:DIGEST_MAX], now)
    if not rows:
        return "taken"
    robot = TeamRobot.objects.filter(pk=robot_id).first()
    if robot is None or not robot.enabled or not robot.webhook:
        _failed(rows, "the team's robot is switched off or has no address", now, retry=False)
        return "given_up"
    opens = _take_a_slot(robot_id, now)
    if opens is not None:
        _release(rows, opens)
        return "later"
    try:
        if len(rows) == 1:
            wecom.send(robot.webhook, _text(rows[0]))
        else:
            heading = _("%(n)d new notices") % {"n": len(rows)}
            content, held = wecom.digest(heading, [(d.title, d.link) for d in rows])
            if held < len(rows):  # the rest go in the next message, in the next slot
                heading = _("%(n)d new notices") % {"n": held}
                content, held = wecom.digest(heading, [(d.title, d.link) for d in rows[:held]])
                _release(rows[held:], now)
                rows = rows[:held]
            wecom.send(robot.webhook, wecom.markdown_message(content))
    except wecom.RobotError as error:
        _failed(rows, str(error), now, retry=error.retry)
        return "failed"
    _sent(rows, now)
    return "sent"


def _text(row: Delivery) -> dict[str, Any]:
    # Only mainland mobiles: WeCom finds a member by the mobile their account was made with.
    people = Person.objects.filter(pk__in=row.mentions or []).order_by("pk")
    mobiles = [p.phone for p in people if MOBILE.fullmatch(p.phone or "")]
    return wecom.text_message(f"{row.title}\n{row.link}", mobiles=mobiles)


@task()
def send_delivery(pk: int) -> str:
    """The task: send one delivery (and, for a robot, whatever else waits for it)."""
    return send_one(pk)


def send_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send every due delivery (`manage.py senddeliveries`: a sweep after an outage of the
    queue, or without a task worker); how many were tried."""
    now = now or timezone.now()
    pks = list(
        Delivery.objects.filter(due(now)).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    for pk in pks:
        send_one(pk, now=now)
    return len(pks)
