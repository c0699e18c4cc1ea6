"""Template helpers shared by Shuren's pages: links that keep the query string, durations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], key: str, value: Any) -> str:
    """The current query string with one parameter replaced, e.g. for the next page."""
    query = context["request"].GET.copy()
    query[key] = value
    return "?" + query.urlencode()


@register.filter
def minutes(value: timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0
