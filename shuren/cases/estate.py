"""The estate tier (tier 2): which matters it handles, per category, and which company holds them.

Which categories the estate tier handles is a policy on each category (Category.estate_tier,
EstateTier), set in the admin; a sub-category follows its parent where the parent is stricter:

- ALL: the estate's property company, owners' committee (业委会), self-governance group (自治小组)
  and mutual-aid association;
- WITHOUT_COMPANY (物业纠纷, a complaint about the property service): the owners' committee or
  self-governance group where there is one, else the community; never the company complained
  about, which is not told of it, not dispatched it and may not settle it;
- SKIP (治安, public security): not the estate tier at all.

A matter that reaches the estate tier under ALL in an estate with a property company gets the
company written on it (Case.estate_company) for good: a company sees what is assigned to it and
the matters it holds or held at the estate tier, never the rest of the neighbourhood
(cases.models.visible_branches); it handles them while they sit at the estate tier of an estate
it manages (cases.reach.Reach.holds_for_company).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuren.cases.choices import EstateTier, Tier
from shuren.cases.models import Category
from shuren.cases.reference import categories_by_id
from shuren.people.models import Post, TeamKind, active_q
from shuren.people.roles import Role
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import ancestor_paths

# The places that make an estate tier: an estate (小区), a lane (巷) or a street (街).
ESTATE_KINDS = (PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.STREET)
_STRICTNESS: dict[str, int] = {EstateTier.ALL: 0, EstateTier.WITHOUT_COMPANY: 1, EstateTier.SKIP: 2}


def estate_tier_of(category: Any) -> str:
    """The policy for a category (a Category, or its id): its own, or its parent's where that
    is stricter. Ids and parents are read from the categories the process keeps
    (cases/reference.py), so asking costs no query."""
    if category is None:
        return EstateTier.ALL
    if isinstance(category, int):
        category = _category(category)
    own = str(category.estate_tier)
    if category.parent_id is None:
        return own
    inherited = str(_category(category.parent_id).estate_tier)
    return inherited if _STRICTNESS[inherited] > _STRICTNESS[own] else own


def _category(pk: int) -> Any:
    return categories_by_id().get(pk) or Category.objects.get(pk=pk)


def company_excluded(category: Any) -> bool:
    """The property company takes no part in matters of this category (SKIP or WITHOUT_COMPANY)."""
    return estate_tier_of(category) != EstateTier.ALL


def estate_of(place: Place) -> Place | None:
    """The estate, lane or street the place is in (or is), with its property company."""
    return (
        Place.objects.filter(path__in=ancestor_paths(place.path), kind__in=ESTATE_KINDS)
        .only("pk", "path", "property_company_id")
        .first()
    )


def entered_estate_tier(case: Any) -> list[str]:
    """Call when the case now sits at the estate tier: writes the estate's property company on
    it where the category's policy gives the company the matter. Returns the fields changed."""
    if case.current_tier != Tier.ESTATE or case.estate_company_id is not None:
        return []
    if estate_tier_of(case.category) != EstateTier.ALL:
        return []
    estate = estate_of(case.place)
    if estate is None or estate.property_company_id is None:
        return []
    case.estate_company_id = estate.property_company_id
    return ["estate_company"]


def check_estate_tier(category: Any, answering: list[Any]) -> None:
    """A matter is sent (or entered) at the estate tier only where that tier handles its
    category: never for SKIP, and for WITHOUT_COMPANY only where a committee or group answers."""
    policy = estate_tier_of(category)
    if policy == EstateTier.SKIP:
        raise ValidationError(
            _("Matters of this category do not go to the estate tier; send it to the community."),
            code="estate_tier_skipped",
        )
    if policy == EstateTier.WITHOUT_COMPANY and not answering:
        raise ValidationError(
            _(
                "This estate has no owners' committee or self-governance group to take a "
                "complaint about the property service; send it to the community."
            ),
            code="estate_tier_without_company",
        )


def check_company_dispatch(category: Any, *, person: Any, team: Any) -> None:
    """A complaint about the property service is never dispatched to a property company or to
    someone who works for one (the company complained about does not settle it)."""
    if estate_tier_of(category) != EstateTier.WITHOUT_COMPANY:
        return
    to_company = team is not None and team.kind == TeamKind.PROPERTY_COMPANY
    if not to_company and person is not None:
        to_company = Post.objects.filter(active_q(), person=person, role=Role.WUYE).exists()
    if to_company:
        raise ValidationError(
            _(
                "A complaint about the property service is not given to a property company: "
                "the owners' committee, the self-governance group or the community settles it."
            ),
            code="complaint_about_company",
        )
