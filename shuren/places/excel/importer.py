"""Checking a workbook of places, households and residents and planning what to write; the
action places.actions.import_places then writes everything in one transaction, or nothing.

Rows are matched by code (upsert). Lookups are a bounded number of queries per 500 codes, never
one per row; writes are bulk statements (see writing.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shuren.access.context import scope_of
from shuren.people.models import Person, Team, TeamKind
from shuren.places.excel.reading import (
    HouseholdRow,
    ParsedWorkbook,
    PlaceRow,
    ResidentRow,
    SheetReader,
    read_workbook,
)
from shuren.places.excel.report import Counts, ImportReport, RowError
from shuren.places.excel.resident_rows import NO_RESIDENTS_DATA, ResidentRows
from shuren.places.excel.template import HOUSEHOLDS, PLACES, RESIDENTS, Sheet
from shuren.places.excel.writing import (
    HOUSEHOLD_FIELDS,
    PLACE_FIELDS,
    MoveRejected,
    Plan,
)
from shuren.places.models import HOUSEHOLD_PLACE_KINDS, Household, Place, PlaceKind, Resident
from shuren.places.paths import STEP_LEN
from shuren.places.tree import check_parent

CHUNK = 500  # codes per lookup query; well under SQLite's bound-parameter limit


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    ordered = sorted(items)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _by_code(queryset: QuerySet[Any], codes: set[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(c for c in codes if c):
        found.update((obj.code, obj) for obj in queryset.filter(code__in=chunk))
    return found


class _Cycle(Exception):
    def __init__(self, codes: list[str]) -> None:
        super().__init__(codes)
        self.codes = codes


class _Unresolved(Exception):
    """A row whose parent could not be found; its error is already in the report."""


class ImportRun(ResidentRows):
    """One run of the importer: the lookups, the checks, and the plan of what to write."""

    def __init__(self, user: Any, parsed: ParsedWorkbook) -> None:
        self.user = user
        self.parsed = parsed
        self.plan = Plan()
        self.report = ImportReport(errors=parsed.errors)
        self._editable: dict[int, bool] = {}
        self._keeps_households: dict[int, bool] = {}
        # Households and residents at all: a post that opens residents' data (not only the
        # system administrator's place posts, 三员分立).
        self.keeps_residents = bool(scope_of(user).roots)
        self.places_sheet = self._sheet(PLACES)
        self.households_sheet = self._sheet(HOUSEHOLDS)
        self.residents_sheet = self._sheet(RESIDENTS)
        self.file_places: dict[str, PlaceRow] = {}
        self.file_households: dict[str, HouseholdRow] = {}
        self.file_persons: dict[str, ResidentRow] = {}
        self.owner_codes: set[str] = set()
        self.unresolved: set[str] = set()
        self.depths: dict[str, int] = {}
        self.ready = False  # checked without errors and planned: the plan may be written

    def _sheet(self, sheet: Sheet) -> SheetReader:
        reader = self.parsed.readers.get(sheet.key)
        return reader or SheetReader(sheet, sheet.title, self.parsed.errors)

    # --- permissions ---------------------------------------------------------------------

    def may_edit(self, place: Place) -> bool:
        """The rules' places.change_place, asked once per place."""
        allowed = self._editable.get(place.pk)
        if allowed is None:
            allowed = self._editable[place.pk] = self.user.has_perm("places.change_place", place)
        return allowed

    def may_keep_households(self, place: Place) -> bool:
        """The rules' places.add_household at this place, asked once per place: households and
        residents are residents' data, which the system administrator's place posts do not
        open (三员分立), though they open the place itself."""
        allowed = self._keeps_households.get(place.pk)
        if allowed is None:
            allowed = self.user.has_perm("places.add_household", place)
            self._keeps_households[place.pk] = allowed
        return allowed

    def _editable_persons_q(self) -> Q:
        """People this user may change by import: those they can see as residents' data, and
        the owners of the households they can see (an owner need not live in the household).
        The system administrator's subtrees add nobody (三员分立)."""
        scope = replace(scope_of(self.user), structure_roots=())
        owned_here = Household.owners.through.objects.filter(
            household__in=Household.objects.filter(scope.household_q())
        ).values("person_id")
        return scope.person_q() | Q(pk__in=owned_here)

    # --- lookups -------------------------------------------------------------------------

    def load(self) -> None:
        p = self.parsed
        place_codes = {r.code for r in p.places} | {r.parent_code for r in p.places}
        place_codes |= {h.place_code for h in p.households}
        self.db_places: dict[str, Place] = _by_code(Place.objects.all(), place_codes)
        self.plan.db_places = self.db_places
        self.file_pk_code = {
            self.db_places[r.code].pk: r.code for r in p.places if r.code in self.db_places
        }
        company_codes = {r.company_code for r in p.places if r.company_code}
        self.plan.team_pks = {
            team.code: team.pk
            for team in _by_code(
                Team.objects.filter(kind=TeamKind.PROPERTY_COMPANY).only("pk", "code"),
                company_codes,
            ).values()
        }
        household_codes = {h.code for h in p.households} | {r.household_code for r in p.residents}
        self.db_households: dict[str, Household] = _by_code(
            Household.objects.select_related("place").only(
                "pk",
                "code",
                "place_id",
                "room",
                "floor",
                "exclusive_area",
                "version",
                "place__path",
                "place__kind",
            ),
            household_codes,
        )
        self.plan.household_pks = {code: h.pk for code, h in self.db_households.items()}
        self.rooms: dict[tuple[int, str], str] = {}
        target_place_pks = {
            self.db_places[h.place_code].pk for h in p.households if h.place_code in self.db_places
        }
        for chunk in _chunks(target_place_pks):
            for place_id, room, code in Household.objects.filter(place_id__in=chunk).values_list(
                "place_id", "room", "code"
            ):
                self.rooms[(place_id, room)] = code

        person_codes = {r.person_code for r in p.residents}
        person_codes |= {code for h in p.households for code in h.owner_codes}
        person_fields = [
            "pk",
            "code",
            "name",
            "phone",
            "id_number",
            "party_member",
            "leader_sees_phone",
            "version",
        ]
        self.db_persons: dict[str, Person] = _by_code(
            Person.objects.only(*person_fields), person_codes
        )
        self.match_by_index(person_fields)
        self.plan.person_pks = {code: person.pk for code, person in self.db_persons.items()}
        # Current owners of the households in the file: (household pk -> person pk -> row).
        self.current_owners: dict[int, dict[int, tuple[int, str | None]]] = {}
        file_household_pks = [
            self.db_households[h.code].pk for h in p.households if h.code in self.db_households
        ]
        owners = Household.owners.through.objects
        for chunk in _chunks(file_household_pks):
            for pk, household_id, person_id, owner_code in owners.filter(
                household_id__in=chunk
            ).values_list("pk", "household_id", "person_id", "person__code"):
                self.current_owners.setdefault(household_id, {})[person_id] = (pk, owner_code)
        candidates = {person.pk for person in self.db_persons.values()}
        candidates |= {pk for owned in self.current_owners.values() for pk in owned}
        self.editable_persons: set[int] = set()
        editable = Person.objects.filter(self._editable_persons_q())
        for chunk in _chunks(candidates):
            self.editable_persons.update(editable.filter(pk__in=chunk).values_list("pk", flat=True))
        self.db_residents: dict[tuple[int, int], Resident] = {}
        resident_household_pks = {
            self.db_households[r.household_code].pk
            for r in p.residents
            if r.household_code in self.db_households
        }
        for chunk in _chunks(resident_household_pks):
            for resident in Resident.objects.filter(household_id__in=chunk).only(
                "pk", "household_id", "person_id", "relation"
            ):
                self.db_residents[(resident.household_id, resident.person_id)] = resident

    # --- places --------------------------------------------------------------------------

    def check_places(self) -> None:
        sheet = self.places_sheet
        for row in self.parsed.places:
            if not row.code:
                continue
            first = self.file_places.get(row.code)
            if first is not None:
                sheet.error(row.row, "code", _duplicate(row.code, first.row))
                continue
            self.file_places[row.code] = row
        for row in self.file_places.values():
            existing = self.db_places.get(row.code)
            if existing is not None and not self.may_edit(existing):
                sheet.error(
                    row.row,
                    "code",
                    _("The code %(code)s belongs to a place you may not edit.")
                    % {"code": row.code},
                )
                self.unresolved.add(row.code)
                continue
            if existing is not None and row.kind and existing.kind != row.kind:
                sheet.error(
                    row.row,
                    "kind",
                    _("This place is already a %(kind)s; an import cannot change its kind.")
                    % {"kind": PlaceKind(existing.kind).label},
                )
            self._check_parent(row, existing)
            self._check_place_fields(row)
        for row in self.file_places.values():
            if row.code in self.unresolved or row.code in self.depths:
                continue
            try:
                self._depth(row.code, [])
            except _Cycle as cycle:
                for code in cycle.codes:
                    self.unresolved.add(code)
                    sheet.error(
                        self.file_places[code].row,
                        "parent_code",
                        _("These parent codes form a loop: a place cannot stand under itself."),
                    )
            except _Unresolved:
                pass

    def _check_parent(self, row: PlaceRow, existing: Place | None) -> None:
        sheet = self.places_sheet
        if not row.kind:
            self.unresolved.add(row.code)
            return
        if not row.parent_code:
            if existing is not None:
                return  # an empty parent keeps the place where it is
            if row.kind != PlaceKind.SUBDISTRICT:
                sheet.error(row.row, "parent_code", _("Write the code of the parent place."))
                self.unresolved.add(row.code)
            elif not self.user.is_superuser:
                sheet.error(
                    row.row,
                    "parent_code",
                    _("Only a superuser may add a place at the top of the tree."),
                )
                self.unresolved.add(row.code)
            return
        if row.parent_code == row.code:
            sheet.error(row.row, "parent_code", _("A place cannot be its own parent."))
            self.unresolved.add(row.code)
            return
        parent_row = self.file_places.get(row.parent_code)
        parent = self.db_places.get(row.parent_code)
        if parent_row is not None:
            parent_kind = parent_row.kind
        elif parent is not None and (
            self.may_edit(parent) or (existing is not None and existing.parent_id == parent.pk)
        ):
            # The parent must be editable to add or move a place under it, not to keep one.
            parent_kind = parent.kind
        else:
            sheet.error(row.row, "parent_code", _no_place(row.parent_code))
            self.unresolved.add(row.code)
            return
        if not parent_kind:
            self.unresolved.add(row.code)
            return
        try:
            check_parent(row.kind, Place(kind=parent_kind))
        except ValidationError as exc:
            sheet.error(row.row, "parent_code", exc.messages[0])
            self.unresolved.add(row.code)

    def _check_place_fields(self, row: PlaceRow) -> None:
        sheet = self.places_sheet
        if row.company_code:
            if row.kind and row.kind != PlaceKind.ESTATE:
                sheet.error(
                    row.row,
                    "property_company_code",
                    _("Only an estate has a property company."),
                )
            elif row.company_code not in self.plan.team_pks:
                sheet.error(
                    row.row,
                    "property_company_code",
                    _("No property company has the code %(code)s.") % {"code": row.company_code},
                )
        if (
            row.floor_from is not None
            and row.floor_to is not None
            and row.floor_from > row.floor_to
        ):
            sheet.error(row.row, "floor_to", _("The last floor is below the first floor."))

    def _depth(self, code: str, visiting: list[str]) -> int:
        """The depth a file place will have once the import is done; finds loops."""
        if code in self.depths:
            return self.depths[code]
        if code in self.unresolved:
            raise _Unresolved
        if code in visiting:
            raise _Cycle(visiting[visiting.index(code) :])
        visiting.append(code)
        row = self.file_places[code]
        existing = self.db_places.get(code)
        if row.parent_code in self.file_places:
            depth = self._depth(row.parent_code, visiting) + 1
        elif row.parent_code:
            depth = self._db_depth(self.db_places[row.parent_code].path, visiting) + 1
        elif existing is not None and existing.parent_id is not None:
            depth = self._db_depth(existing.path[:-STEP_LEN], visiting) + 1
        else:
            depth = 0
        visiting.pop()
        self.depths[code] = depth
        return depth

    def _db_depth(self, path: str, visiting: list[str]) -> int:
        """The final depth of a stored place: stored depth, unless a place above it moves."""
        code = self.file_pk_code.get(int(path[-STEP_LEN:]))
        if code is not None:
            return self._depth(code, visiting)
        if len(path) == STEP_LEN:
            return 0
        return self._db_depth(path[:-STEP_LEN], visiting) + 1

    def plan_places(self) -> Counts:
        counts = Counts()
        for row in self.file_places.values():
            existing = self.db_places.get(row.code)
            if existing is None:
                self.plan.new_places.append((self.depths[row.code], row))
                counts.created += 1
                continue
            values = {
                "name": row.name,
                "official_code": row.official_code,
                "storeys": row.storeys,
                "floor_from": row.floor_from,
                "floor_to": row.floor_to,
                "property_company_id": self.plan.team_pks.get(row.company_code),
                "address": row.address,
            }
            changed = any(getattr(existing, f) != values[f] for f in PLACE_FIELDS)
            for field_name, value in values.items():
                setattr(existing, field_name, value)
            if changed:
                self.plan.changed_places.append(existing)
            parent = self.db_places.get(row.parent_code)
            moves = bool(row.parent_code) and (parent is None or parent.pk != existing.parent_id)
            if moves:
                self.plan.moves.append((self.depths[row.code], row, existing))
            if changed or moves:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    # --- households ----------------------------------------------------------------------

    def check_households(self) -> None:
        sheet = self.households_sheet
        rooms: dict[tuple[str, str], HouseholdRow] = {}
        if not self.keeps_residents:
            for row in self.parsed.households:
                sheet.error(row.row, "code", _(NO_RESIDENTS_DATA))
            return
        for row in self.parsed.households:
            if not row.code:
                continue
            first = self.file_households.get(row.code)
            if first is not None:
                sheet.error(row.row, "code", _duplicate(row.code, first.row))
                continue
            self.file_households[row.code] = row
            existing = self.db_households.get(row.code)
            if existing is not None and not self.may_keep_households(existing.place):
                sheet.error(
                    row.row,
                    "code",
                    _("The code %(code)s belongs to a household you may not edit.")
                    % {"code": row.code},
                )
                continue
            self._check_household_place(row)
            if row.place_code and row.room:
                other = rooms.get((row.place_code, row.room))
                if other is not None:
                    sheet.error(
                        row.row,
                        "room",
                        _("Room %(room)s is already on row %(row)d for the same place.")
                        % {"room": row.room, "row": other.row},
                    )
                rooms.setdefault((row.place_code, row.room), row)
            for code in row.owner_codes:
                person = self.db_persons.get(code)
                if code in self.file_persons:
                    continue
                if person is None or person.pk not in self.editable_persons:
                    sheet.error(
                        row.row,
                        "owner_codes",
                        _(
                            "No person with the code %(code)s that you may edit; add them on "
                            "the 居民 sheet."
                        )
                        % {"code": code},
                    )
        # Rooms already taken in the database by households this file does not mention.
        for (place_code, room), row in rooms.items():
            place = self.db_places.get(place_code)
            taken = self.rooms.get((place.pk, room)) if place is not None else None
            if taken is not None and taken != row.code and taken not in self.file_households:
                self.households_sheet.error(
                    row.row,
                    "room",
                    _("Room %(room)s of this place already belongs to household %(code)s.")
                    % {"room": room, "code": taken},
                )

    def _check_household_place(self, row: HouseholdRow) -> None:
        sheet = self.households_sheet
        if not row.place_code:
            return
        file_place = self.file_places.get(row.place_code)
        place = self.db_places.get(row.place_code)
        if file_place is not None:
            kind = file_place.kind
        elif place is not None and self.may_keep_households(place):
            kind = place.kind
        else:
            sheet.error(row.row, "place_code", _no_place(row.place_code))
            return
        if kind and kind not in HOUSEHOLD_PLACE_KINDS:
            sheet.error(
                row.row,
                "place_code",
                _("A household stands in a building, stairwell or floor band, not in a %(kind)s.")
                % {"kind": PlaceKind(kind).label},
            )

    def plan_households(self) -> Counts:
        counts = Counts()
        for row in self.file_households.values():
            existing = self.db_households.get(row.code)
            owner_changes = self._plan_owners(row, existing)
            if existing is None:
                self.plan.new_households.append(row)
                counts.created += 1
                continue
            place = self.db_places.get(row.place_code)
            values = {
                "place_id": place.pk if place is not None else None,
                "room": row.room,
                "floor": row.floor,
                "exclusive_area": row.area,
            }
            if any(getattr(existing, f) != values[f] for f in HOUSEHOLD_FIELDS):
                self.plan.changed_households.append((existing, row))
                counts.updated += 1
            elif owner_changes:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def _plan_owners(self, row: HouseholdRow, existing: Household | None) -> bool:
        """Owners become exactly the listed ones, except owners this user cannot see (or
        without a code), who stay: what you cannot see, you cannot change."""
        current = self.current_owners.get(existing.pk, {}) if existing is not None else {}
        wanted = set()
        changed = False
        for code in row.owner_codes:
            person = self.db_persons.get(code)
            if person is not None:
                wanted.add(person.pk)
            if person is None or person.pk not in current:
                self.plan.owner_adds.append((row.code, code))
                changed = True
        for person_pk, (through_pk, owner_code) in current.items():
            if owner_code and person_pk in self.editable_persons and person_pk not in wanted:
                self.plan.owner_removals.append(through_pk)
                changed = True
        return changed

    # --- the run -------------------------------------------------------------------------

    def check(self) -> bool:
        self.load()
        self.collect_persons()
        self.check_places()
        self.check_households()
        self.check_residents()
        return not self.report.errors

    def make_plan(self) -> None:
        self.report.places = self.plan_places()
        self.report.persons = self.plan_persons()
        self.report.households = self.plan_households()
        self.report.residents = self.plan_residents()

    def move_rejected(self, exc: MoveRejected) -> ImportReport:
        """The report when a move in the plan turned out to make a loop: nothing was written."""
        self.places_sheet.error(exc.row.row, "parent_code", exc.message)
        self.report = ImportReport(errors=self.report.errors, dry_run=self.report.dry_run)
        return self.report

    def raced(self) -> ImportReport:
        """The report when a unique code or room was taken while the file was checked (the
        checks run outside the writing transaction, so the write lock is held only briefly)."""
        self.report = ImportReport(
            errors=[
                RowError(
                    "",
                    0,
                    "",
                    "",
                    _("Someone changed the same data while the file was checked; import it again."),
                )
            ],
            dry_run=self.report.dry_run,
        )
        return self.report


def _duplicate(code: str, first_row: int) -> str:
    return _("The code %(code)s is already used on row %(row)d.") % {
        "code": code,
        "row": first_row,
    }


def _no_place(code: str) -> str:
    # The same words whether the place is missing or outside the user's scope (like a 404).
    return _("No place with the code %(code)s that you may edit.") % {"code": code}


def prepare_import(
    *, user: Any, file: str | Path | bytes | IO[bytes], dry_run: bool = False
) -> ImportRun:
    """Read and check a workbook made from the template, and plan what to write; nothing is
    written here. places.actions.import_places writes the plan (all rows in one transaction,
    under one event) or, when the file has problems, returns the report listing each one
    (sheet, row, column, what)."""
    if not user.has_perm("places.import_places"):
        raise PermissionDenied
    parsed = read_workbook(file)
    run = ImportRun(user, parsed)
    run.report.dry_run = dry_run
    if parsed.errors and not (parsed.places or parsed.households or parsed.residents):
        return run
    if run.check():
        run.make_plan()
        run.ready = True
    return run
