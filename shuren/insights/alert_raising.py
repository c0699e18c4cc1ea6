"""Where alerts come from: the risky words of a new matter (an outbox handler, so the alert is
raised in the report's first background task, seconds after it) and the sweep (`manage.py
sweepalerts`, run beside the overdue sweep) over the recent matters. The tests of each rule are
early_warning.py's; this module reads the matters and raises.

Levels, chosen with the article's meaning of each (red: tell the subdistrict now; orange: handle
today; yellow: the leader handles it on the spot):

- risky words in a new matter: the highest level of the words matched (the lexicon says:
  持刀, 跳楼, 自杀, 轻生, 煤气, 纵火, 放火, 爆炸 red; 打人, 上访, 堵门 … orange);
- surge (a community's category beyond its 8-week baseline, Poisson p < 0.01): red, since
  something is happening across a community;
- hotspot (3 or more neighbour disputes in one building within 30 days): orange;
- repeat parties (one person in 3 or more disputes within 90 days, per community): orange;
  the person is in the alert's data only by id, named only to readers who may see them;
- overdue (a matter flagged red by the overdue sweep): orange, once per deadline stage;
- unsatisfied follow-up (the reporter said no, in the last 30 days): yellow, once per reopening.

Disputes are the matters of the category 邻里纠纷 ("neighbour") and its children, not rejected
and not merged into another (a duplicate is counted once, in the matter it was merged into).
With SHUREN_EARLY_WARNING off, neither the handler nor the sweep raises anything.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from shuren.cases.choices import OverdueFlag, Status
from shuren.cases.models import Case, CaseParty, Category
from shuren.insights import early_warning as rules
from shuren.insights.alert_actions import raise_alert
from shuren.insights.alert_choices import AlertKind, AlertLevel, highest
from shuren.insights.models.alerts import Alert, RiskyWord
from shuren.kernel.models import Outbox
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import STEP_LEN, ancestor_paths, depth_of

DISPUTES = "neighbour"
NOT_COUNTED = (Status.REJECTED, Status.MERGED)
UNSATISFIED_DAYS = 30
WEEK = dt.timedelta(days=7)
# How much of a description a report's outbox row carries (cases.intake.report: [:500]).
MESSAGE_BODY = 500


def enabled() -> bool:
    return bool(getattr(settings, "SHUREN_EARLY_WARNING", True))


# --- Risky words: the report's first background task --------------------------------------------


# The lexicon as the worker last read it, and when: read again after LEXICON_TTL, or at once
# after an edit in this process (RiskyWord's signals, apps.py). An edit made in the admin's
# process reaches the worker within LEXICON_TTL; intake pays no query for it in between.
LEXICON_TTL = 60.0
_lexicon: dict[str, Any] = {"words": None, "read_at": 0.0}


def lexicon() -> dict[str, str]:
    """The active risky words and their levels."""
    now = time.monotonic()
    if _lexicon["words"] is None or now - _lexicon["read_at"] > LEXICON_TTL:
        words = dict(RiskyWord.objects.filter(active=True).values_list("word", "level"))
        _lexicon.update(words=words, read_at=now)
    return dict(_lexicon["words"])


def forget_lexicon(**kwargs: Any) -> None:
    """Read the lexicon afresh next time (a word was added, changed or deleted)."""
    _lexicon.update(words=None, read_at=0.0)


def on_outbox_row(row: Outbox) -> None:
    """The outbox handler: a newly reported matter is matched against the lexicon. The row
    carries the title and the start of the description (what its message says); the matter is
    read only when a word is found there, or when the description went on past that start."""
    if row.subject_type != "cases.case" or row.kind != "case.reported" or not enabled():
        return
    words = lexicon()
    if not words:
        return
    body = str(row.params.get("body", ""))
    said = f"{row.params.get('title', '')}\n{body}"
    if len(body) < MESSAGE_BODY and not rules.risky_words_in(said, words):
        return
    case = Case.objects.select_related("place", "category").filter(pk=row.subject_id).first()
    if case is not None:
        raise_for_risky_words(case, words=words)


def raise_for_risky_words(case: Case, *, words: dict[str, str] | None = None) -> Alert | None:
    """A red or orange alert (the highest level of the words found) naming the words of the
    lexicon found in the matter's title and description; None when there are none."""
    words = lexicon() if words is None else words
    if not words:
        return None
    found = rules.risky_words_in(f"{case.title}\n{case.description}", words)
    if not found:
        return None
    return raise_alert(
        kind=AlertKind.RISKY_WORDS,
        level=highest([words[word] for word in found]),
        place=case.place,
        case=case,
        category=case.category,
        key=f"risky:{case.pk}",
        data={"words": found, "number": case.number, "numbers": [case.number], "cases": [case.pk]},
    )


