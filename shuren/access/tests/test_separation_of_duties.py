"""三员分立 (issue 10): the system administrator keeps places, teams and configuration, the
security administrator accounts, lockouts and tokens, the auditor the audit trail — and none of
the three reads residents' personal data. Each of them is tried against every page and
endpoint of the site (the scope matrix's routes, every sample object) and every page of the
admin, and no resident's name or number may appear in any answer."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from shuren.access.tests.test_scope_matrix import (
    MATRIX,
    SAMPLES,
    ObjectRoute,
    PlainRoute,
    sample_objects,  # noqa: F401 - the matrix's sample matters, made once for the module
)
from shuren.places.tests.test_excel_export import sheets

THE_THREE = ("demo-admin", "demo-secadmin", "demo-auditor")
# The world's residents (people.models via shuren/testing.py): names, phones, ID numbers, and
# the phones masked as the site shows them.
RESIDENTS = {
    "P-WANG": ("王秀英", "13812345678", "440602195803031231"),
    "P-WANG-SON": ("李建国", "13900001111", "440602198501011239"),
    "P-CHEN": ("陈美玲", "13711112222", "440602196001012340"),
    "P-ZHAO": ("赵志强", "13622223333", "44060219700202345X"),
    "P-HUANG": ("黄丽", "13533334444", ""),
    "P-DENG": ("邓伯", "13444445555", ""),
    "P-HE": ("何婆婆", "13355556666", ""),
}


def leaked(body: str) -> list[str]:
    found = []
    for name, phone, id_number in RESIDENTS.values():
        masked = phone[:3] + "****" + phone[-4:]
        found += [value for value in (name, phone, masked, id_number) if value and value in body]
    return found


def site_requests(world):
    for route, entry in sorted(MATRIX.items()):
        if isinstance(entry, PlainRoute):
            yield route, entry.method, entry.url, {}
        elif isinstance(entry, ObjectRoute):
            # The samples the route is walked with in the matrix (some make objects for a
            # few samples only); "missing" shows nobody.
            for sample in [s for s in (entry.samples or SAMPLES) if s in SAMPLES]:
                url = entry.url.format(pk=entry.fetch(world, sample).pk)
                yield route, entry.method, url, entry.data


@pytest.mark.parametrize("role", THE_THREE)
def test_no_page_or_endpoint_of_the_site_shows_them_a_resident(
    sample_objects,  # noqa: F811
    client,
    world,
    role,
):
    client.force_login(world.user(role))
    shown = {}
    for route, method, url, data in site_requests(world):
        response = getattr(client, method)(url, data)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if found := leaked(body.decode(errors="replace")):
            shown[f"{method.upper()} {url} ({route})"] = found
    assert shown == {}


@pytest.mark.parametrize("role", THE_THREE)
def test_no_page_of_the_admin_shows_them_a_resident(client, world, role):
    client.force_login(world.user(role))
    shown = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        pages = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
        first = model_admin.get_queryset(_request(client, world, role)).first()
        if first is not None:
            pages.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
        for page in pages:
            body = client.get(page).content.decode(errors="replace")
            if found := leaked(body):
                shown[page] = found
    assert shown == {}


def _request(client, world, role):
    request = RequestFactory().get("/admin/")
    request.user = world.user(role)
    return request


def test_the_system_administrators_export_holds_no_resident(client, world):
    client.force_login(world.user("demo-admin"))
    response = client.post("/places/excel/export/", {})
    assert response.status_code == 200
    book = sheets(response.content)
    assert book["住户"][1:] == []
    assert book["居民"][1:] == []
