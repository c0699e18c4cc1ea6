"""The fuzz of Open311: every field of a filed request and every filter of a read is sent
hostile values (shuren/tests/hostile.py). No answer is a 500, a refusal is a 4xx with the
spec's error list, and a refused request writes no row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from shuren.api.tests.open311_schemas import ERRORS, REQUESTS, check_json
from shuren.tests.hostile import TEXT_VALUES, grown, row_counts

V2 = "/open311/v2"
FIELD = {
    "jurisdiction_id": "440605011000",
    "service_code": "facilities",
    "address_id": "GC-JD-JYLW-B01",
    "address_string": "",
    "lat": "",
    "long": "",
    "description": "路灯坏了",
    "first_name": "秀英",
    "last_name": "王",
    "phone": "13812345678",
    "email": "wang@example.com",
    "device_id": "d1",
    "account_id": "a1",
    "media_url": "https://example.com/a.jpg",
    "attribute[WHERE]": "门口",
}
VALUES = {**TEXT_VALUES, "minus": "-1", "huge": "9" * 40, "nan": "NaN", "inf": "inf"}
FILTERS = [
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "jurisdiction_id",
]


@pytest.fixture
def api_key(world) -> str:
    out = StringIO()
    call_command("createopen311key", "fuzz", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.mark.parametrize("value", VALUES, ids=list(VALUES))
@pytest.mark.parametrize("field", FIELD)
def test_every_field_of_a_filed_request_refuses_hostile_values_cleanly(
    client, api_key, field, value
):
    before = row_counts()
    response = client.post(
        f"{V2}/requests.json", {**FIELD, "api_key": api_key, field: VALUES[value]}
    )
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        check_json(ERRORS, response.json())
        assert grown(before, row_counts()) == []


@pytest.mark.parametrize("value", VALUES, ids=list(VALUES))
@pytest.mark.parametrize("name", FILTERS)
def test_every_filter_of_a_read_refuses_hostile_values_cleanly(client, world, name, value):
    response = client.get(f"{V2}/requests.json", {name: VALUES[value]})
    assert response.status_code < 500
    if response.status_code >= 400:
        check_json(ERRORS, response.json())
    else:
        check_json(REQUESTS, response.json())


@pytest.mark.parametrize("value", VALUES, ids=list(VALUES))
def test_a_hostile_key_is_403(client, world, value):
    before = row_counts()
    response = client.post(f"{V2}/requests.json", {**FIELD, "api_key": VALUES[value]})
    assert response.status_code == 403
    check_json(ERRORS, response.json())
    assert grown(before, row_counts()) == []
