"""Open311 GeoReport v2 at /open311/v2/: services, filing with a key, reading without one."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuren.api.open311.actions import revoke_open311_key
from shuren.api.open311.keys import Open311Key
from shuren.api.tests.open311_schemas import (
    CREATED,
    DISCOVERY,
    ERRORS,
    REQUESTS,
    SERVICE_DEFINITION,
    SERVICES,
    TOKENS,
    check_json,
    check_xml,
)
from shuren.cases.actions import report_case
from shuren.cases.choices import Channel, Status
from shuren.cases.models import Case, Category, IdempotencyKey

V2 = "/open311/v2"
GUICHENG = "440605011000"


@pytest.fixture
def api_key(world) -> str:
    out = StringIO()
    call_command("createopen311key", "FixMyStreet 佛山", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.fixture
def file(client, api_key):
    """POST a request (form-encoded, as the spec says) with the key; extra fields allowed."""

    def _file(fmt: str = "json", headers: dict | None = None, **fields: str):
        body = {"api_key": api_key, "jurisdiction_id": GUICHENG, **fields}
        return client.post(f"{V2}/requests.{fmt}", body, headers=headers or {})

    return _file


LAMP = {
    "service_code": "facilities",
    "address_id": "GC-JD-JYLW-B01",
    "description": "1栋门口的路灯坏了，晚上很黑。联系我13812345678",
    "first_name": "秀英",
    "last_name": "王",
    "phone": "13812345678",
    "email": "wang@example.com",
}


# --- Discovery and services -------------------------------------------------------------------


def test_discovery_names_the_endpoint_and_both_formats(client, world):
    response = client.get(f"{V2}/discovery.json")
    assert response.status_code == 200
    check_json(DISCOVERY, response.json())
    assert response.json()["endpoints"][0]["url"].endswith("/open311/v2")
    xml = ET.fromstring(client.get(f"{V2}/discovery.xml").content)  # noqa: S314 - our answer
    assert xml.tag == "discovery"
    assert [f.text for f in xml.iter("format")] == ["text/xml", "application/json"]


def test_the_services_are_the_public_categories_and_never_neighbour_disputes(client, world):
    response = client.get(f"{V2}/services.json", {"jurisdiction_id": GUICHENG})
    assert response.status_code == 200
    services = response.json()
    check_json(SERVICES, services)
    codes = {s["service_code"] for s in services}
    assert codes == {"sanitation", "facilities", "safety", "parking", "elevator"}
    assert not any(code.startswith("neighbour") for code in codes)
    assert {s["service_name"] for s in services} >= {"公共设施", "环境卫生"}
    xml = check_xml("services", client.get(f"{V2}/services.xml").content)
    assert {s["service_code"] for s in xml} == codes


def test_a_service_definition_is_empty_and_a_dispute_has_none(client, world):
    response = client.get(f"{V2}/services/parking.json")
    assert response.status_code == 200
    check_json(SERVICE_DEFINITION, response.json())
    for code in ("neighbour-noise", "neighbour", "no-such"):
        refused = client.get(f"{V2}/services/{code}.json")
        assert refused.status_code == 404
        check_json(ERRORS, refused.json())


def test_an_unknown_jurisdiction_is_404_in_the_format_asked(client, world):
    response = client.get(f"{V2}/services.xml", {"jurisdiction_id": "999999"})
    assert response.status_code == 404
    assert check_xml("errors", response.content)[0]["code"] == "404"


# --- Filing -----------------------------------------------------------------------------------


def test_a_filed_request_becomes_a_routed_matter_on_the_open311_channel(file, world):
    response = file(**LAMP)
    assert response.status_code == 201
    check_json(CREATED, response.json())
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.channel == Channel.OPEN311
    assert case.place == world.place("GC-JD-JYLW-B01")
    assert case.category.code == "facilities"
    assert case.status == Status.REPORTED
    assert case.recorded_by is None
    assert case.contact_name == "秀英 王"
    event = case.events.get()
    assert event.kind == "reported"
    # Routed like any other: building 1's leader is told and finds it among their matters.
    leader = world.user("demo-louzhang")
    assert leader.pk in event.data["notified"]
    assert Case.objects.visible_to(leader).filter(pk=case.pk).exists()


def test_a_request_is_filed_in_xml_too(file, world):
    response = file("xml", **LAMP)
    assert response.status_code == 201
    [row] = check_xml("created", response.content)
    assert Case.objects.filter(number=row["service_request_id"]).exists()


def test_a_retried_post_files_one_matter(file, world):
    first = file(**LAMP).json()[0]["service_request_id"]
    again = file(**LAMP)
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first
    assert Case.objects.filter(channel=Channel.OPEN311).count() == 1


def test_an_idempotency_key_returns_the_first_matter_and_refuses_other_content(file, world):
    headers = {"Idempotency-Key": "fms-20261203-1"}
    first = file(headers=headers, **LAMP).json()[0]["service_request_id"]
    assert file(headers=headers, **LAMP).json()[0]["service_request_id"] == first
    other = file(headers=headers, **{**LAMP, "description": "另一件事"})
    assert other.status_code == 400
    check_json(ERRORS, other.json())
    assert Case.objects.filter(channel=Channel.OPEN311).count() == 1


@pytest.mark.parametrize("key", [None, "", "o311_wrong", "x" * 500])
def test_filing_without_a_valid_key_is_403(client, world, key):
    body = {**LAMP} if key is None else {**LAMP, "api_key": key}
    response = client.post(f"{V2}/requests.json", body)
    assert response.status_code == 403
    check_json(ERRORS, response.json())
    assert not Case.objects.exists()


def test_a_key_files_at_most_its_minutes_allowance_and_then_429(file, world, settings):
    settings.SHUREN_OPEN311_REQUESTS_PER_MINUTE = 2
    for n in (1, 2):
        assert file(**{**LAMP, "description": f"路灯坏了 第{n}处"}).status_code == 201
    refused = file(**{**LAMP, "description": "路灯坏了 第3处"})
    assert refused.status_code == 429
    check_json(ERRORS, refused.json())
    assert refused.json()[0]["description"] == "该密钥提交过于频繁，请一分钟后再试。"
    assert Case.objects.filter(channel=Channel.OPEN311).count() == 2
    # A minute later the allowance is back.
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(minutes=1, seconds=1))
    assert file(**{**LAMP, "description": "路灯坏了 第3处"}).status_code == 201


def test_a_revoked_key_files_nothing(file, api_key, world):
    revoke_open311_key(actor=None, key=Open311Key.objects.get())
    assert file(**LAMP).status_code == 403


def test_the_key_is_stored_hashed_and_printed_once(api_key, world):
    key = Open311Key.objects.get()
    assert api_key.startswith("o311_")
    assert api_key not in (key.key_hash, key.prefix)
    assert Open311Key.find(api_key) == key


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"service_code": "neighbour-noise"}, 404),
        ({"service_code": "no-such"}, 404),
        ({"service_code": ""}, 400),
        ({"address_id": "", "lat": "23.03", "long": "113.14"}, 400),
        ({"address_id": "", "lat": "north", "long": "113.14"}, 400),
        ({"address_id": ""}, 400),
        ({"address_id": "NO-SUCH-PLACE"}, 400),
        ({"address_id": "", "address_string": "没有这个地方"}, 400),
        ({"description": "长" * 4001}, 400),
        ({"description": "坏了\x00"}, 400),
        ({"jurisdiction_id": "123"}, 404),
    ],
)
def test_bad_requests_are_refused_as_the_spec_says_and_file_nothing(file, world, fields, status):
    response = file(**{**LAMP, **fields})
    assert response.status_code == status
    check_json(ERRORS, response.json())
    assert response.json()[0]["code"] == status
    assert not Case.objects.exists()


def test_a_place_named_exactly_once_is_found_by_address_string(file, world):
    response = file(**{**LAMP, "address_id": "", "address_string": "尖东新村1座"})
    assert response.status_code == 201
    assert Case.objects.get().place == world.place("GC-JD-JDXC-B01")


# --- Reading ----------------------------------------------------------------------------------


@pytest.fixture
def dispute(world):
    """A neighbour dispute reported by the resident: never readable through Open311."""
    return report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-noise"),
        title="楼上王先生半夜装修",
        description="电话13900001111",
    )


@pytest.fixture
def online(world):
    """A resident's own report in a public category: readable, without their words."""
    return report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="sanitation"),
        title="垃圾没人收",
        description="我是王秀英，电话13900001111",
    )


