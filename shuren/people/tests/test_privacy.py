"""The PIPL rights (issue 10): a resident downloads everything held on them (Art. 45); staff
anonymise a person on request (Art. 47) with every statistic intact; the retention command
anonymises what is past its period. Each is audited."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.cases.actions import report_case
from shuren.cases.models import Case, Category
from shuren.kernel.models import Event
from shuren.people.actions import ANONYMOUS
from shuren.places.models import Resident


@pytest.fixture
def wangs_matter(world):
    return report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-odour"),
        title="王秀英反映：楼下晒咸鱼",
        description="我是王秀英，电话13812345678，请尽快处理",
    )


def test_a_resident_downloads_everything_held_on_them(client, login, wangs_matter):
    login("demo-resident")
    response = client.post(reverse("web:my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="shuren-my-data.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["person"]["name"] == "王秀英"
    assert data["person"]["phone"] == "13812345678"  # their own number, in full
    assert [home["household"] for home in data["homes"]] == ["H-B01-101"]
    assert [m["number"] for m in data["matters_reported"]] == [wangs_matter.number]
    entry = AuditEntry.objects.filter(kind=Kind.EXPORT).latest("pk")
    assert entry.actor_username == "demo-resident"
    assert entry.detail["what"] == "my_data"


def test_the_download_is_a_post_and_only_ever_the_callers_own(client, login):
    login("demo-louzhang")
    assert client.get(reverse("web:my_data")).status_code == 405
    data = json.loads(client.post(reverse("web:my_data")).content)
    assert data["person"]["name"] == "刘楼长"
    assert "13812345678" not in json.dumps(data, ensure_ascii=False)


def anonymise(client, person, **extra):
    return client.post(
        reverse("people:anonymise", args=[person.pk]),
        {"reason": "本人到社区提出书面申请", "confirm": "yes", **extra},
    )


def test_staff_anonymise_a_person_on_request_and_every_count_stays(
    client, login, world, wangs_matter
):
    wang = world.person("P-WANG")
    matters, homes = Case.objects.filter(reporter=wang).count(), Resident.objects.count()
    login("demo-shequ")
    assert anonymise(client, wang).status_code == 302
    wang.refresh_from_db()
    assert (wang.name, wang.phone, wang.id_number, wang.code) == (ANONYMOUS, "", "", None)
    account = wang.user
    assert account.is_active is False
    assert account.username.startswith("anonymised-")
    # Statistics intact: the matter and the home are still there and still count.
    assert Case.objects.filter(reporter=wang).count() == matters
    assert Resident.objects.count() == homes
    wangs_matter.refresh_from_db()
    assert "王秀英" not in wangs_matter.title + wangs_matter.description
    assert "13812345678" not in wangs_matter.description
    assert ANONYMOUS in wangs_matter.description
    event = Event.objects.get(kind="person.anonymised")
    assert event.actor.username == "demo-shequ"
    audit = AuditEntry.objects.get(kind=Kind.ANONYMISED)
    assert audit.actor_username == "demo-shequ"


def test_anonymising_needs_the_confirmation_and_the_right_role(client, login, world):
    wang = world.person("P-WANG")
    login("demo-shequ")
    anonymise(client, wang, confirm="")
    wang.refresh_from_db()
    assert wang.name == "王秀英"
    login("demo-louzhang")  # sees the resident, keeps no record of them
    assert anonymise(client, wang).status_code == 403
    wang.refresh_from_db()
    assert wang.name == "王秀英"


def test_the_retention_command_anonymises_what_is_past_its_period(world, wangs_matter):
    # 何婆婆 sold the lane house and moved out six years ago: she holds nothing here any more.
    # 邓伯 moved out of the old village as long ago, but still owns his flat.
    he = world.person("P-HE")
    long_ago = timezone.localdate() - dt.timedelta(days=6 * 365)
    Resident.objects.filter(person__in=[he, world.person("P-DENG")]).update(moved_out_on=long_ago)
    world.household("H-JB-3").owners.remove(he)
    old = report_case(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JYLW-B01"),
        category=Category.objects.get(code="neighbour-odour"),
        title="来电反映",
        contact_name="周先生",
        contact_phone="13699998888",
    )
    Case.objects.filter(pk=old.pk).update(
        status="closed", closed_at=timezone.now() - dt.timedelta(days=4 * 365)
    )
    call_command("applyretention", stdout=io.StringIO())
    he.refresh_from_db()
    assert he.name == ANONYMOUS
    # An owner stays on the register (owners vote), moved away or not.
    deng = world.person("P-DENG")
    assert deng.name == "邓伯"
    assert world.person("P-WANG").name == "王秀英"  # still living here
    old.refresh_from_db()
    assert (old.contact_name, old.contact_phone) == ("", "")
    kinds = list(AuditEntry.objects.filter(kind=Kind.ANONYMISED).values_list("detail", flat=True))
    assert {"what": "contacts_of_closed_matters", "matters": 1} in kinds
    assert any(detail.get("by") == "retention" for detail in kinds)


def test_a_mediator_finds_her_posts_and_team_in_her_data(client, login):
    login("demo-tiaojie")
    data = json.loads(client.post(reverse("web:my_data")).content)
    assert {post["role"] for post in data["posts"]} == {"调解员"}
    assert [team["team"] for team in data["teams"]] == ["苏志敏创熟调解工作室"]
