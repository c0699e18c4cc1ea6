"""The Open311 GeoReport v2 endpoints: validate, ask the domain, call one action, answer.

Reads need no key and show only public categories, without personal information; filing a
request needs an API key (`manage.py createopen311key NAME`) and goes through the cases'
own report_case, so the matter is numbered, placed and routed like any other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from shuren.api.open311.keys import Open311Key
from shuren.api.open311.lookup import jurisdictions, param, place_for, public_services, service
from shuren.api.open311.reads import filtered, public_requests, rows
from shuren.api.open311.render import Refusal, answer, error
from shuren.cases.actions import report_case
from shuren.cases.choices import Channel

MAX_DESCRIPTION = 4000
MAX_IDEMPOTENCY_KEY = 64
CHANGESET = "2026-12-03T00:00:00+08:00"
View = Callable[..., HttpResponse]


def refusals(view: View) -> View:
    """A Refusal becomes the spec's error list, in the format asked for."""

    def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Refusal as refusal:
            return error(fmt, refusal.status, refusal.description)
        except (RequestDataTooBig, TooManyFieldsSent):
            return error(fmt, 400, _("The request is too large."))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _only(request: HttpRequest, *methods: str) -> None:
    if request.method not in methods:
        raise Refusal(405, _("This address does not answer %(m)s.") % {"m": request.method})


@refusals
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    base = request.build_absolute_uri(reverse("open311:root"))
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "SHUREN_OPEN311_CONTACT", ""),
        "key_service": _("Ask the subdistrict's administrator for a key."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return answer(fmt, data, root="discovery", item=None)


def _service_row(category: Any) -> dict[str, Any]:
    return {
        "service_code": str(category.code),
        "service_name": category.label,
        "description": category.full_label,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": category.parent.label if category.parent_id else "",
    }


@refusals
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    jurisdictions(param(request.GET, "jurisdiction_id", 12))
    data = [_service_row(c) for c in public_services()]
    return answer(fmt, data, root="services", item="service")


@refusals
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    """No service asks for attributes (metadata is false): the definition is empty."""
    _only(request, "GET", "HEAD")
    jurisdictions(param(request.GET, "jurisdiction_id", 12))
    category = service(code)
    data = {"service_code": str(category.code), "attributes": []}
    return answer(fmt, data, root="service_definition", item=None)


@csrf_exempt
@refusals
def requests_(request: HttpRequest, *, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD", "POST")
    if request.method == "POST":
        return _file(request, fmt)
    area = jurisdictions(param(request.GET, "jurisdiction_id", 12))
    cases = list(filtered(public_requests(area), request.GET))
    return answer(fmt, rows(cases), root="service_requests", item="request")


@refusals
def one_request(request: HttpRequest, number: str, *, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    area = jurisdictions(param(request.GET, "jurisdiction_id", 12))
    case = public_requests(area).filter(number=number[:40]).first()
    if case is None:
        raise Refusal(404, _("There is no request %(id)s here.") % {"id": number[:40]})
    return answer(fmt, rows([case]), root="service_requests", item="request")


@refusals
def token(request: HttpRequest, value: str, *, fmt: str) -> HttpResponse:
    """Requests are filed in real time, so a request's token is its own number."""
    _only(request, "GET", "HEAD")
    area = jurisdictions(param(request.GET, "jurisdiction_id", 12))
    case = public_requests(area).filter(number=value[:40]).first()
    if case is None:
        raise Refusal(404, _("There is no token %(t)s here.") % {"t": value[:40]})
    data = [{"service_request_id": case.number, "token": case.number}]
    return answer(fmt, data, root="service_requests", item="request")


def _key_of(request: HttpRequest) -> Open311Key:
    raw = request.POST.get("api_key") or request.GET.get("api_key") or ""
    key = Open311Key.find(raw)
    if key is None:
        raise Refusal(403, _("A valid api_key is required to file a request."))
    return key


def _idempotency_key(request: HttpRequest, key: Open311Key) -> str:
    """The partner's Idempotency-Key, or the request's content: a retry files nothing new."""
    given = param(request.headers, "Idempotency-Key", MAX_IDEMPOTENCY_KEY)
    if given:
        return f"{key.filing_key_prefix()}h:{given}"
    content = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name != "api_key"
        for value in values
    )
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
    return f"{key.filing_key_prefix()}c:{digest}"


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    key = _key_of(request)
    if key.over_limit():
        raise Refusal(429, _("Too many requests from this key; wait a minute and retry."))
    data = request.POST
    area = jurisdictions(
        param(data, "jurisdiction_id", 12) or param(request.GET, "jurisdiction_id", 12)
    )
    category = service(param(data, "service_code", 40))
    description = param(data, "description", MAX_DESCRIPTION)
    place = place_for(
        address_id=param(data, "address_id", 40),
        address_string=param(data, "address_string", 200),
        lat=param(data, "lat", 40),
        long=param(data, "long", 40),
        area=area,
    )
    name = " ".join(p for p in (param(data, "first_name", 25), param(data, "last_name", 25)) if p)
    first_line = description.splitlines()[0][:60] if description else ""
    try:
        case = report_case(
            actor=None,
            place=place,
            category=category,
            title=first_line or category.label,
            description=description,
            channel=Channel.OPEN311,
            contact_name=name,
            contact_phone=param(data, "phone", 20),
            idempotency_key=_idempotency_key(request, key),
        )
    except ValidationError as refused:
        raise Refusal(400, " ".join(refused.messages)) from refused
    replayed = getattr(case, "replayed", False)
    row = {
        "service_request_id": case.number,
        "service_notice": _("Received. The community will take it on within a working day."),
        "account_id": "",
    }
    return answer(
        fmt, [row], root="service_requests", item="request", status=200 if replayed else 201
    )
