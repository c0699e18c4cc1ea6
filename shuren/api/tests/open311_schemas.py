"""GeoReport v2's published response shapes, as JSON Schemas and XML element lists.

Written from the spec (wiki.open311.org/GeoReport_v2 and ../shared/reference/open311.md):
every JSON answer is an array (the discovery and a service definition are objects), codes
are strings, and each XML list has its root and item elements.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

import jsonschema_rs

TEXT = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
NUMBER_OR_NULL = {"type": ["number", "string", "null"]}
DATETIME = {"type": "string", "pattern": r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z))?$"}

SERVICE = {
    "type": "object",
    "required": [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ],
    "properties": {
        "service_code": TEXT,
        "service_name": TEXT,
        "description": TEXT,
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": TEXT,
        "group": TEXT,
    },
}
SERVICES = {"type": "array", "items": SERVICE}

ATTRIBUTE = {
    "type": "object",
    "required": ["variable", "code", "datatype", "required", "order", "description"],
    "properties": {
        "variable": {"type": "boolean"},
        "code": TEXT,
        "datatype": {
            "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
        },
        "required": {"type": "boolean"},
        "datatype_description": TEXT_OR_NULL,
        "order": {"type": "integer"},
        "description": TEXT,
        "values": {
            "type": "array",
            "items": {"type": "object", "required": ["key", "name"]},
        },
    },
}
SERVICE_DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {"service_code": TEXT, "attributes": {"type": "array", "items": ATTRIBUTE}},
}

REQUEST = {
    "type": "object",
    "required": [
        "service_request_id",
        "status",
        "service_name",
        "service_code",
        "requested_datetime",
        "updated_datetime",
    ],
    "properties": {
        "service_request_id": TEXT,
        "status": {"enum": ["open", "closed"]},
        "status_notes": TEXT_OR_NULL,
        "service_name": TEXT,
        "service_code": TEXT,
        "description": TEXT_OR_NULL,
        "agency_responsible": TEXT_OR_NULL,
        "service_notice": TEXT_OR_NULL,
        "requested_datetime": DATETIME,
        "updated_datetime": DATETIME,
        "expected_datetime": DATETIME,
        "address": TEXT_OR_NULL,
        "address_id": TEXT_OR_NULL,
        "zipcode": TEXT_OR_NULL,
        "lat": NUMBER_OR_NULL,
        "long": NUMBER_OR_NULL,
        "media_url": TEXT_OR_NULL,
    },
    # Nothing personal may be read back.
    "not": {
        "anyOf": [
            {"required": ["email"]},
            {"required": ["phone"]},
            {"required": ["first_name"]},
            {"required": ["last_name"]},
            {"required": ["device_id"]},
        ]
    },
}
REQUESTS = {"type": "array", "items": REQUEST}
CREATED = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "service_notice"],
        "properties": {
            "service_request_id": TEXT,
            "token": TEXT,
            "service_notice": TEXT,
            "account_id": TEXT_OR_NULL,
        },
    },
}
TOKENS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "properties": {"service_request_id": TEXT, "token": TEXT},
    },
}
ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {
            "code": {"type": "integer"},
            "description": {"type": "string", "minLength": 1},
        },
    },
}
DISCOVERY = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": DATETIME,
        "contact": TEXT,
        "key_service": TEXT,
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "specification": TEXT,
                    "url": TEXT,
                    "changeset": DATETIME,
                    "type": {"enum": ["production", "test"]},
                    "formats": {
                        "type": "array",
                        "items": {"enum": ["text/xml", "application/json"]},
                    },
                },
            },
        },
    },
}


def check_json(schema: dict, data: object) -> None:
    """Fails with every difference between the data and the schema."""
    errors = [str(e) for e in jsonschema_rs.validator_for(schema).iter_errors(data)]
    assert not errors, errors


# XML: (root, item, the elements each item must have)
XML_LISTS = {
    "services": (
        "services",
        "service",
        ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
    ),
    "requests": (
        "service_requests",
        "request",
        [
            "service_request_id",
            "status",
            "service_name",
            "service_code",
            "requested_datetime",
            "updated_datetime",
            "address",
            "address_id",
            "lat",
            "long",
        ],
    ),
    "created": (
        "service_requests",
        "request",
        ["service_request_id", "service_notice", "account_id"],
    ),
    "tokens": ("service_requests", "request", ["service_request_id", "token"]),
    "errors": ("errors", "error", ["code", "description"]),
}


def check_xml(kind: str, body: bytes) -> list[dict[str, str]]:
    """The XML list has the spec's root, only its item elements, each with its fields;
    returns the items as dicts of their texts."""
    root_tag, item_tag, fields = XML_LISTS[kind]
    root = ET.fromstring(body)  # noqa: S314 - our own server's answer
    assert root.tag == root_tag
    items = list(root)
    assert all(item.tag == item_tag for item in items), [i.tag for i in items]
    found = []
    for item in items:
        texts = {child.tag: child.text or "" for child in item}
        missing = [f for f in fields if f not in texts]
        assert not missing, missing
        found.append(texts)
    return found
