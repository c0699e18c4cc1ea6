"""An alert's reason in words, in the reader's language: built from its kind and the data the
raiser stored (the matched words, the matters' numbers, the counts and the p-value). The page,
the API and the notifications all say it with reason_text()."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from shuren.insights.alert_choices import AlertKind

# A reason names at most this many matters; the page lists them all (those the reader may open).
NUMBERS_SHOWN = 5


def listing(items: Iterable[Any]) -> str:
    """Items joined the reader's way: 持刀、打人 in Chinese, "a, b" in English."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def _numbers(data: Mapping[str, Any]) -> str:
    numbers = [str(n) for n in data.get("numbers", [])]
    shown = listing(numbers[:NUMBERS_SHOWN])
    if len(numbers) > NUMBERS_SHOWN:
        shown += " " + _("and %(n)d more") % {"n": len(numbers) - NUMBERS_SHOWN}
    return shown


def reason_text(
    kind: str, data: Mapping[str, Any], *, place: str, category: str = "", person: str = ""
) -> str:
    """The reason of an alert of this kind. `person`: the name the reader may see of a repeat
    party (empty: the alert says "one person", never whom)."""
    count = int(data.get("count", 0) or 0)
    days = int(data.get("days", 0) or 0)
    numbers = _numbers(data)
    if kind == AlertKind.HOTSPOT:
        return ngettext(
            "%(count)d neighbour dispute in %(place)s within %(days)d days (%(numbers)s)",
            "%(count)d neighbour disputes in %(place)s within %(days)d days (%(numbers)s)",
            count,
        ) % {"count": count, "place": place, "days": days, "numbers": numbers}
    if kind == AlertKind.SURGE:
        return _(
            "%(category)s in %(place)s: %(recent)d matters in the last 7 days, against "
            "%(expected)s a week in the 8 weeks before (Poisson test, p = %(p)s)"
        ) % {
            "category": category,
            "place": place,
            "recent": int(data.get("recent", 0) or 0),
            "expected": f"{float(data.get('expected', 0) or 0):.1f}",
            "p": f"{float(data.get('p_value', 0) or 0):.2g}",
        }
    if kind == AlertKind.RISKY_WORDS:
        return _("Matched words: %(words)s, in matter %(number)s") % {
            "words": listing(data.get("words", [])),
            "number": data.get("number", ""),
        }
    if kind == AlertKind.REPEAT_PARTIES:
        values = {"count": count, "place": place, "days": days, "numbers": numbers}
        if person:
            return ngettext(
                "%(person)s is named in %(count)d dispute in %(place)s within %(days)d days "
                "(%(numbers)s)",
                "%(person)s is named in %(count)d disputes in %(place)s within %(days)d days "
                "(%(numbers)s)",
                count,
            ) % {**values, "person": person}
        return (
            ngettext(
                "One person is named in %(count)d dispute in %(place)s within %(days)d days "
                "(%(numbers)s)",
                "One person is named in %(count)d disputes in %(place)s within %(days)d days "
                "(%(numbers)s)",
                count,
            )
            % values
        )
    if kind == AlertKind.OVERDUE:
        return _("Matter %(number)s is overdue: %(title)s") % {
            "number": data.get("number", ""),
            "title": data.get("title", ""),
        }
    if kind == AlertKind.UNSATISFIED:
        return _("The reporter of matter %(number)s is not satisfied: %(title)s") % {
            "number": data.get("number", ""),
            "title": data.get("title", ""),
        }
    if kind == AlertKind.MEDIATION_RISK:
        said = (
            _("Dispute %(number)s in mediation may turn violent or criminal; the police were told")
            if data.get("police_informed")
            else _(
                "Dispute %(number)s in mediation may turn violent or criminal; the police "
                "were not told yet"
            )
        )
        return said % {"number": data.get("number", "")}
    return str(kind)
