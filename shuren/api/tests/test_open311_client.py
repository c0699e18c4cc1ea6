"""A published Open311 client (civicbot, from PyPI) files and reads a request on the live server."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

civicbot_open311 = pytest.importorskip("civicbot.open311")
civicbot_http = pytest.importorskip("civicbot.http")
civicbot_registry = pytest.importorskip("civicbot.registry")

GUICHENG = "440605011000"


@pytest.fixture
def shuren311(live_server: Any):
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.testing import build_world

    # live_server tests flush the database after each test: the world and the seeded
    # categories come back here.
    build_world()
    seed(Category, DeadlinePolicy)
    endpoint = civicbot_registry.Endpoint(
        id="shuren-guicheng",
        name="Shuren 桂城",
        base_url=f"{live_server.url}/open311/v2",
        write=True,
    )
    transport = civicbot_http.HttpTransport(rate_limiter=civicbot_http.RateLimiter(0))
    return civicbot_open311.Open311Client(endpoint, transport, jurisdiction_id=GUICHENG)


def test_a_published_client_files_a_request_and_reads_it_back(shuren311):
    out = StringIO()
    call_command("createopen311key", "civicbot", stdout=out, stderr=StringIO())
    api_key = out.getvalue().strip()

    services = shuren311.list_services()
    assert "facilities" in {s["service_code"] for s in services}
    filed = shuren311.create_request(
        "facilities",
        dry_run=False,
        confirm="SEND",
        api_key=api_key,
        validate_remote=True,
        address_id="GC-JD-JYLW-B01",
        description="1栋门口的路灯坏了",
        phone="13812345678",
    )
    [answer] = filed.response
    number = answer["service_request_id"]

    read = shuren311.get_request(number)
    assert read["service_request_id"] == number
    assert read["service_code"] == "facilities"
    assert read["status"] == "open"
    assert "13812345678" not in str(read)
    assert number in {r["service_request_id"] for r in shuren311.list_requests(status="open")}
    assert shuren311.get_token(number) == [{"service_request_id": number, "token": number}]


def test_the_client_is_refused_without_a_key(shuren311):
    with pytest.raises(civicbot_http.HttpError) as refused:
        shuren311.create_request(
            "facilities", dry_run=False, confirm="SEND", api_key="o311_forged", address_id="GC"
        )
    assert refused.value.status == 403
