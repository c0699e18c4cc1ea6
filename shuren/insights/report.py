"""The work report: the article's figures for any place and period, each with its definition
(unit, which records count, how duplicates, merged and rejected matters are treated), as the
article's Chinese paragraph, as a table and as the API's JSON. The values come from figures.py;
a figure whose records Shuren does not keep yet is None ("not yet recorded"), never a guess.
The elevator figures count the consultation's elevator projects (deliberation/elevators)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.utils.translation import pgettext_lazy as p_

from shuren.cases.metrics import Rate
from shuren.insights.figures import Figures

SETTLED_RULE = gettext_lazy(
    "Matters of this category and its sub-categories at the place or below whose settled date "
    "(the day they were resolved, Asia/Shanghai) lies in the period and that are still settled "
    "(resolved, followed up or closed, with the tier that settled them). Rejected reports are "
    "not matters and merged duplicates count once, as the matter they were merged into; a "
    "matter reopened and settled again counts once, on its last settled day."
)
ELEVATOR_RULE = gettext_lazy(
    "Elevator retrofit projects at the place or below that entered service in the period (the "
    "day they were moved to the stage 'in service', Asia/Shanghai). Each project is one "
    "stairwell (a building registered without stairwells counts as one)."
)
ELEVATOR_ESTATES_RULE = gettext_lazy(
    "The estates of those stairwells, each estate once however many of its stairwells entered "
    "service (stairwells in a lane or street have no estate and are not counted here)."
)


@dataclass(frozen=True)
class Definition:
    code: str
    label: Promise
    unit: Promise
    rule: Promise
    # The phrase of the article's paragraph ("成功协调处理邻里矛盾{n}{unit}"), for counts.
    phrase: Promise | None = None
    category: str = ""  # the top-level category a settled count is of
    counter: str = ""  # the tally counter behind it (the records list), "" for none


def _count(code: str, category: str, label: Promise, unit: Promise, phrase: Promise) -> Definition:
    return Definition(code, label, unit, SETTLED_RULE, phrase, category, "settled")


RATE_UNIT = gettext_lazy("share (0-1)")
DEFINITIONS: tuple[Definition, ...] = (
    _count(
        "neighbour_disputes",
        "neighbour",
        gettext_lazy("Neighbour disputes settled"),
        p_("unit of disputes", "cases"),
        gettext_lazy("neighbour disputes settled"),
    ),
    _count(
        "sanitation",
        "sanitation",
        gettext_lazy("Sanitation problems solved"),
        p_("unit of problems", "problems"),
        gettext_lazy("sanitation problems solved"),
    ),
    _count(
        "security",
        "security",
        gettext_lazy("Public security cases helped"),
        p_("unit of security cases", "cases"),
        gettext_lazy("public security cases helped to solve"),
    ),
    _count(
        "facilities",
        "facilities",
        gettext_lazy("Public facilities maintained"),
        p_("unit of facilities", "places"),
        gettext_lazy("public facilities maintained"),
    ),
    _count(
        "safety",
        "safety",
        gettext_lazy("Safety hazards solved"),
        p_("unit of problems", "problems"),
        gettext_lazy("safety problems solved"),
    ),
    _count(
        "parking",
        "parking",
        gettext_lazy("Parking problems solved"),
        p_("unit of parking problems", "cases"),
        gettext_lazy("parking problems solved"),
    ),
    Definition(
        "elevator_stairwells",
        gettext_lazy("Stairwells with an elevator added"),
        p_("unit of stairwells", "stairwells"),
        ELEVATOR_RULE,
        gettext_lazy("stairwells with an elevator added"),
    ),
    Definition(
        "elevator_estates",
        gettext_lazy("Estates with elevators added"),
        p_("unit of estates", "estates"),
        ELEVATOR_ESTATES_RULE,
        gettext_lazy("estates with elevators added"),
    ),
    Definition(
        "leader_teams",
        gettext_lazy("Leader teams"),
        p_("unit of teams", "teams"),
        gettext_lazy(
            "Leader teams (楼长队伍) of the place or below, founded by the last day of the "
            "period and not dissolved by then."
        ),
    ),
    Definition(
        "leaders",
        gettext_lazy("Building leaders"),
        p_("unit of people", "people"),
        gettext_lazy(
            "People holding a building leader's post (楼长) at the place or below on the last "
            "day of the period, each person once (lane and street leaders are not counted)."
        ),
    ),
    Definition(
        "party_member_leaders",
        gettext_lazy("Party members among the leaders"),
        p_("unit of people", "people"),
        gettext_lazy("The leaders above who are party members."),
    ),
    Definition(
        "on_the_spot_rate",
        gettext_lazy("Settled on the spot"),
        RATE_UNIT,
        gettext_lazy(
            "Of the matters settled in the period (as above, every category), the share settled "
            "by the leaders or the property company (tiers 1-2). None when none was settled."
        ),
        counter="settled",
    ),
    Definition(
        "within_community_rate",
        gettext_lazy("Settled within the community (小事不出社区)"),
        RATE_UNIT,
        gettext_lazy("Of the matters settled in the period, the share settled at tiers 1-3."),
        counter="settled",
    ),
    Definition(
        "within_subdistrict_rate",
        gettext_lazy("Settled within the subdistrict (大事不出街道)"),
        RATE_UNIT,
        gettext_lazy("Of the matters settled in the period, the share settled at tiers 1-4."),
        counter="settled",
    ),
    Definition(
        "never_escalated_out_rate",
        gettext_lazy("Never sent beyond the subdistrict (矛盾不上交)"),
        RATE_UNIT,
        gettext_lazy(
            "Of the matters reported in the period (not rejected, not merged; open ones "
            "included), the share that never reached the district (tier 5)."
        ),
        counter="counted",
    ),
    Definition(
        "on_time_rate",
        gettext_lazy("Settled on time"),
        RATE_UNIT,
        gettext_lazy(
            "Of the matters settled in the period that had a resolve deadline, the share "
            "resolved by it (working days, the deadline policy of their category)."
        ),
        counter="on_time_known",
    ),
    Definition(
        "satisfaction_rate",
        gettext_lazy("Satisfied at follow-up"),
        RATE_UNIT,
        gettext_lazy(
            "Of the matters settled in the period whose reporter answered at follow-up (回访), "
            "the share satisfied."
        ),
        counter="followed_up",
    ),
)
BY_CODE = {d.code: d for d in DEFINITIONS}
# Figures whose records Shuren does not keep yet ("not yet recorded"): none today.
NOT_YET: frozenset[str] = frozenset()
RATE_OF = {
    "on_the_spot_rate": "on_the_spot",
    "within_community_rate": "within_community",
    "within_subdistrict_rate": "within_subdistrict",
    "never_escalated_out_rate": "never_escalated_out",
    "on_time_rate": "on_time",
    "satisfaction_rate": "satisfaction",
}
Value = int | Fraction | None


def values(figures: Figures) -> dict[str, Value]:
    """Each figure's value: a count, an exact rate, or None (nothing to count, not recorded)."""
    out: dict[str, Value] = {}
    for definition in DEFINITIONS:
        if definition.code in NOT_YET:
            out[definition.code] = None
        elif definition.category:
            out[definition.code] = figures.categories.get(definition.category, {}).get("settled", 0)
        elif definition.code in RATE_OF:
            rate: Rate = getattr(figures.rates, RATE_OF[definition.code])
            out[definition.code] = rate.value
    out["elevator_stairwells"], out["elevator_estates"] = figures.elevators
    out["leader_teams"] = figures.leaders.teams
    out["leaders"] = figures.leaders.leaders
    out["party_member_leaders"] = figures.leaders.party_members
    return out


def rate_of(figures: Figures, code: str) -> Rate:
    return getattr(figures.rates, RATE_OF[code])  # type: ignore[no-any-return]


def paragraph(figures: Figures, place_name: str) -> str:
    """The article's sentence for the figures the place keeps, in the reader's language:
    "…成功协调处理邻里矛盾838宗、解决小区卫生问题604个…"."""
    counts = values(figures)
    parts = [
        _("%(phrase)s %(count)s %(unit)s")
        % {"phrase": d.phrase, "count": counts[d.code], "unit": d.unit}
        for d in DEFINITIONS
        if d.phrase is not None
    ]
    return _("%(place)s, %(start)s to %(end)s: %(figures)s.") % {
        "place": place_name,
        "start": figures.period.start.isoformat(),
        "end": figures.period.end.isoformat(),
        # In context: the catalogs share one namespace and another app's ", " is a space.
        "figures": pgettext("between the report's figures", ", ").join(parts),
    }
