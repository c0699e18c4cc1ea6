"""Staff entry: community and subdistrict staff, any channel, a risk level and the parties."""

from __future__ import annotations

import re

import pytest

from shuren.cases.models import Case, CaseParty, Channel, PartySide, RiskLevel
from shuren.cases.tests.intake_support import (
    form_data,
    media_in_tmp,  # noqa: F401 - autouse: photos go to a temporary folder
)
from shuren.people.models import Person
from shuren.places.models import Resident

URL = "/cases/staff/"


def entry(world, place="GC-JD-JYLW-B01", **extra):
    return form_data(world, place, **{"channel": Channel.PHONE, "risk": RiskLevel.LOW, **extra})


@pytest.mark.parametrize(
    "username", ["demo-shequ", "demo-shequ2", "demo-wangge", "demo-tiaojie", "demo-jiedao"]
)
def test_community_and_subdistrict_staff_and_mediators_have_the_staff_entry(
    client, login, username
):
    login(username)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("username", ["demo-resident", "demo-louzhang", "demo-wuye", "demo-admin"])
def test_others_get_a_404(client, login, username):
    login(username)
    assert client.get(URL).status_code == 404


def test_community_staff_start_at_their_community_with_its_estates(client, login, world):
    login("demo-shequ")
    page = client.get(URL).content.decode()
    community = world.place("GC-JD")
    assert re.search(rf'name="place" value="{community.pk}"[^>]*checked', page)
    for estate in ("GC-JD-JYLW", "GC-JD-JDXC"):
        assert f'name="place" value="{world.place(estate).pk}"' in page
    channels = re.findall(r'name="channel" value="(\w+)"', page)
    assert channels == [
        "reception_day",
        "patrol",
        "visit",
        "wechat_group",
        "phone",
        "joint_meeting",
    ]
    assert re.findall(r'name="risk" value="(\w+)"', page) == ["low", "medium", "high", "critical"]


def test_a_phone_call_with_high_risk_and_two_parties_is_recorded(client, login, world):
    staff = login("demo-shequ")
    response = client.post(
        URL,
        entry(
            world,
            risk=RiskLevel.HIGH,
            contact_name="王女士",
            contact_phone="13812345678",
            applicants="王秀英",
            respondents="陈美玲（P-CHEN）",
        ),
    )
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.channel == Channel.PHONE
    assert case.risk == RiskLevel.HIGH
    assert case.recorded_by == staff
    assert case.contact_phone == "13812345678"
    assert {(p.person.code, p.side) for p in CaseParty.objects.filter(case=case)} == {
        ("P-WANG", PartySide.APPLICANT),
        ("P-CHEN", PartySide.RESPONDENT),
    }


def test_a_joint_meeting_matter_at_the_community_itself(client, login, world):
    login("demo-wangge")
    client.post(URL, entry(world, "GC-JD", channel=Channel.JOINT_MEETING, category_code="parking"))
    case = Case.objects.get()
    assert case.channel == Channel.JOINT_MEETING
    assert case.place == world.place("GC-JD")
    assert case.reporter == world.person("P-WG")  # nobody else named: the staff member's own


def test_several_applicants_separated_by_the_chinese_comma(client, login, world):
    login("demo-shequ")
    client.post(
        URL, entry(world, channel=Channel.VISIT, reporter="王秀英", applicants="王秀英、李建国")
    )
    assert set(CaseParty.objects.values_list("person__code", flat=True)) == {"P-WANG", "P-WANG-SON"}


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"applicants": "王秀英", "respondents": "王秀英"}, "王秀英不能同时是申请人和被申请人。"),
        ({"respondents": "黄丽"}, "您负责的范围内没有叫“黄丽”的人。"),  # 同成, another community
        ({"channel": Channel.ONLINE}, "反映渠道"),
        ({"channel": Channel.OPEN311}, "反映渠道"),
        ({"risk": "extreme"}, "风险等级"),
    ],
)
def test_a_wrong_entry_saves_nothing(client, login, world, extra, problem):
    login("demo-shequ")
    response = client.post(URL, entry(world, contact_name="王女士", **extra))
    assert problem in response.content.decode()
    assert Case.objects.count() == 0


def test_two_people_of_one_name_need_the_code(client, login, world):
    namesake = Person.objects.create(name="王秀英", code="P-WANG-2")
    Resident.objects.create(
        household=world.household("H-B01-102"), person=namesake, relation="other"
    )
    login("demo-shequ")
    page = client.get(URL).content.decode()
    assert "王秀英（P-WANG）" in page
    assert "王秀英（P-WANG-2）" in page
    response = client.post(URL, entry(world, channel=Channel.VISIT, reporter="王秀英"))
    assert "有几位都叫“王秀英”" in response.content.decode()
    client.post(URL, entry(world, channel=Channel.VISIT, reporter="王秀英（P-WANG-2）"))
    assert Case.objects.get().reporter == namesake


def test_community_staff_may_not_enter_a_case_in_another_community(client, login, world):
    login("demo-shequ")
    response = client.post(URL, entry(world, "GC-TC-JYZY-T1", contact_name="黄女士"))
    assert "请从列出的地点中选择一个。" in response.content.decode()
    assert Case.objects.count() == 0


def test_subdistrict_staff_may_enter_a_case_anywhere_in_the_subdistrict(client, login, world):
    login("demo-jiedao")
    page = client.get(URL).content.decode()
    assert re.search(rf'name="place" value="{world.place("GC").pk}"[^>]*checked', page)
    client.post(URL, entry(world, "GC-TC-JYZY-T1", contact_name="黄女士", respondents="黄丽"))
    case = Case.objects.get()
    assert case.place == world.place("GC-TC-JYZY-T1")
    assert case.case_parties.get().person == world.person("P-HUANG")