def test_reads_show_public_matters_without_personal_information(
    client, file, dispute, online, django_assert_max_num_queries
):
    filed = file(**LAMP).json()[0]["service_request_id"]
    with django_assert_max_num_queries(4):
        response = client.get(f"{V2}/requests.json", {"jurisdiction_id": GUICHENG})
    assert response.status_code == 200
    rows = response.json()
    check_json(REQUESTS, rows)
    assert {r["service_request_id"] for r in rows} == {filed, online.number}
    body = response.content.decode()
    for private in ("13812345678", "13900001111", "王秀英", "秀英", "wang@example.com", "王先生"):
        assert private not in body
    mine = next(r for r in rows if r["service_request_id"] == filed)
    assert mine["description"].startswith("1栋门口的路灯坏了")
    assert mine["status"] == "open"
    assert mine["status_notes"] == "登记事项"
    assert mine["address_id"] == "GC-JD-JYLW-B01"
    assert "金域蓝湾" in mine["address"]
    assert next(r for r in rows if r["service_request_id"] == online.number)["description"] == ""


def test_one_request_reads_alike_and_a_dispute_or_unknown_is_404(client, file, dispute):
    filed = file(**LAMP).json()[0]["service_request_id"]
    response = client.get(f"{V2}/requests/{filed}.json")
    assert response.status_code == 200
    check_json(REQUESTS, response.json())
    [row] = check_xml("requests", client.get(f"{V2}/requests/{filed}.xml").content)
    assert row["service_request_id"] == filed
    for missing in (dispute.number, "GC-2026-999999"):
        refused = client.get(f"{V2}/requests/{missing}.json")
        assert refused.status_code == 404
        check_json(ERRORS, refused.json())


