"""The 居民 sheet of an import: who the file names, each person's and residence's checks, and
the plan of what to write for them. Part of the importer's run (importer.ImportRun), which
holds the lookups these read (db_persons, db_households, editable_persons …) and the plan.

The rule for personal fields (phone, ID number): the report never tells whether a value in the
file matches the stored one, for any role, in a dry run or a real one. A report that said 未变
for the right phone and 更新 for a wrong one let anyone who may import guess the four hidden
digits of a masked phone in at most 10,000 tries, many persons per file, without a line in the
access log (issue 10). So a value in the file is never compared with the stored value:

- a full value (not empty, no *) is always checked against today's rules, even when it equals
  the stored one (a legacy number that fails them is kept by writing its masked form);
- a person row with a full phone or ID number counts as updated, and the person is stamped
  (version, updated_at), whether the value matched or not; the file's value is written, so a
  match writes back what was there and only a difference changes the data;
- a masked value (with *) keeps the stored value without looking at it; an empty cell clears
  it (whether anything is stored shows in every masked export already);
- persons are matched by their code only. No message says that a phone or ID number belongs to
  someone ("duplicate ID number"): a look-up by phone or ID number (exact or blind index) may
  never change the counts or the messages of the report.

Staff who may see the numbers lose nothing they need: an unmasked export imports back without
errors (its persons count as updated), and a masked one imports back as unchanged.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from shuren.access.context import scope_of
from shuren.access.models import AccessLog
from shuren.crypto import blind_index
from shuren.people.models import Person
from shuren.places.excel import cells
from shuren.places.excel.reading import HouseholdRow, ParsedWorkbook, ResidentRow, SheetReader
from shuren.places.excel.report import Counts
from shuren.places.excel.writing import PERSON_FIELDS, Plan
from shuren.places.models import Household, Place, Resident

# 三员分立: the system administrator keeps the place tree; households and residents are
# residents' data, not theirs (the importer's households sheet says the same).
NO_RESIDENTS_DATA = (
    "Households and residents are residents' data, which your posts do not open: import "
    "places only, or ask the community's staff."
)


class ResidentRows:
    """The run's part for persons and residents (a mixin of importer.ImportRun)."""

    parsed: ParsedWorkbook
    plan: Plan
    residents_sheet: SheetReader
    file_households: dict[str, HouseholdRow]
    file_persons: dict[str, ResidentRow]
    owner_codes: set[str]
    db_households: dict[str, Household]
    db_persons: dict[str, Person]
    db_residents: dict[tuple[int, int], Resident]
    editable_persons: set[int]
    user: Any
    file_id_numbers: dict[str, ResidentRow]

    keeps_residents: bool

    def may_keep_households(self, place: Place) -> bool:
        raise NotImplementedError  # the run's own check (importer.ImportRun)

    def match_by_index(self, person_fields: list[str]) -> None:
        """A person code the system does not know, on a row with a full ID number or a full
        phone, and the name of the person already recorded with that number, is that person:
        they are updated, not created twice. The same ID number under another name is an error
        (a mistyped number must not rename someone). Found through the blind indexes (the
        numbers are stored encrypted), among the persons the importer may unmask only, and
        each match is written to the access log like a reveal: a match confirms a number. A
        person named in the file under their own code, or matched by two new codes, is left
        unmatched."""
        new_rows: dict[str, ResidentRow] = {}
        if not self.keeps_residents:
            return  # check_residents refuses every row
        for row in self.parsed.residents:
            if row.person_code and row.person_code not in self.db_persons:
                new_rows.setdefault(row.person_code, row)
        by_id = {
            blind_index(row.id_number, kind="id_number"): code
            for code, row in new_rows.items()
            if row.id_number and not cells.is_masked(row.id_number)
        }
        by_phone: dict[str, list[str]] = {}
        for code, row in new_rows.items():
            if row.phone and not cells.is_masked(row.phone) and code not in by_id.values():
                by_phone.setdefault(blind_index(row.phone, kind="phone"), []).append(code)
        by_id.pop("", None)
        by_phone.pop("", None)
        if not (by_id or by_phone):
            return  # the usual import, by code: no query
        # Scope applies to everyone, a superuser too: only where the user may unmask.
        scope = scope_of(self.user)
        if not scope.unmask_roots:
            return  # who may not see a number is told nothing about it
        people = Person.objects.filter(scope.unmask_scope().person_q()).only(*person_fields)
        file_codes = {row.person_code for row in self.parsed.residents}
        file_codes |= {code for h in self.parsed.households for code in h.owner_codes}
        found: dict[str, list[tuple[Person, str]]] = {}
        for index_field, wanted in (("id_number_index", by_id), ("phone_index", by_phone)):
            keys = sorted(wanted)
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                for person in people.filter(**{f"{index_field}__in": chunk}):
                    if person.code in file_codes:
                        continue
                    if index_field == "id_number_index":
                        codes = [by_id[person.id_number_index]]
                    else:
                        codes = by_phone[person.phone_index]
                    field_name = index_field.removesuffix("_index")
                    for code in codes:
                        found.setdefault(code, []).append((person, field_name))
        matched: dict[int, list[str]] = {}
        for code, hits in found.items():
            if len({person.pk for person, _kind in hits}) == 1:
                matched.setdefault(hits[0][0].pk, []).append(code)
        logs = []
        for code, hits in found.items():
            person, field_name = hits[0]
            if matched.get(person.pk) != [code]:
                continue  # ambiguous: two persons for one code, or two codes for one person
            if person.name != new_rows[code].name:
                if field_name != "id_number":
                    continue  # a shared phone (a family's landline): another person
                self.residents_sheet.error(
                    new_rows[code].row,
                    "id_number",
                    _(
                        "This ID number is already recorded for person %(code)s, under another "
                        "name: check the number, or write that person's code."
                    )
                    % {"code": person.code or person.pk},
                )
            else:
                self.db_persons[code] = person
            logs.append(
                AccessLog(
                    user=self.user,
                    username=self.user.get_username(),
                    action=AccessLog.Action.UNMASK,
                    object_type="person",
                    object_id=str(person.pk),
                    fields=field_name,
                    reason=_("Excel import: the row of person code %(code)s matched this person")
                    % {"code": code},
                )
            )
        AccessLog.objects.bulk_create(logs)

    def collect_persons(self) -> None:
        """Who the file names, before the households sheet asks about owners."""
        for row in self.parsed.residents:
            if row.person_code:
                self.file_persons.setdefault(row.person_code, row)
        self.owner_codes = {code for h in self.parsed.households for code in h.owner_codes}
        self.file_id_numbers = {}

    def check_residents(self) -> None:
        sheet = self.residents_sheet
        pairs: dict[tuple[str, str], ResidentRow] = {}
        checked: set[str] = set()
        if not self.keeps_residents:
            for row in self.parsed.residents:
                sheet.error(row.row, "person_code", _(NO_RESIDENTS_DATA))
            return
        for row in self.parsed.residents:
            code = row.person_code
            if not code:
                continue
            if cells.has_separator(code):
                sheet.error(
                    row.row, "person_code", _("A person code cannot contain 、 or a comma.")
                )
                continue
            existing = self.db_persons.get(code)
            if existing is not None and existing.pk not in self.editable_persons:
                sheet.error(
                    row.row,
                    "person_code",
                    _("The code %(code)s belongs to a person outside the places you may edit.")
                    % {"code": code},
                )
                continue
            first = self.file_persons[code]
            if first is not row and _person_values(first) != _person_values(row):
                sheet.error(
                    row.row,
                    "name",
                    _(
                        "Person %(code)s is written differently on row %(row)d; the rows of one "
                        "person must agree."
                    )
                    % {"code": code, "row": first.row},
                )
            elif code not in checked:
                checked.add(code)
                self._check_personal(row, existing)
            self._check_residence(row, existing, pairs)

    def _check_personal(self, row: ResidentRow, existing: Person | None) -> None:
        for key, parse in (("phone", cells.phone), ("id_number", cells.id_number)):
            value = getattr(row, key)
            if not value:
                continue
            if cells.is_masked(value):
                if existing is None:
                    self.residents_sheet.error(
                        row.row,
                        key,
                        _(
                            "A masked value (with *) can only keep what is stored for a person "
                            "already in the system."
                        ),
                    )
                continue
            # Judged even when equal to the stored value: skipping it would confirm a guess.
            try:
                setattr(row, key, parse(value))
            except cells.CellError as exc:
                self.residents_sheet.error(row.row, key, str(exc))
                continue
            if key == "id_number":
                self._check_same_id_number(row)

    def _check_same_id_number(self, row: ResidentRow) -> None:
        """Two person codes of the file with one ID number are one person written twice."""
        first = self.file_id_numbers.setdefault(blind_index(row.id_number, kind="id_number"), row)
        if first is not row:
            self.residents_sheet.error(
                row.row,
                "id_number",
                _(
                    "This ID number is already on row %(row)d, for person %(code)s: one person "
                    "has one code."
                )
                % {"row": first.row, "code": first.person_code},
            )

    def _check_residence(
        self,
        row: ResidentRow,
        existing: Person | None,
        pairs: dict[tuple[str, str], ResidentRow],
    ) -> None:
        sheet = self.residents_sheet
        if not row.household_code:
            if existing is None and row.person_code not in self.owner_codes:
                sheet.error(
                    row.row,
                    "household_code",
                    _(
                        "Write the household this person lives in, or list them as an owner on "
                        "the 住户 sheet."
                    ),
                )
            return
        household = self.db_households.get(row.household_code)
        if row.household_code not in self.file_households and (
            household is None or not self.may_keep_households(household.place)
        ):
            sheet.error(
                row.row,
                "household_code",
                _("No household with the code %(code)s that you may edit.")
                % {"code": row.household_code},
            )
        if not row.relation:
            sheet.error(row.row, "relation", _("Write the relation to the head of household."))
        pair = (row.person_code, row.household_code)
        first = pairs.setdefault(pair, row)
        if first is not row:
            sheet.error(
                row.row,
                "household_code",
                _("This person is already listed in this household on row %(row)d.")
                % {"row": first.row},
            )

    def plan_persons(self) -> Counts:
        counts = Counts()
        for code, row in self.file_persons.items():
            existing = self.db_persons.get(code)
            if existing is None:
                self.plan.new_persons.append(row)
                counts.created += 1
                continue
            values = {
                "name": row.name,
                "phone": existing.phone if cells.is_masked(row.phone) else row.phone,
                "id_number": (
                    existing.id_number if cells.is_masked(row.id_number) else row.id_number
                ),
                "party_member": row.party_member,
                "leader_sees_phone": (
                    existing.leader_sees_phone
                    if row.leader_sees_phone is None
                    else row.leader_sees_phone
                ),
            }
            # A full value in the file is not compared (see the module's rule): its row is an
            # update either way. Masked values are the stored ones; empty ones clear them.
            if (
                _full(row.phone)
                or _full(row.id_number)
                or any(getattr(existing, f) != values[f] for f in PERSON_FIELDS)
            ):
                for field_name, value in values.items():
                    setattr(existing, field_name, value)
                self.plan.changed_persons.append(existing)
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def plan_residents(self) -> Counts:
        counts = Counts()
        for row in self.parsed.residents:
            if not row.household_code:
                continue
            household = self.db_households.get(row.household_code)
            person = self.db_persons.get(row.person_code)
            current = None
            if household is not None and person is not None:
                current = self.db_residents.get((household.pk, person.pk))
            if current is None:
                self.plan.new_residents.append((row.household_code, row.person_code, row.relation))
                counts.created += 1
            elif current.relation != row.relation:
                current.relation = row.relation
                self.plan.changed_residents.append(current)
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts


def _full(value: str) -> bool:
    """A phone or ID number written out in full: neither empty nor masked."""
    return bool(value) and not cells.is_masked(value)


def _person_values(row: ResidentRow) -> tuple[object, ...]:
    return (row.name, row.phone, row.id_number, row.party_member, row.leader_sees_phone)
