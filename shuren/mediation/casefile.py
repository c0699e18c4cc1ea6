"""The case file (卷宗, Art. 27: one file per case): what a case holds, read for the checklist
of law.file_items; the archive action and the pages ask it."""

from __future__ import annotations

from shuren.mediation import law
from shuren.mediation.choices import Consent
from shuren.mediation.models import Mediation


def file_facts(m: Mediation) -> law.FileFacts:
    consents = list(m.parties.values_list("consent", flat=True))
    return law.FileFacts(
        outcome=m.outcome,
        has_parties=bool(consents),
        consents_recorded=bool(consents) and Consent.PENDING not in consents,
        sessions=m.sessions.count(),
        agreement_form=m.agreement_form,
        follow_ups=m.follow_ups.count(),
        routes_told=bool(m.routes_told),
        confirmation=m.confirmation,
        papers=frozenset(m.documents.values_list("kind", flat=True)),
    )


def checklist(m: Mediation) -> list[law.FileItem]:
    return law.file_items(file_facts(m))
