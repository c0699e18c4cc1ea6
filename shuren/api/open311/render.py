"""Open311's two formats: the same rows answered as a JSON array or as the spec's XML.

XML element names follow GeoReport v2: a list's root and its items (`services`/`service`,
`service_requests`/`request`, `errors`/`error`), and the lists inside an item
(`attributes`/`attribute`, `values`/`value`, `endpoints`/`endpoint`, `formats`/`format`).
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# The element of one item of each list inside an item.
ITEM_OF = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _fill(ET.SubElement(element, name), inner)
    elif isinstance(value, list):
        item = ITEM_OF.get(element.tag, "item")
        for inner in value:
            _fill(ET.SubElement(element, item), inner)
    else:
        element.text = _scalar(value)


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    """A list under `root` with `item` elements, or (item None) one object as `root`."""
    element = ET.Element(root)
    if item is None:
        _fill(element, data)
    else:
        for row in data:
            _fill(ET.SubElement(element, item), row)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def answer(fmt: str, data: Any, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, data), content_type=XML_TYPE, status=status)
    return HttpResponse(to_json(data), content_type=JSON_TYPE, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error: a list of {code, description}, with the HTTP status as its code."""
    rows = [{"code": status, "description": str(description)}]
    return answer(fmt, rows, root="errors", item="error", status=status)


class Refusal(Exception):
    """An Open311 error answered to the client: the status and the words."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