# --- The sweep -----------------------------------------------------------------------------------


@dataclass
class SweepReport:
    raised: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.raised.values())


def _dispute_categories() -> list[int]:
    codes = Q(code=DISPUTES) | Q(parent__code=DISPUTES)
    return list(Category.objects.filter(codes).values_list("pk", flat=True))


def _counted(since: dt.datetime, now: dt.datetime) -> Any:
    return Case.objects.filter(reported_at__gt=since, reported_at__lte=now).exclude(
        status__in=NOT_COUNTED
    )


def _places(paths: Iterable[str], **where: Any) -> dict[str, Place]:
    return {place.path: place for place in Place.objects.filter(path__in=set(paths), **where)}


def _evidence(rows: list[tuple[int, str]]) -> dict[str, Any]:
    """The matters behind an alert, oldest first: their ids (what the page links) and numbers."""
    return {"cases": [pk for pk, _n in rows], "numbers": [number for _pk, number in rows]}


def sweep_hotspots(now: dt.datetime, report: SweepReport) -> None:
    days = rules.HOTSPOT_DAYS
    rows = list(
        _counted(now - dt.timedelta(days=days), now)
        .filter(category_id__in=_dispute_categories())
        .order_by("reported_at", "pk")
        .values_list("pk", "number", "place_path", "reported_at")
    )
    buildings = _places(
        (a for *_x, path, _at in rows for a in ancestor_paths(path)), kind=PlaceKind.BUILDING
    )

    def building_of(path: str) -> Place | None:
        return next((buildings[a] for a in ancestor_paths(path) if a in buildings), None)

    in_building = [(building_of(path), pk, number, at) for pk, number, path, at in rows]
    found = rules.hotspots(((b.pk, at) for b, _pk, _n, at in in_building if b is not None), now=now)
    for building in {b.pk: b for b, *_rest in in_building if b is not None}.values():
        if building.pk not in found:
            continue
        cases = [(pk, n) for b, pk, n, _at in in_building if b is not None and b.pk == building.pk]
        raised = raise_alert(
            kind=AlertKind.HOTSPOT,
            level=AlertLevel.ORANGE,
            place=building,
            key=f"hotspot:{building.pk}",
            data={"count": found[building.pk], "days": days, **_evidence(cases)},
            at=now,
        )
        report.raised[AlertKind.HOTSPOT] += raised is not None


def sweep_surges(now: dt.datetime, report: SweepReport) -> None:
    weeks = rules.BASELINE_WEEKS
    rows = _counted(now - WEEK * (weeks + 1), now).values_list(
        "pk", "number", "place_path", "category_id", "category__parent_id", "reported_at"
    )
    recent: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    baseline: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * weeks)
    for pk, number, path, category, parent, at in rows.order_by("reported_at", "pk"):
        if depth_of(path) < 2:
            continue  # a matter of the subdistrict itself belongs to no community
        group = (path[: 2 * STEP_LEN], parent or category)
        week = int((now - at) / WEEK)  # 0: the last 7 days, 1..8: the baseline weeks
        if week == 0:
            recent[group].append((pk, number))
        elif week <= weeks:
            baseline[group][week - 1] += 1
    candidates = {g: cases for g, cases in recent.items() if len(cases) >= rules.SURGE_MIN_COUNT}
    communities = _places(path for path, _c in candidates)
    categories = Category.objects.in_bulk({category for _p, category in candidates})
    for (path, category_id), cases in candidates.items():
        result = rules.surge(len(cases), baseline[(path, category_id)])
        if not result.is_surge or path not in communities:
            continue
        community = communities[path]
        raised = raise_alert(
            kind=AlertKind.SURGE,
            level=AlertLevel.RED,
            place=community,
            category=categories.get(category_id),
            key=f"surge:{community.pk}:{category_id}",
            data={
                "recent": result.recent,
                "expected": result.expected,
                "p_value": result.p_value,
                "baseline": baseline[(path, category_id)],
                **_evidence(cases),
            },
            at=now,
        )
        report.raised[AlertKind.SURGE] += raised is not None


