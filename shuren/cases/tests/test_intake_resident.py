"""A resident reports a matter from their phone: their own place, a category, a few words,
photos checked and stripped, no duplicate from a second tap, likely duplicates offered."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.messages import get_messages
from PIL import Image

from shuren.cases.actions import report_case
from shuren.cases.choices import EventKind
from shuren.cases.models import Case, CaseEvent, CasePhoto, Channel
from shuren.cases.tests.intake_support import (
    FISH,
    category,
    fake_jpeg,
    form_data,
    jpeg,
    media_in_tmp,  # noqa: F401 - autouse: photos go to a temporary folder
    png,
)

URL = "/cases/report/"


def radios(content: bytes, name: str) -> list[tuple[str, bool]]:
    """(value, checked) of the radios with this name on a page."""
    found = re.findall(
        rb'<input type="radio" name="%s" value="([^"]+)"[^>]*?( checked)?>' % name.encode(),
        content,
    )
    return [(value.decode(), bool(checked)) for value, checked in found]


def test_the_page_offers_the_residents_own_places_with_their_unit_chosen(client, login, world):
    login("demo-resident")
    response = client.get(URL)
    assert response.status_code == 200
    places = radios(response.content, "place")
    assert places == [
        (str(world.place("GC-JD-JYLW").pk), False),
        (str(world.place("GC-JD-JYLW-B01").pk), False),
        (str(world.place("GC-JD-JYLW-B01-U1").pk), True),
    ]


def test_the_categories_are_the_leaves_of_the_two_level_tree(client, login, world):
    login("demo-resident")
    page = client.get(URL).content.decode()
    offered = {int(v) for v, _ in radios(page.encode(), "category")}
    assert category("neighbour-odour").pk in offered
    assert category("facilities").pk in offered
    assert category("neighbour").pk not in offered  # 邻里纠纷 is a heading over its children
    assert "邻里纠纷" in page
    assert page.index("邻里纠纷") < page.index("噪音") < page.index("物业纠纷")


def test_each_showing_of_the_form_carries_a_fresh_idempotency_key(client, login):
    login("demo-resident")
    keys = [
        re.search(rb'name="idempotency_key" value="([0-9a-f]{32})"', client.get(URL).content)[1]
        for _ in range(2)
    ]
    assert keys[0] != keys[1]


@pytest.mark.parametrize("username", ["demo-louzhang", "demo-shequ", "nobody"])
def test_someone_who_lives_nowhere_gets_a_404(client, login, username):
    login(username)
    assert client.get(URL).status_code == 404


def test_a_report_lands_on_the_case_page_with_its_number(client, login, world):
    login("demo-resident")
    response = client.post(URL, form_data(world))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.channel == Channel.ONLINE
    assert case.reporter == world.person("P-WANG")
    assert case.recorded_by == world.user("demo-resident")
    assert case.place == world.place("GC-JD-JYLW-B01-U1")
    assert case.category == category("neighbour-odour")
    assert case.title == FISH
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes == [f"已登记，编号 {case.number}。可在本页跟进办理情况。"]
    assert re.fullmatch(r"GC-\d{4}-\d{6}", case.number)


def test_photos_are_stored_re_encoded_without_exif(client, login, world):
    login("demo-resident")
    client.post(URL, {**form_data(world), "photos": [jpeg(gps=True), png()]})
    photos = list(CasePhoto.objects.order_by("pk"))
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    for photo in photos:
        data = photo.file.read()
        assert photo.size == len(data)
        assert b"ShurenPhone" not in data
        assert dict(Image.open(io.BytesIO(data)).getexif()) == {}
        assert "fish" not in photo.file.name  # never the uploader's file name
    assert photos[0].uploaded_by == world.user("demo-resident")


def test_one_bad_photo_saves_nothing_and_says_which_one_in_chinese(client, login, world, settings):
    login("demo-resident")
    response = client.post(URL, {**form_data(world), "photos": [jpeg(), fake_jpeg("鱼.jpg")]})
    assert response.status_code == 200
    assert "第2张照片（鱼.jpg）不是 JPEG 或 PNG 图片。" in response.content.decode()
    assert Case.objects.count() == 0
    assert CasePhoto.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.*"))


def test_more_than_four_photos_are_refused(client, login, world):
    login("demo-resident")
    response = client.post(URL, {**form_data(world), "photos": [jpeg() for _ in range(5)]})
    assert "每件事项最多 4 张照片。" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_photo_over_10_mb_is_refused(client, login, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login("demo-resident")
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024), "image/jpeg")
    response = client.post(URL, {**form_data(world), "photos": [big]})
    assert "第1张照片（big.jpg）超过 10 MB。" in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "place", ["GC-JD-JYLW-B02", "GC-JD", "GC-TC-JYZY-T1", "GC-JD-JYLW-B01-U1-missing"]
)
def test_a_place_not_the_residents_own_is_refused(client, login, world, place):
    login("demo-resident")
    data = form_data(world)
    data["place"] = world.place(place).pk if not place.endswith("missing") else 987654321
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "请从列出的地点中选择一个。" in response.content.decode()
    assert Case.objects.count() == 0


def test_missing_answers_are_named_in_chinese(client, login):
    login("demo-resident")
    page = client.post(URL, {"idempotency_key": "k"}).content.decode()
    assert "还没有提交。" in page
    # Each asks for what its label asks (在哪里？ 是哪类事情？ 用一句话说说是什么事).
    assert "请选择事情在哪里。" in page
    assert "请选择是哪类事情。" in page
    assert "请用一句话说说是什么事。" in page
    assert Case.objects.count() == 0


def test_a_heading_category_alone_is_not_enough(client, login, world):
    login("demo-resident")
    response = client.post(URL, form_data(world, category_code="neighbour"))
    assert "请从列出的类别中选择一个。" in response.content.decode()


def test_a_second_tap_with_the_same_key_lands_on_the_same_case(client, login, world):
    login("demo-resident")
    data = form_data(world)
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/cases/{Case.objects.get().pk}/"


def test_a_new_showing_of_the_form_may_report_again(client, login, world):
    login("demo-resident")
    client.post(URL, form_data(world))
    client.post(URL, {**form_data(world, title="楼道灯坏了", category_code="facilities")})
    assert Case.objects.count() == 2


# --- Likely duplicates ------------------------------------------------------------------------


@pytest.fixture
def earlier(world):
    """The resident's own report of the same smell, a day earlier."""
    return report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01"),
        category=category("neighbour-odour"),
        title="楼下晒咸鱼好臭",
    )


