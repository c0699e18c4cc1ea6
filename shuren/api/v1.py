"""The JSON API, version 1 (Django Ninja); OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="Shuren API", version="1", urls_namespace="api-v1")
