"""The place tree (区划): subdistrict down to floor band, households, residents and shops."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuren.places.paths import ancestor_paths, subtree_q
from shuren.places.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from shuren.access.scope import Scope


class PlaceKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    COMMUNITY = "community", _("Community")
    ESTATE = "estate", _("Estate")
    LANE = "lane", _("Lane")
    STREET = "street", _("Street")
    BUILDING = "building", _("Building")
    UNIT = "unit", _("Stairwell")
    FLOOR_BAND = "floor_band", _("Floor band")


# Which kinds may stand directly under which: the shape of the tree, checked on every write.
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    PlaceKind.SUBDISTRICT: (None,),
    PlaceKind.COMMUNITY: (PlaceKind.SUBDISTRICT,),
    PlaceKind.ESTATE: (PlaceKind.COMMUNITY,),
    PlaceKind.LANE: (PlaceKind.COMMUNITY,),
    PlaceKind.STREET: (PlaceKind.COMMUNITY,),
    PlaceKind.BUILDING: (PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.STREET, PlaceKind.COMMUNITY),
    PlaceKind.UNIT: (PlaceKind.BUILDING,),
    PlaceKind.FLOOR_BAND: (PlaceKind.BUILDING, PlaceKind.UNIT),
}
HOUSEHOLD_PLACE_KINDS = (PlaceKind.BUILDING, PlaceKind.UNIT, PlaceKind.FLOOR_BAND)


class PlaceQuerySet(ScopedQuerySet):
    def in_scope(self, scope: Scope) -> PlaceQuerySet:
        return self.filter(scope.place_q())

    def subtree(self, place: Place) -> PlaceQuerySet:
        return self.filter(subtree_q(place.path))


class Place(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Stable identifier used by imports; unique across the whole tree."),
    )
    official_code = models.CharField(
        _("official code"),
        max_length=12,
        blank=True,
        help_text=_("统计用区划代码 where one exists."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    # Estates: who manages it. Null means no property company (自治小组 self-governance).
    property_company = models.ForeignKey(
        "people.Team",
        verbose_name=_("property company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_places",
        limit_choices_to={"kind": "property_company"},
    )
    storeys = models.PositiveSmallIntegerField(_("storeys"), null=True, blank=True)
    floor_from = models.PositiveSmallIntegerField(_("from floor"), null=True, blank=True)
    floor_to = models.PositiveSmallIntegerField(_("to floor"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="place_kind_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_property_company(self) -> bool:
        return self.property_company_id is not None

    def ancestors(self) -> PlaceQuerySet:
        """Every place above this one, root first, in one query."""
        prefixes = ancestor_paths(self.path, include_self=False)
        return Place.objects.filter(path__in=prefixes).order_by("path")

    def ancestor_paths(self) -> list[str]:
        return ancestor_paths(self.path)

    def descendants(self) -> PlaceQuerySet:
        return Place.objects.filter(subtree_q(self.path)).exclude(pk=self.pk)

    def is_within(self, other: Place) -> bool:
        return self.path.startswith(other.path)

    def full_name(self) -> str:
        return " › ".join(p.name for p in [*self.ancestors(), self])


class HouseholdQuerySet(ScopedQuerySet):
    def in_scope(self, scope: Scope) -> HouseholdQuerySet:
        return self.filter(scope.household_q())


class Household(models.Model):
    """户: one dwelling (an exclusive part, 专有部分) and the people who own and live in it."""

    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind__in": HOUSEHOLD_PLACE_KINDS},
    )
    code = models.CharField(_("code"), max_length=60, unique=True)
    room = models.CharField(_("room number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    # Exclusive area in m², as on the property register (民法典 Art. 278 counts by it).
    exclusive_area = models.DecimalField(
        _("exclusive area (m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    owners = models.ManyToManyField(
        "people.Person", verbose_name=_("owners"), blank=True, related_name="owned_households"
    )
    # Still the developer's (unsold, or sold and not delivered): in an owners' vote all such
    # units together count as one person (建筑物区分所有权司法解释 Art. 9).
    developer_unsold = models.BooleanField(_("developer's unsold unit"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["place__path", "room"]
        constraints = [
            models.UniqueConstraint(fields=["place", "room"], name="household_room_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.place.name} {self.room}"


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    RELATIVE = "relative", _("Other relative")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other")


class ResidentQuerySet(ScopedQuerySet):
    def in_scope(self, scope: Scope) -> ResidentQuerySet:
        return self.filter(scope.household_q(prefix="household__"))

    def current(self) -> ResidentQuerySet:
        return self.filter(moved_out_on__isnull=True)


class Resident(models.Model):
    """A person living in a household, with their relation to it."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="residents"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="residences",
    )
    relation = models.CharField(
        _("relation"), max_length=16, choices=Relation.choices, default=Relation.HEAD
    )
    moved_in_on = models.DateField(_("moved in"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out"), null=True, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"], name="resident_person_household_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.household}"


class ShopQuerySet(ScopedQuerySet):
    def in_scope(self, scope: Scope) -> ShopQuerySet:
        return self.filter(scope.place_q(prefix="place__"))


class ShopKind(models.TextChoices):
    GARMENT_FACTORY = "garment_factory", _("Garment factory")
    RETAIL = "retail", _("Shop")
    FOOD = "food", _("Restaurant")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class Shop(models.Model):
    """A shop or workshop on a street, under a street leader's care (街长制)."""

    place = models.ForeignKey(
        Place,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        related_name="shops",
        limit_choices_to={"kind": PlaceKind.STREET},
    )
    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ShopKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.ForeignKey(
        "people.Person",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shops",
    )

    objects = ShopQuerySet.as_manager()

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["place__path", "name"]

    def __str__(self) -> str:
        return self.name
