"""The Django admin: every changelist scoped to the user's posts, personal information
masked, structural edits through the actions, audit records untouchable (三员分立)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shuren.access.models import AccessLog
from shuren.accounts.models import ApiToken
from shuren.people.models import Person, Post
from shuren.people.roles import Role
from shuren.places.actions import create_place
from shuren.places.models import Household, Place, Resident, Shop
from shuren.testing import ROLE_USERS

OUTSIDER_PHONE = "13999998888"
OUTSIDER_ID = "440605199001019999"


@pytest.fixture
def elsewhere(world):
    """A subdistrict no demo role covers, with a household and a resident of its own."""
    dali = create_place(actor=None, kind="subdistrict", name="大沥镇", code="DL", parent=None)
    community = create_place(
        actor=None, kind="community", name="大沥社区", code="DL-1", parent=dali
    )
    estate = create_place(
        actor=None, kind="estate", name="大沥花园", code="DL-1-E", parent=community
    )
    building = create_place(
        actor=None, kind="building", name="大沥花园1座", code="DL-1-E-B1", parent=estate
    )
    household = Household.objects.create(place=building, code="H-DL-1", room="101")
    person = Person.objects.create(
        name="外区居民", phone=OUTSIDER_PHONE, id_number=OUTSIDER_ID, code="P-DL"
    )
    Resident.objects.create(household=household, person=person)
    return {"place": building, "household": household, "person": person}


def url(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


def personal_values() -> list[str]:
    return [v for pair in Person.objects.values_list("phone", "id_number") for v in pair if v]


def assert_nothing_unmasked(html: str) -> None:
    leaked = [value for value in personal_values() if value in html]
    assert leaked == []


# --- who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username", sorted(set(ROLE_USERS) - {"demo-admin", "demo-auditor", "demo-secadmin"})
)
def test_only_staff_accounts_enter_the_admin(client, login, username):
    login(username)
    response = client.get(url("index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_system_administrator_sees_the_data_apps(client, login):
    login("demo-admin")
    html = client.get(url("index")).content.decode()
    for name in ("places_place", "places_household", "people_person", "people_post"):
        assert url(f"{name}_changelist") in html
    for name in ("access_accesslog", "accounts_apitoken", "accounts_user"):
        assert url(f"{name}_changelist") not in html


def test_a_superuser_without_posts_sees_nothing(client, world):
    root = get_user_model().objects.create_superuser("root", password="Long-enough-2026!")
    client.force_login(root)
    html = client.get(url("index")).content.decode()
    assert "places_place" not in html
    assert "people_person" not in html
    for name in ("places_place", "people_person", "access_accesslog", "accounts_apitoken"):
        assert client.get(url(f"{name}_changelist")).status_code == 403


# --- scope ---------------------------------------------------------------------------------


def test_the_system_administrator_sees_only_its_subdistricts_places_and_no_resident(
    client, login, elsewhere
):
    # 三员分立: the place tree and the organisation (post holders) of its subdistrict; no
    # household, no resident.
    login("demo-admin")
    places = client.get(url("places_place_changelist")).content.decode()
    assert "金域蓝湾" in places
    assert "大沥" not in places
    people = client.get(url("people_person_changelist")).content.decode()
    assert "刘楼长" in people
    assert "王秀英" not in people
    assert "外区居民" not in people
    households = client.get(url("places_household_changelist")).content.decode()
    assert "H-B01-101" not in households
    assert "H-DL-1" not in households


def test_staff_who_keep_households_in_the_admin_see_those_of_their_subdistrict(
    client, admin_login, elsewhere
):
    admin_login("demo-jiedao")
    people = client.get(url("people_person_changelist")).content.decode()
    assert "王秀英" in people
    assert "外区居民" not in people
    households = client.get(url("places_household_changelist")).content.decode()
    assert "H-B01-101" in households
    assert "H-DL-1" not in households


def test_community_staff_with_admin_access_see_only_their_community(client, world, login):
    get_user_model().objects.filter(username="demo-shequ").update(is_staff=True)
    login("demo-shequ")
    html = client.get(url("places_place_changelist"), {"q": ""}).content.decode()
    assert "金域蓝湾" in html
    assert "万科金域中央" not in html
    assert "同成社区" not in html
    other = world.household("H-T1-0801")
    assert client.get(url("places_household_change", other.pk)).status_code == 302


def test_out_of_scope_looks_exactly_like_missing(client, login, elsewhere):
    login("demo-admin")
    out_of_scope = client.get(url("places_place_change", elsewhere["place"].pk))
    missing = client.get(url("places_place_change", 999_999_999))
    assert out_of_scope.status_code == missing.status_code == 302
    assert out_of_scope["Location"] == missing["Location"] == url("index")


def test_choices_and_autocomplete_offer_only_places_in_scope(client, login, elsewhere):
    login("demo-admin")
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "places", "model_name": "household", "field_name": "place", "term": "大沥"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == []
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "places", "model_name": "household", "field_name": "place", "term": "单元"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["1栋1单元", "2栋1单元"]


def test_a_household_cannot_be_moved_to_a_place_out_of_scope(
    client, world, login, elsewhere, admin_login
):
    admin_login("demo-jiedao")
    household = world.household("H-B01-102")
    response = client.post(
        url("places_household_change", household.pk),
        {
            "place": elsewhere["place"].pk,
            "code": household.code,
            "room": household.room,
            "seen_version": household.version,
            "residents-TOTAL_FORMS": 0,
            "residents-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form again, with an error
    household.refresh_from_db()
    assert household.place == world.place("GC-JD-JYLW-B01-U1")


# --- masking -------------------------------------------------------------------------------


def test_no_unmasked_phone_or_id_number_in_any_admin_page(client, world, admin_login):
    admin_login("demo-jiedao")
    pages = [
        url("places_place_changelist"),
        url("places_household_changelist"),
        url("places_shop_changelist"),
        url("people_person_changelist"),
        url("people_team_changelist"),
        url("people_post_changelist"),
    ]
    admin_user = world.user("demo-jiedao")
    pages += [url("people_person_change", p.pk) for p in Person.objects.visible_to(admin_user)]
    pages += [url("places_household_change", h.pk) for h in Household.objects.all()]
    pages += [url("places_shop_change", s.pk) for s in Shop.objects.all()]
    pages += [url("people_post_change", p.pk) for p in Post.objects.visible_to(admin_user)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert_nothing_unmasked(response.content.decode())


def test_the_person_page_shows_masked_values_and_empty_inputs(client, world, login, admin_login):
    admin_login("demo-jiedao")
    wang = world.person("P-WANG")
    html = client.get(url("people_person_change", wang.pk)).content.decode()
    assert "138****5678" in html
    assert "4406**********1231" in html
    assert re.search(r'<input[^>]*name="new_phone"(?![^>]*value=)[^>]*>', html)
    assert "13812345678" not in html


def person_form(person: Person, **changes: object) -> dict[str, object]:
    data = {
        "name": person.name,
        "code": person.code,
        "party_member": "on" if person.party_member else "",
        "seen_version": person.version,
        "new_phone": "",
        "new_id_number": "",
    }
    data.update(changes)
    return data


def test_an_empty_input_keeps_the_phone(client, world, login, admin_login):
    admin_login("demo-jiedao")
    wang = world.person("P-WANG")
    response = client.post(
        url("people_person_change", wang.pk), person_form(wang, name="王秀英婆婆")
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.name == "王秀英婆婆"
    assert wang.phone == "13812345678"
    assert wang.version == 2


def test_a_new_phone_replaces_the_old_one(client, world, login, admin_login):
    admin_login("demo-jiedao")
    wang = world.person("P-WANG")
    response = client.post(
        url("people_person_change", wang.pk),
        person_form(wang, new_phone="13800009999", new_id_number="44060219700202345x"),
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.phone == "13800009999"
    assert wang.id_number == "44060219700202345X"


def test_an_id_number_with_a_wrong_check_digit_is_refused(client, world, login, admin_login):
    admin_login("demo-jiedao")
    wang = world.person("P-WANG")
    response = client.post(
        url("people_person_change", wang.pk),
        person_form(wang, new_id_number="440602195803031234"),
    )
    assert response.status_code == 200
    wang.refresh_from_db()
    assert wang.id_number == "440602195803031231"


def test_a_bad_phone_is_refused_without_echoing_the_stored_one(client, world, login, admin_login):
    admin_login("demo-jiedao")
    wang = world.person("P-WANG")
    response = client.post(
        url("people_person_change", wang.pk), person_form(wang, new_phone="call me")
    )
    assert response.status_code == 200
    assert "13812345678" not in response.content.decode()
    wang.refresh_from_db()
    assert wang.phone == "13812345678"


def test_saving_over_someone_elses_change_is_refused(client, world, login, admin_login):
    admin_login("demo-jiedao")
    wang = world.person("P-WANG")
    stale = person_form(wang, name="旧页面")
    Person.objects.filter(pk=wang.pk).update(version=5)
    response = client.post(url("people_person_change", wang.pk), stale)
    assert response.status_code == 200
    wang.refresh_from_db()
    assert wang.name == "王秀英"


@pytest.mark.parametrize(
    "lookup", ["phone", "phone__startswith", "id_number__startswith", "phone_index"]
)
def test_filtering_by_personal_information_is_refused(client, login, lookup):
    login("demo-admin")
    response = client.get(url("people_person_changelist"), {lookup: "138"})
    assert response.status_code == 400
    response = client.get(
        url("places_household_changelist"), {f"residents__person__{lookup}": "138"}
    )
    assert response.status_code == 400


def test_nobody_adds_or_deletes_people_in_the_admin(client, world, login):
    login("demo-admin")
    assert client.get(url("people_person_add")).status_code == 403
    wang = world.person("P-WANG")
    assert client.get(url("people_person_delete", wang.pk)).status_code == 403


def test_posts_are_given_and_ended_never_rewritten_in_the_admin(client, world, admin_login):
    admin_login("demo-jiedao")
    post = Post.objects.filter(role=Role.LOUZHANG).first()
    assert client.get(url("people_post_add")).status_code == 200
    response = client.post(url("people_post_change", post.pk), {"role": Role.JIEDAO_STAFF})
    assert response.status_code == 200  # the form again: a post is only ended, with a reason
    post.refresh_from_db()
    assert (post.role, post.ends_on) == (Role.LOUZHANG, None)


# --- the place tree through its actions ----------------------------------------------------


def place_add_form(**values: object) -> dict[str, object]:
    return {"kind": "building", "name": "3栋", "code": "GC-JD-JYLW-B03", **values}


def test_adding_a_place_goes_through_create_place(client, world, login):
    login("demo-admin")
    estate = world.place("GC-JD-JYLW")
    response = client.post(url("places_place_add"), place_add_form(parent=estate.pk))
    assert response.status_code == 302
    building = Place.objects.get(code="GC-JD-JYLW-B03")
    assert building.path.startswith(estate.path)
    assert len(building.path) == len(estate.path) + 10
    assert building.depth == estate.depth + 1


def test_a_place_needs_a_parent_of_the_right_kind(client, world, login):
    login("demo-admin")
    unit = world.place("GC-JD-JYLW-B01-U1")
    response = client.post(url("places_place_add"), place_add_form(parent=unit.pk))
    assert response.status_code == 200
    assert not Place.objects.filter(code="GC-JD-JYLW-B03").exists()
    response = client.post(url("places_place_add"), place_add_form())
    assert response.status_code == 200


def place_change_form(place: Place, **changes: object) -> dict[str, object]:
    data = {
        "name": place.name,
        "code": place.code,
        "official_code": place.official_code,
        "seen_version": place.version,
        "storeys": place.storeys or "",
        "address": place.address,
    }
    data.update(changes)
    return data


def test_renaming_a_place_goes_through_rename_place(client, world, login):
    login("demo-admin")
    building = world.place("GC-JD-JYLW-B01")
    response = client.post(
        url("places_place_change", building.pk), place_change_form(building, name="一栋")
    )
    assert response.status_code == 302
    building.refresh_from_db()
    assert building.name == "一栋"
    assert building.version == 2


def test_the_path_depth_and_kind_cannot_be_edited(client, world, login):
    login("demo-admin")
    building = world.place("GC-JD-JYLW-B01")
    before = (building.path, building.depth, building.kind, building.parent_id)
    client.post(
        url("places_place_change", building.pk),
        place_change_form(building, path="0000000001", depth=0, kind="community", parent=""),
    )
    building.refresh_from_db()
    assert (building.path, building.depth, building.kind, building.parent_id) == before


def test_moving_a_place_moves_its_subtree_through_move_place(client, world, login):
    login("demo-admin")
    building = world.place("GC-JD-JYLW-B02")
    target = world.place("GC-JD-JDXC")
    response = client.post(
        url("places_place_change", building.pk), place_change_form(building, move_under=target.pk)
    )
    assert response.status_code == 302
    building.refresh_from_db()
    unit = world.place("GC-JD-JYLW-B02-U1")
    assert building.parent_id == target.pk
    assert building.path.startswith(target.path)
    assert unit.path.startswith(building.path)


def test_a_place_cannot_move_under_its_own_subtree_or_a_wrong_kind(client, world, login):
    login("demo-admin")
    estate = world.place("GC-JD-JYLW")
    for target in (world.place("GC-JD-JYLW-B01"), world.place("GC-TC-JYZY-T1")):
        response = client.post(
            url("places_place_change", estate.pk), place_change_form(estate, move_under=target.pk)
        )
        assert response.status_code == 200
    estate.refresh_from_db()
    assert estate.parent == world.place("GC-JD")


# --- the access log: the auditor reads, nobody writes --------------------------------------


@pytest.fixture
def log_entry(world):
    return AccessLog.objects.create(
        user=world.user("demo-shequ"),
        username="demo-shequ",
        action=AccessLog.Action.UNMASK,
        object_type="person",
        object_id="1",
        fields="phone",
        reason="回访",
    )


def test_the_auditor_reads_the_access_log(client, login, log_entry):
    login("demo-auditor")
    response = client.get(url("access_accesslog_changelist"))
    assert response.status_code == 200
    assert "回访" in response.content.decode()
    assert client.get(url("access_accesslog_change", log_entry.pk)).status_code == 200


def test_nobody_adds_changes_or_deletes_access_log_entries(client, login, log_entry):
    login("demo-auditor")
    assert client.get(url("access_accesslog_add")).status_code == 403
    assert client.get(url("access_accesslog_delete", log_entry.pk)).status_code == 403
    response = client.post(url("access_accesslog_change", log_entry.pk), {"reason": "改"})
    assert response.status_code == 403
    log_entry.refresh_from_db()
    assert log_entry.reason == "回访"


@pytest.mark.parametrize("username", ["demo-admin", "demo-secadmin"])
def test_other_administrators_do_not_read_the_access_log(client, login, log_entry, username):
    login(username)
    assert client.get(url("access_accesslog_changelist")).status_code == 403


def test_the_auditor_sees_no_residents_data(client, login):
    login("demo-auditor")
    assert client.get(url("places_place_changelist")).status_code == 403
    assert client.get(url("people_person_changelist")).status_code == 403


# --- accounts and tokens: the security administrator ---------------------------------------


def test_token_pages_show_the_prefix_only(client, world, login):
    token, raw = ApiToken.issue(user=world.user("demo-shequ"), name="机器人")
    login("demo-secadmin")
    for page in (url("accounts_apitoken_changelist"), url("accounts_apitoken_change", token.pk)):
        html = client.get(page).content.decode()
        assert token.prefix in html
        assert raw not in html
        assert token.token_hash not in html


def test_the_security_administrator_revokes_a_token(client, world, login):
    token, raw = ApiToken.issue(user=world.user("demo-shequ"))
    login("demo-secadmin")
    response = client.post(
        url("accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_nobody_adds_or_edits_tokens_in_the_admin(client, world, login):
    token, _raw = ApiToken.issue(user=world.user("demo-shequ"))
    login("demo-secadmin")
    assert client.get(url("accounts_apitoken_add")).status_code == 403
    assert client.get(url("accounts_apitoken_delete", token.pk)).status_code == 403


def test_the_system_administrator_does_not_manage_accounts(client, world, login):
    ApiToken.issue(user=world.user("demo-shequ"))
    login("demo-admin")
    assert client.get(url("accounts_apitoken_changelist")).status_code == 403
    assert client.get(url("accounts_user_changelist")).status_code == 403


def test_the_security_administrator_unlocks_an_account(client, world, login):
    from axes.models import AccessAttempt

    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "demo-louzhang", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="demo-louzhang").exists()
    login("demo-secadmin")
    user = world.user("demo-louzhang")
    client.post(
        url("accounts_user_changelist"), {"action": "unlock", "_selected_action": [user.pk]}
    )
    assert not AccessAttempt.objects.filter(username="demo-louzhang").exists()


def test_the_security_administrator_sees_no_residents_data(client, login):
    login("demo-secadmin")
    assert client.get(url("places_place_changelist")).status_code == 403
    html = client.get(url("accounts_user_changelist")).content.decode()
    assert "demo-louzhang" in html
    assert_nothing_unmasked(html)


def test_the_admin_forms_render_for_their_roles(client, world, login, admin_login):
    login("demo-admin")
    for page in (
        url("places_place_add"),
        url("places_place_change", world.place("GC-JD-JYLW").pk),
        url("people_team_changelist"),
    ):
        assert client.get(page).status_code == 200, page
    household = url("places_household_change", world.household("H-B01-101").pk)
    assert client.get(household).status_code == 302  # no residents' data (三员分立)
    admin_login("demo-jiedao")
    assert client.get(household).status_code == 200
    token, _raw = ApiToken.issue(user=world.user("demo-shequ"))
    login("demo-secadmin")
    user = world.user("demo-louzhang")
    for page in (
        url("accounts_user_change", user.pk),
        url("auth_user_password_change", user.pk),
        url("accounts_apitoken_change", token.pk),
        url("axes_accessattempt_changelist"),
    ):
        assert client.get(page).status_code == 200, page


def test_the_security_administrator_switches_an_account_off(client, world, login):
    login("demo-secadmin")
    user = world.user("demo-louzhang")
    response = client.post(
        url("accounts_user_change", user.pk),
        {"is_staff": "", "elder_mode": "", "language": "", "is_active": ""},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False
    assert user.username == "demo-louzhang"


def test_a_password_set_in_the_admin_follows_the_staff_rule(client, world, login):
    login("demo-secadmin")
    user = world.user("demo-shequ")
    response = client.post(
        url("auth_user_password_change", user.pk),
        {"password1": "Kx7#mq2pLw4", "password2": "Kx7#mq2pLw4"},
    )
    assert response.status_code == 200
    assert "密码太短，至少需要 12 个字符。" in response.content.decode()
    response = client.post(
        url("auth_user_password_change", user.pk),
        {"password1": "Kx7#mq2pLw4!", "password2": "Kx7#mq2pLw4!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kx7#mq2pLw4!")


def test_the_auditor_reads_login_records(client, login):
    login("demo-auditor")
    assert client.get(url("axes_accesslog_changelist")).status_code == 200
    assert client.get(url("axes_accessattempt_changelist")).status_code == 403
