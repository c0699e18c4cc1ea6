"""The Excel import finds a person already recorded through the blind index of their ID number
(or of their phone, with the same name), never by reading numbers back: the numbers are stored
encrypted. Only for importers who may unmask the person, and each match is an access-log row."""

from __future__ import annotations

import pytest
from django.utils import translation

from shuren.access.models import AccessLog
from shuren.people.models import Person
from shuren.places.excel.actions import import_places
from shuren.places.excel.template import write_workbook
from shuren.places.models import Resident


@pytest.fixture(autouse=True)
def in_chinese():
    with translation.override("zh-hans"):
        yield


def run(world, username: str, residents: list[dict], **kwargs):
    rows = {"residents": residents}
    return import_places(actor=world.user(username), file=write_workbook(rows), **kwargs)


def resident(**values: str) -> dict:
    return {"household_code": "H-B01-101", "relation": "户主", **values}


def test_a_new_code_with_a_recorded_id_number_is_that_person_not_a_second_one(world):
    wang, persons = world.person("P-WANG"), Person.objects.count()
    row = resident(
        person_code="JD-0001",
        name="王秀英",
        phone="13812345678",
        id_number="440602195803031231",
    )

    report = run(world, "demo-shequ", [row])

    assert report.ok, report.errors
    assert Person.objects.count() == persons
    assert report.persons.created == 0
    assert Resident.objects.filter(household__code="H-B01-101", person=wang).count() == 1
    log = AccessLog.objects.get()
    assert (log.user, log.object_type, log.object_id, log.fields) == (
        world.user("demo-shequ"),
        "person",
        str(wang.pk),
        "id_number",
    )
    assert "JD-0001" in log.reason
    assert Person.objects.get(pk=wang.pk).code == "P-WANG"  # the person keeps their code


def test_a_dry_run_matches_the_same_and_logs_it(world):
    row = resident(person_code="JD-0001", name="王秀英", id_number="440602195803031231")
    report = run(world, "demo-shequ", [row], dry_run=True)
    assert report.ok, report.errors
    assert report.persons.created == 0
    assert AccessLog.objects.filter(fields="id_number").count() == 1


def test_a_new_code_with_a_recorded_phone_and_the_same_name_is_that_person(world):
    huang = world.person("P-HUANG")
    row = resident(
        person_code="JD-0002", name="黄丽", phone="135 3333 4444", household_code="H-T1-0801"
    )
    persons = Person.objects.count()
    report = run(world, "demo-jiedao", [row])
    assert report.ok, report.errors
    assert Person.objects.count() == persons
    assert (AccessLog.objects.get().object_id, AccessLog.objects.get().fields) == (
        str(huang.pk),
        "phone",
    )


def test_a_shared_phone_under_another_name_is_another_person(world):
    # A family's one landline or a parent's mobile: the phone alone names nobody.
    row = resident(person_code="JD-0003", name="黄小明", phone="13533334444")
    persons = Person.objects.count()
    report = run(world, "demo-shequ", [row])
    assert report.ok, report.errors
    assert Person.objects.count() == persons + 1
    assert not AccessLog.objects.exists()


def test_an_importer_who_may_not_unmask_is_told_nothing_about_a_number(world):
    # The system administrator sees no resident (三员分立): a match would confirm a guessed
    # number, and the refusal is the same whatever the number.
    row = resident(person_code="JD-0004", name="王秀英", id_number="440602195803031231")
    persons = Person.objects.count()
    report = run(world, "demo-admin", [row])
    other = run(world, "demo-admin", [{**row, "id_number": "440602195803031258"}])
    assert [e.message for e in report.errors] == [e.message for e in other.errors]
    assert all("住户和居民属于居民个人信息" in e.message for e in report.errors)
    assert Person.objects.count() == persons
    assert not AccessLog.objects.exists()


def test_one_id_number_under_two_codes_of_a_file_is_an_error(world):
    rows = [
        resident(person_code="JD-0005", name="何新", id_number="440602197001010059"),
        resident(person_code="JD-0006", name="何新", id_number="440602197001010059"),
    ]
    report = run(world, "demo-shequ", rows)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "身份证号", "该身份证号已在第 2 行（人员 JD-0005）填写过：同一个人只用一个编码。")
    ]


def test_a_recorded_id_number_under_another_name_is_an_error_not_a_rename(world):
    # A mistyped ID number must not rename someone else, nor create a second holder of it.
    row = resident(person_code="JD-0007", name="林大伯", id_number="440602195803031231")
    report = run(world, "demo-shequ", [row])
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            2,
            "身份证号",
            "该身份证号已登记在人员 P-WANG 名下，但姓名不同：请核对号码，或填写该人员的编码。",
        )
    ]
    assert world.person("P-WANG").name == "王秀英"
    assert AccessLog.objects.get().object_id == str(world.person("P-WANG").pk)
