"""The admin changes places, households, residents and shops only through the place actions:
each save leaves its events; the tree, the owners and the residents never by a plain save."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from shuren.kernel.models import Event
from shuren.places.models import Household, Place, Resident, Shop


def url(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


def kinds() -> list[str]:
    return list(Event.objects.order_by("pk").values_list("kind", flat=True))


def place_form(place: Place, **changes: object) -> dict[str, object]:
    return {
        "name": place.name,
        "code": place.code,
        "official_code": place.official_code,
        "seen_version": place.version,
        "storeys": place.storeys or "",
        "address": place.address,
        **changes,
    }


def test_one_save_that_renames_changes_and_moves_a_place_is_three_actions(client, world, login):
    login("demo-admin")
    building = world.place("GC-JD-JYLW-B02")
    response = client.post(
        url("places_place_change", building.pk),
        place_form(building, name="二栋", storeys=20, move_under=world.place("GC-JD-JDXC").pk),
    )
    assert response.status_code == 302
    assert kinds() == ["place.renamed", "place.changed", "place.moved"]
    building.refresh_from_db()
    assert (building.name, building.storeys, building.parent.code) == ("二栋", 20, "GC-JD-JDXC")


def test_a_property_company_on_a_building_is_a_message_on_the_form(client, world, login):
    login("demo-admin")
    building = world.place("GC-JD-JYLW-B02")
    company = world.place("GC-JD-JYLW").property_company
    response = client.post(
        url("places_place_change", building.pk),
        place_form(building, property_company=company.pk),
    )
    assert response.status_code == 200
    assert "只有小区可以填写物业公司。" in response.content.decode()
    assert kinds() == []


def household_form(household: Household, rows: list[dict[str, object]], **changes: object):
    data: dict[str, object] = {
        "place": household.place_id,
        "code": household.code,
        "room": household.room,
        "floor": household.floor or "",
        "exclusive_area": household.exclusive_area or "",
        "owners": list(household.owners.values_list("pk", flat=True)),
        "seen_version": household.version,
        "residents-TOTAL_FORMS": len(rows),
        "residents-INITIAL_FORMS": sum(1 for row in rows if "id" in row),
        **changes,
    }
    for i, row in enumerate(rows):
        for key, value in {"household": household.pk, **row}.items():
            data[f"residents-{i}-{key}"] = value
    return data


def resident_row(resident: Resident, **changes: object) -> dict[str, object]:
    return {
        "id": resident.pk,
        "person": resident.person_id,
        "relation": resident.relation,
        "moved_in_on": resident.moved_in_on or "",
        "moved_out_on": resident.moved_out_on or "",
        **changes,
    }


def test_owners_and_residents_change_in_the_admin_through_their_actions(
    client, world, login, admin_login
):
    admin_login("demo-jiedao")
    household = world.household("H-B01-102")
    chen = Resident.objects.get(household=household, person__code="P-CHEN")
    rows = [
        resident_row(chen, moved_out_on="2026-10-31"),
        {"person": world.person("P-ZHAO").pk, "relation": "tenant", "moved_in_on": "2026-11-01"},
    ]
    owners = [world.person("P-CHEN").pk, world.person("P-ZHAO").pk]
    response = client.post(
        url("places_household_change", household.pk),
        household_form(household, rows, owners=owners, exclusive_area="121.00"),
    )
    assert response.status_code == 302
    assert kinds() == ["household.changed", "resident.moved_out", "resident.moved_in"]
    household.refresh_from_db()
    assert sorted(household.owners.values_list("code", flat=True)) == ["P-CHEN", "P-ZHAO"]
    chen.refresh_from_db()
    assert chen.moved_out_on == dt.date(2026, 10, 31)


def test_a_resident_who_moved_out_moves_back_in_by_clearing_the_date(
    client, world, login, admin_login
):
    admin_login("demo-jiedao")
    household = world.household("H-B01-102")
    chen = Resident.objects.get(household=household, person__code="P-CHEN")
    Resident.objects.filter(pk=chen.pk).update(moved_out_on=dt.date(2025, 1, 1))
    chen.refresh_from_db()
    page = url("places_household_change", household.pk)
    refused = client.post(page, household_form(household, [resident_row(chen, relation="other")]))
    assert refused.status_code == 200
    response = client.post(page, household_form(household, [resident_row(chen, moved_out_on="")]))
    assert response.status_code == 302
    chen.refresh_from_db()
    assert chen.moved_out_on is None
    assert kinds() == ["resident.moved_in"]


def test_a_household_added_in_the_admin_goes_through_create_household(
    client, world, login, admin_login
):
    admin_login("demo-jiedao")
    unit = world.place("GC-JD-JYLW-B01-U1")
    response = client.post(
        url("places_household_add"),
        {
            "place": unit.pk,
            "code": "H-B01-103",
            "room": "103",
            "owners": [world.person("P-CHEN").pk],
            "residents-TOTAL_FORMS": 0,
            "residents-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    household = Household.objects.get(code="H-B01-103")
    assert list(household.owners.values_list("code", flat=True)) == ["P-CHEN"]
    assert kinds() == ["household.created"]


def test_shops_are_added_and_changed_in_the_admin_through_their_actions(client, world, login):
    login("demo-admin")
    street = world.place("GC-GY-S01")
    shop_form = {"place": street.pk, "code": "GC-GY-S01-SHOP04", "name": "4号", "kind": "retail"}
    assert client.post(url("places_shop_add"), shop_form).status_code == 302
    shop = Shop.objects.get(code="GC-GY-S01-SHOP04")
    response = client.post(
        url("places_shop_change", shop.pk), {**shop_form, "address": "桂雅路4号"}
    )
    assert response.status_code == 302
    assert kinds() == ["shop.created", "shop.changed"]


def test_a_change_that_does_not_say_which_version_it_saw_is_refused(client, world, login):
    # A hand-made POST without seen_version would overwrite whatever someone saved meanwhile.
    login("demo-admin")
    building = world.place("GC-JD-JYLW-B02")
    form = place_form(building, name="二栋")
    del form["seen_version"]
    response = client.post(url("places_place_change", building.pk), form)
    assert response.status_code == 200
    assert "此表单已过期" in response.content.decode()
    assert kinds() == []
    building.refresh_from_db()
    assert building.name == "2栋"