def sweep_repeat_parties(now: dt.datetime, report: SweepReport) -> None:
    days = rules.REPEAT_DAYS
    disputes = _counted(now - dt.timedelta(days=days), now).filter(
        category_id__in=_dispute_categories()
    )
    rows = list(
        disputes.order_by("reported_at", "pk").values_list(
            "pk", "number", "place_path", "reporter_id", "reported_at"
        )
    )
    persons: dict[int, set[int]] = defaultdict(set)
    for case_id, person_id in CaseParty.objects.filter(case__in=disputes).values_list(
        "case_id", "person_id"
    ):
        persons[case_id].add(person_id)
    by_community: dict[str, list[tuple[int, str, dt.datetime, set[int]]]] = defaultdict(list)
    for pk, number, path, reporter, at in rows:
        if depth_of(path) >= 2:
            named = persons[pk] | ({reporter} if reporter else set())
            by_community[path[: 2 * STEP_LEN]].append((pk, number, at, named))
    communities = _places(by_community)
    for path, cases in by_community.items():
        found = rules.repeat_parties(((pk, at, named) for pk, _n, at, named in cases), now=now)
        if not found or path not in communities:
            continue
        numbers = {pk: number for pk, number, _at, _named in cases}
        for person, case_ids in sorted(found.items(), key=lambda item: str(item[0])):
            raised = raise_alert(
                kind=AlertKind.REPEAT_PARTIES,
                level=AlertLevel.ORANGE,
                place=communities[path],
                key=f"repeat:{communities[path].pk}:{person}",
                data={
                    "count": len(case_ids),
                    "days": days,
                    "person": person,
                    **_evidence([(cast(int, c), numbers[cast(int, c)]) for c in case_ids]),
                },
                at=now,
            )
            report.raised[AlertKind.REPEAT_PARTIES] += raised is not None


def _per_case(
    cases: Iterable[Case], kind: str, level: str, key_of: Any, now: dt.datetime, report: SweepReport
) -> None:
    """One alert per matter and key: a key alerted once (open or closed) is not asked again."""
    cases = list(cases)
    keys = {case.pk: key_of(case) for case in cases}
    seen = set(Alert.objects.filter(key__in=list(keys.values())).values_list("key", flat=True))
    for case in cases:
        if keys[case.pk] in seen:
            continue
        raised = raise_alert(
            kind=kind,
            level=level,
            place=case.place,
            case=case,
            category=case.category,
            key=keys[case.pk],
            data={
                "number": case.number,
                "title": case.title,
                "numbers": [case.number],
                "cases": [case.pk],
            },
            at=now,
        )
        report.raised[kind] += raised is not None


def sweep_overdue(now: dt.datetime, report: SweepReport) -> None:
    cases = Case.objects.open().filter(overdue=OverdueFlag.RED).select_related("place", "category")
    _per_case(
        cases.order_by("pk"),
        AlertKind.OVERDUE,
        AlertLevel.ORANGE,
        lambda case: f"overdue:{case.pk}:{case.current_stage or ''}",
        now,
        report,
    )


def sweep_unsatisfied(now: dt.datetime, report: SweepReport) -> None:
    cases = Case.objects.filter(
        satisfied=False, followed_up_at__gt=now - dt.timedelta(days=UNSATISFIED_DAYS)
    ).select_related("place", "category")
    _per_case(
        cases.order_by("pk"),
        AlertKind.UNSATISFIED,
        AlertLevel.YELLOW,
        lambda case: f"unsatisfied:{case.pk}:{case.reopened_count}",
        now,
        report,
    )


def sweep_alerts(*, now: dt.datetime | None = None) -> SweepReport:
    """Raise every alert the recent matters call for, none twice (the periodic sweep)."""
    report = SweepReport()
    if not enabled():
        return report
    now = now or timezone.now()
    for sweep in (
        sweep_surges,
        sweep_hotspots,
        sweep_repeat_parties,
        sweep_overdue,
        sweep_unsatisfied,
    ):
        sweep(now, report)
    return report
