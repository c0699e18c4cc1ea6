"""The rows of the case register (台账): the matters of a place and period this user may see, each
as the line a community keeps, with its people as this user may learn them (cases.parties).

Who reported a matter is shown through the matter's lens (`lens_of`, the case page's one
answer): nobody to a viewer named as a party, the name and phone otherwise, and both masked
(王*英, 138****5678) unless the export is unmasked, which only a user who may reveal the
matter's contact (`may_reveal_contact`) gets, row by row. Free text (the description, the
outcome) is masked for phone and ID numbers in every export.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from shuren.access.masking import mask_name, mask_phone, mask_text
from shuren.cases.choices import ResolutionMethod, Status, Tier
from shuren.cases.models import Case, CaseParty
from shuren.cases.parties import lens_of, may_reveal_contact
from shuren.insights.figures import Period
from shuren.places.models import Place
from shuren.places.paths import STEP_LEN, subtree_q
from shuren.places.queries import places_above
from shuren.workdays.calendar import SHANGHAI

# A description longer than this is cut in the register (the case page has it whole).
SUMMARY_CHARS = 120
PATH_SEPARATOR = "/"
# Matters read per statement: the parties of each chunk come in one more (prefetch).
CHUNK = 2000


@dataclass(frozen=True)
class RegisterRow:
    number: str
    reported: str  # Asia/Shanghai, minutes
    reporter: str
    place: str
    category: str
    summary: str
    tier: str
    handler: str
    settled: str
    days: int | None
    on_time: bool | None
    satisfied: bool | None
    status: str
    unmasked: bool  # the reporter was written in full (counted for the access log)


def matters(user: Any, place: Place, period: Period) -> QuerySet[Case]:
    """The matters this user may see under the place, reported in the period."""
    first, after = period.moments()
    return (
        Case.objects.visible_to(user)
        .filter(subtree_q(place.path, "place_path"))
        .filter(reported_at__gte=first, reported_at__lt=after)
    )


def _rows_query(cases: QuerySet[Case]) -> QuerySet[Case]:
    return (
        cases.select_related("category__parent", "reporter", "assignee_person", "assignee_team")
        .prefetch_related(
            Prefetch("case_parties", queryset=CaseParty.objects.only("pk", "case_id", "person_id"))
        )
        .order_by("reported_at", "pk")
    )


def _category(case: Case) -> str:
    category = case.category
    parent = category.parent
    # The seeded names are English msgids, shown in the reader's language (Category.label).
    return f"{parent.label}/{category.label}" if parent is not None else category.label


def _summary(case: Case) -> str:
    description = " ".join(mask_text(case.description).split())
    if len(description) > SUMMARY_CHARS:
        description = description[: SUMMARY_CHARS - 1] + "…"
    title = mask_text(case.title)
    return f"{title}：{description}" if description else title


def _person_line(name: str, phone: str, full: bool) -> str:
    if not full:
        name, phone = mask_name(name), mask_phone(phone)
    return " ".join(part for part in (name, phone) if part)


def _reporter(user: Any, case: Case, parties: list[CaseParty], unmask: bool) -> tuple[str, bool]:
    lens = lens_of(user, case, parties)
    if not lens.names_people:
        return "", False
    full = unmask and may_reveal_contact(user, case, lens)
    person = lens.reporter(case)
    if person is not None:
        return _person_line(person.name, person.phone, full), full
    return _person_line(case.contact_name, case.contact_phone, full), full


def _handler(user: Any, case: Case, parties: list[CaseParty]) -> str:
    # Whoever holds it is a worker, named to everyone who sees the matter but its parties.
    if lens_of(user, case, parties).is_party:
        return ""
    names = [
        holder.name
        for holder in (case.assignee_person, case.assignee_team)
        if holder is not None and holder.name
    ]
    return "、".join(names)


def _settled(case: Case) -> str:
    method = ResolutionMethod(case.resolution_method).label if case.resolution_method else ""
    summary = " ".join(mask_text(case.resolution_summary).split())
    return "：".join(part for part in (str(method), summary) if part)


def _days(case: Case) -> int | None:
    if case.resolved_at is None:
        return None
    resolved = case.resolved_at.astimezone(SHANGHAI).date()
    return (resolved - case.reported_at.astimezone(SHANGHAI).date()).days


def place_names(paths: set[str]) -> dict[str, str]:
    """Each place as its path of names from the top (桂城街道/尖东社区/金域蓝湾/1栋): one query."""
    above = places_above(paths)
    names: dict[str, str] = {}
    for path in paths:
        keys = [int(path[i : i + STEP_LEN]) for i in range(0, len(path), STEP_LEN)]
        names[path] = PATH_SEPARATOR.join(above[key].name for key in keys if key in above)
    return names


def register_rows(
    user: Any, cases: QuerySet[Case], *, unmask: bool = False
) -> Iterator[RegisterRow]:
    """The register's lines, oldest first, a chunk of matters at a time: a bounded number of
    statements per chunk, however many matters (the places above come once per chunk)."""
    query = _rows_query(cases)
    chunk: list[Case] = []
    for case in query.iterator(chunk_size=CHUNK):
        chunk.append(case)
        if len(chunk) == CHUNK:
            yield from _lines(user, chunk, unmask)
            chunk = []
    if chunk:
        yield from _lines(user, chunk, unmask)


def _lines(user: Any, cases: list[Case], unmask: bool) -> Iterator[RegisterRow]:
    names = place_names({case.place_path for case in cases})
    for case in cases:
        parties = list(case.case_parties.all())
        reporter, full = _reporter(user, case, parties, unmask)
        on_time = case.resolved_on_time
        yield RegisterRow(
            number=case.number,
            reported=case.reported_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            reporter=reporter,
            place=names.get(case.place_path, ""),
            category=_category(case),
            summary=_summary(case),
            tier=str(Tier(case.max_tier).label),
            handler=_handler(user, case, parties),
            settled=_settled(case),
            days=_days(case),
            on_time=on_time,
            satisfied=case.satisfied,
            status=str(Status(case.status).label),
            unmasked=full,
        )
