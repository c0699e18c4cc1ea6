"""What an import did or why it did nothing: counts per kind of row and the per-cell errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem in the file: which sheet, row (as Excel numbers it) and column, and what."""

    sheet: str  # the sheet's name as in the file; empty for the file as a whole
    row: int  # 0 for the file or a whole sheet
    letter: str  # column letter, empty for a whole row
    column: str  # the column's header as in the file
    message: str  # in the active language

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column and self.letter:
            parts.append(
                _("column %(letter)s (%(column)s)") % {"letter": self.letter, "column": self.column}
            )
        elif self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return _(", ").join(parts)

    def __str__(self) -> str:
        if not self.where:
            return self.message
        return _("%(where)s: %(message)s") % {"where": self.where, "message": self.message}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    """The outcome of an import (places.actions.import_places): either errors (and nothing
    written) or the counts."""

    errors: list[RowError] = field(default_factory=list)
    places: Counts = field(default_factory=Counts)
    households: Counts = field(default_factory=Counts)
    persons: Counts = field(default_factory=Counts)
    residents: Counts = field(default_factory=Counts)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def changes_anything(self) -> bool:
        return any(c.created or c.updated for _what, c in self._by_key())

    def _by_key(self) -> list[tuple[str, Counts]]:
        return [
            ("places", self.places),
            ("households", self.households),
            ("persons", self.persons),
            ("residents", self.residents),
        ]

    def as_data(self) -> dict[str, dict[str, int]]:
        """The counts as the import's event keeps them (kernel.Event.data)."""
        return {
            key: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
            for key, c in self._by_key()
        }

    def count_rows(self) -> list[tuple[str, Counts]]:
        return [
            (_("Places"), self.places),
            (_("Households"), self.households),
            (_("Persons"), self.persons),
            (_("Residents"), self.residents),
        ]

    def summary(self) -> str:
        if self.errors:
            return _(
                "Nothing was imported: the file has %(count)d problem(s). "
                "Correct them and upload the file again."
            ) % {"count": len(self.errors)}
        lines = [
            _("%(what)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "what": what,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            }
            for what, counts in self.count_rows()
        ]
        if self.dry_run:
            lines.insert(0, _("Check only: the file is correct and nothing was written."))
        return "\n".join(lines)

    def lines(self) -> list[str]:
        """The report as text, one line per problem (the management command prints these)."""
        return [self.summary(), *(str(error) for error in self.errors)]
