"""verifyaudit: walk the audit chain and say which entries were changed or deleted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuren.audit.chain import Finding
from shuren.audit.verify import verify_chain


def say(finding: Finding) -> str:
    """A finding in the operator's language, by the numbers of the entries it names."""
    numbers = {"first": finding.first, "last": finding.last}
    if finding.kind == "deleted":
        if finding.first == finding.last:
            return _("deleted: entry %(first)d was deleted") % numbers
        return _("deleted: entries %(first)d to %(last)d were deleted") % numbers
    if finding.kind == "edited":
        return _("edited: entry %(first)d was changed") % numbers
    if finding.kind == "broken_link":
        return (
            _("edited: entry %(first)d was changed (entry %(last)d no longer links to it)")
            % numbers
        )
    return _("head: %(message)s") % {"message": finding.message}


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain from its start (or the last purge's anchor) to its "
        "head. Names each changed or deleted entry by its number; exits 1 if any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-findings", type=int, default=100, help="how many problems to list at most"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(cap=max(1, options["max_findings"]))
        for finding in result.findings:
            self.stderr.write(say(finding))
        if result.more:
            self.stderr.write(_("… and %(n)d more") % {"n": result.more})
        if not result.ok:
            raise CommandError(
                _("The audit trail was tampered with: %(n)d problem(s) in %(rows)d entries.")
                % {"n": len(result.findings) + result.more, "rows": result.rows}
            )
        # The head's hash, for keeping outside the database (a log server, a signed note): a
        # chain rewritten from the start by someone with the database's keys ends elsewhere.
        self.stdout.write(
            _("The audit trail is intact: %(rows)d entries, head %(seq)d %(hash)s")
            % {"rows": result.rows, "seq": result.last_seq, "hash": result.last_hash}
        )