def test_a_likely_duplicate_asks_before_anything_is_saved(client, login, world, earlier):
    login("demo-resident")
    response = client.post(URL, form_data(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "这些看起来是同一件事" in page
    assert earlier.number in page
    assert f'name="add_to" value="{earlier.pk}"' in page
    assert 'name="confirm" value="new"' in page
    assert Case.objects.count() == 1


def test_submit_anyway_makes_a_new_case(client, login, world, earlier):
    login("demo-resident")
    data = form_data(world)
    client.post(URL, data)
    response = client.post(URL, {**data, "confirm": "new"})
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert response["Location"] == f"/cases/{new.pk}/"


def test_adding_to_a_duplicate_writes_a_note_once_and_opens_that_case(
    client, login, world, earlier
):
    login("demo-resident")
    data = {**form_data(world), "add_to": earlier.pk}
    first = client.post(URL, data)
    second = client.post(URL, data)  # a second tap
    assert first["Location"] == second["Location"] == f"/cases/{earlier.pk}/"
    assert Case.objects.count() == 1
    notes = CaseEvent.objects.filter(case=earlier, kind=EventKind.NOTED)
    assert [n.note for n in notes] == [f"{FISH}\n每天早上在阳台晒，窗户都不敢开"]
    assert notes.get().actor == world.user("demo-resident")


def test_photos_added_to_a_duplicate_go_onto_that_case_stripped(client, login, world, earlier):
    resident = login("demo-resident")
    data = {**form_data(world), "add_to": earlier.pk}
    response = client.post(URL, {**data, "photos": [jpeg(gps=True), png()]})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [f"您反映的情况已补充到 {earlier.number}。"]
    photos = list(CasePhoto.objects.filter(case=earlier).order_by("pk"))
    assert [p.uploaded_by for p in photos] == [resident, resident]
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    with photos[0].file.open("rb") as stored:
        assert b"ShurenPhone" not in stored.read()  # EXIF stripped as at intake
    note = CaseEvent.objects.get(case=earlier, kind=EventKind.NOTED)
    assert note.data == {"photos": 2}
    client.post(URL, {**data, "photos": [jpeg()]})  # a second tap adds nothing
    assert CasePhoto.objects.filter(case=earlier).count() == 2


def test_a_case_the_resident_may_not_see_cannot_be_added_to(client, login, world):
    neighbours = report_case(
        actor=world.user("demo-louzhang2"),
        place=world.place("GC-JD-JYLW-B02"),
        category=category("neighbour-odour"),
        title=FISH,
    )
    login("demo-resident")
    response = client.post(URL, {**form_data(world), "add_to": neighbours.pk})
    assert response.status_code == 404
    assert not CaseEvent.objects.filter(case=neighbours, kind=EventKind.NOTED).exists()


def test_a_neighbours_case_is_never_offered_to_the_resident(client, login, world):
    report_case(
        actor=world.user("demo-louzhang2"),
        place=world.place("GC-JD-JYLW-B02"),
        category=category("neighbour-odour"),
        title=FISH,
    )
    login("demo-resident")
    response = client.post(URL, form_data(world))
    assert response.status_code == 302  # nothing the resident may see looked alike
    assert Case.objects.count() == 2


def test_a_retry_after_the_case_was_made_skips_the_question(client, login, world, earlier):
    login("demo-resident")
    data = {**form_data(world), "confirm": "new"}
    made = client.post(URL, data)
    # The network dropped the answer; the phone sends the same form again without "confirm".
    retry = client.post(URL, {k: v for k, v in data.items() if k != "confirm"})
    assert retry.status_code == 302
    assert retry["Location"] == made["Location"]
    assert Case.objects.count() == 2