def test_a_token_is_the_request_number(client, file, world):
    filed = file(**LAMP).json()[0]["service_request_id"]
    response = client.get(f"{V2}/tokens/{filed}.json")
    check_json(TOKENS, response.json())
    assert response.json() == [{"service_request_id": filed, "token": filed}]
    assert check_xml("tokens", client.get(f"{V2}/tokens/{filed}.xml").content)
    assert client.get(f"{V2}/tokens/nothing.json").status_code == 404


def test_every_filter_narrows_the_list(client, file, online):
    lamp = file(**LAMP).json()[0]["service_request_id"]
    bin_ = file(**{**LAMP, "service_code": "sanitation", "description": "垃圾桶满了"}).json()[0][
        "service_request_id"
    ]

    def ids(**params):
        response = client.get(f"{V2}/requests.json", params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert set(ids(service_request_id=f"{lamp},{online.number}")) == {lamp, online.number}
    # service_request_id overrides the rest
    assert ids(service_request_id=lamp, service_code="parking") == [lamp]
    assert set(ids(service_code="sanitation")) == {bin_, online.number}
    assert set(ids(service_code="sanitation,facilities")) == {bin_, online.number, lamp}
    assert len(ids(status="open")) == 3
    assert ids(status="closed") == []
    assert ids(service_code="", status="") == ids()
    now = timezone.now()
    assert len(ids(start_date=(now - dt.timedelta(days=1)).isoformat())) == 3
    assert ids(end_date=(now - dt.timedelta(days=1)).isoformat()) == []
    assert len(ids(page_size="2")) == 2
    assert len(ids(page_size="2", page="2")) == 1
    assert ids(page_size="2", page="3") == []
    assert ids()[0] == bin_  # newest first


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
        {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"status": "pending"},
        {"page": "0"},
        {"page_size": "1001"},
        {"page_size": "-1"},
    ],
)
def test_bad_filters_are_400(client, world, params):
    response = client.get(f"{V2}/requests.xml", params)
    assert response.status_code == 400
    assert check_xml("errors", response.content)[0]["code"] == "400"


def test_an_unknown_service_code_filter_is_404(client, world):
    assert client.get(f"{V2}/requests.json", {"service_code": "neighbour"}).status_code == 404


def test_a_closed_matter_reads_closed(client, file, world):
    from shuren.cases.actions import reject_case

    filed = file(**LAMP).json()[0]["service_request_id"]
    case = Case.objects.get(number=filed)
    reject_case(actor=None, case=case, reason="重复上报")
    row = client.get(f"{V2}/requests/{filed}.json").json()[0]
    assert row["status"] == "closed"
    assert row["status_notes"] == "不予受理"
    assert "重复上报" not in client.get(f"{V2}/requests/{filed}.json").content.decode()


@pytest.mark.parametrize("role", ["demo-shequ", "demo-jiedao", "demo-resident", "demo-admin"])
def test_a_login_changes_nothing_a_read_shows(client, file, online, dispute, role, world):
    """The reads are the same for anyone: a staff member's session adds nothing to them."""
    filed = file(**LAMP).json()[0]["service_request_id"]
    paths = [f"{V2}/requests.json", f"{V2}/requests/{filed}.xml", f"{V2}/services.json"]
    anonymous = [client.get(path).content for path in paths]
    client.force_login(world.user(role))
    assert [client.get(path).content for path in paths] == anonymous
    assert client.get(f"{V2}/requests/{dispute.number}.json").status_code == 404


def test_the_admin_revokes_a_key_through_its_action_and_shows_no_secret(client, api_key, world):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root311", password="Long-enough-2026!")
    client.force_login(root)
    key = Open311Key.objects.get()
    listing = client.get("/admin/api/open311key/")
    assert listing.status_code == 200
    assert key.key_hash not in listing.content.decode()
    assert client.get(f"/admin/api/open311key/{key.pk}/change/").status_code == 200
    response = client.post(
        "/admin/api/open311key/", {"action": "revoke", "_selected_action": [key.pk]}
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert Open311Key.find(api_key) is None


def test_giving_and_revoking_a_key_are_audit_entries(api_key, world):
    from shuren.audit.models import AuditEntry

    revoke_open311_key(actor=None, key=Open311Key.objects.get())
    entries = AuditEntry.objects.filter(kind="config_changed").order_by("pk")
    assert [e.detail.get("note") for e in entries] == ["FixMyStreet 佛山", "FixMyStreet 佛山"]
    assert api_key not in str([e.detail for e in entries])
