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

from django.utils.translation import gettext as _

from shuren.people.models import Person
from shuren.places.excel import cells
from shuren.places.excel.reading import HouseholdRow, ParsedWorkbook, ResidentRow, SheetReader
from shuren.places.excel.report import Counts
from shuren.places.excel.writing import PERSON_FIELDS, Plan
from shuren.places.models import Household, Place, Resident


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

    def may_edit(self, place: Place) -> bool:
        raise NotImplementedError  # the run's own check (importer.ImportRun.may_edit)

    def collect_persons(self) -> None:
        """Who the file names, before the households sheet asks about owners."""
        for row in self.parsed.residents:
            if row.person_code:
                self.file_persons.setdefault(row.person_code, row)
        self.owner_codes = {code for h in self.parsed.households for code in h.owner_codes}

    def check_residents(self) -> None:
        sheet = self.residents_sheet
        pairs: dict[tuple[str, str], ResidentRow] = {}
        checked: set[str] = set()
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
            household is None or not self.may_edit(household.place)
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
