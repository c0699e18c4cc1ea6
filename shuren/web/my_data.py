"""我的数据: everything Shuren holds on the person behind a login, as one file they download
(PIPL Art. 45). Their own numbers in full (it is their data); of the matters they are named in,
only what the case page would tell them (cases.parties); who read their record unmasked, and
when (the access log), which the law also lets them know."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from shuren.access.models import AccessLog
from shuren.cases.models import Case, CaseParty
from shuren.notify.models import Notification
from shuren.people.models import Membership, Post
from shuren.places.models import Household, Resident
from shuren.workdays.calendar import SHANGHAI


def _when(moment: Any) -> str | None:
    return timezone.localtime(moment, SHANGHAI).isoformat() if moment else None


def _day(day: Any) -> str | None:
    return day.isoformat() if day else None


def personal_data(user: Any) -> dict[str, Any]:
    """The file's content: the account, the person, homes, posts, teams, matters reported and
    named in, notifications, and the unmasked reads of their record."""
    person = user.person
    data: dict[str, Any] = {
        "generated_at": _when(timezone.now()),
        "account": {
            "username": user.get_username(),
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "elder_mode": user.elder_mode,
            "language": user.language,
        },
    }
    if person is None:
        return data
    data["person"] = {
        "name": person.name,
        "phone": person.phone,
        "id_number": person.id_number,
        "party_member": person.party_member,
        "leader_sees_phone": person.leader_sees_phone,
        "published_phone": person.published_phone,
    }
    data["homes"] = [
        {
            "household": r.household.code,
            "room": r.household.room,
            "place": r.household.place.name,
            "relation": r.get_relation_display(),
            "moved_in": _day(r.moved_in_on),
            "moved_out": _day(r.moved_out_on),
        }
        for r in Resident.objects.filter(person=person).select_related("household__place")
    ]
    data["owned_households"] = list(
        Household.objects.filter(owners=person).values_list("code", flat=True)
    )
    data["posts"] = [
        {
            "role": p.get_role_display(),
            "place": p.place.name if p.place else None,
            "team": p.team.name if p.team else None,
            "from": _day(p.starts_on),
            "until": _day(p.ends_on),
        }
        for p in Post.objects.filter(person=person).select_related("place", "team")
    ]
    data["teams"] = [
        {"team": m.team.name, "from": _day(m.starts_on), "until": _day(m.ends_on)}
        for m in Membership.objects.filter(person=person).select_related("team")
    ]
    data["matters_reported"] = [
        {
            "number": c.number,
            "title": c.title,
            "description": c.description,
            "reported_at": _when(c.reported_at),
            "status": c.get_status_display(),
        }
        for c in Case.objects.filter(reporter=person).order_by("reported_at")
    ]
    # Named in a dispute: their own line only, as on the case page (cases.parties).
    data["matters_named_in"] = [
        {"number": p.case.number, "title": p.case.title, "side": p.get_side_display()}
        for p in CaseParty.objects.filter(person=person).select_related("case")
    ]
    data["notifications"] = [
        {"at": _when(n.created_at), "title": n.title, "body": n.body}
        for n in Notification.objects.filter(recipient=user).order_by("created_at")
    ]
    data["unmasked_reads_of_my_record"] = [
        {"at": _when(row.at), "by": row.username, "fields": row.fields, "reason": row.reason}
        for row in AccessLog.objects.filter(object_type="person", object_id=str(person.pk))
    ]
    return data


def personal_data_file(user: Any) -> bytes:
    return json.dumps(personal_data(user), ensure_ascii=False, indent=2).encode()
