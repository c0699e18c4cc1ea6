"""The People's Mediation Law as pure functions (rules-cn.md §2): the time limit, who may sit in
a session, what a written agreement must state, the judicial-confirmation window, what each
action needs and where it takes a case, and the case file's checklist. No database: the
actions and the pages ask these with what they hold, and the tests prove them case by case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuren.mediation.choices import AgreementForm, Consent, Outcome, Status

# 司法部《人民调解工作若干规定》: a dispute is normally settled within a month of registration.
TIME_LIMIT_DAYS = 30
MAX_EXTENSION_DAYS = 30
# Art. 33: the parties may jointly apply for judicial confirmation within 30 days.
CONFIRMATION_DAYS = 30


def due_on(registered_on: dt.date, extended_days: int = 0) -> dt.date:
    """The last day of the time limit: 30 days from registration, plus any extension."""
    return registered_on + dt.timedelta(days=TIME_LIMIT_DAYS + extended_days)


def confirmation_deadline(agreed_on: dt.date) -> dt.date:
    """The last day to apply jointly for judicial confirmation (Art. 33)."""
    return agreed_on + dt.timedelta(days=CONFIRMATION_DAYS)


# --- The state machine -----------------------------------------------------------------------
REGISTERED, MEDIATING, AGREED = Status.REGISTERED, Status.MEDIATING, Status.AGREED
FAILED, TERMINATED, WITHDRAWN, ARCHIVED = (
    Status.FAILED,
    Status.TERMINATED,
    Status.WITHDRAWN,
    Status.ARCHIVED,
)
OPEN = (REGISTERED, MEDIATING)
ENDED = (AGREED, FAILED, TERMINATED, WITHDRAWN)

# action -> {from status: to status}; a status missing from an action's row is refused.
TRANSITIONS: dict[str, dict[str, str]] = {
    "add_party": {s: s for s in OPEN},
    "consent": {s: s for s in OPEN},
    "choose_mediators": {s: s for s in OPEN},
    "hold_session": {REGISTERED: MEDIATING, MEDIATING: MEDIATING},
    "extend": {s: s for s in OPEN},
    "issue_agreement": {MEDIATING: AGREED},
    "close": {REGISTERED: REGISTERED, MEDIATING: MEDIATING},  # to the outcome chosen
    "record_confirmation": {AGREED: AGREED},
    "follow_up": {AGREED: AGREED},
    "mark_risk": {s: s for s in (*OPEN, *ENDED)},
    "add_document": {s: s for s in (*OPEN, *ENDED)},
    "record_prevention": {s: s for s in (*OPEN, *ENDED)},
    "archive": dict.fromkeys(ENDED, ARCHIVED),
}
ACTIONS = tuple(TRANSITIONS)


def allowed(action: str, status: str) -> bool:
    return status in TRANSITIONS[action]


def next_status(action: str, status: str) -> str | None:
    """Where the action takes a case in this status; None when it may not be taken."""
    return TRANSITIONS[action].get(status)


# --- Consent (Art. 17) -----------------------------------------------------------------------
@dataclass(frozen=True)
class PartyFacts:
    """What the law asks of a party: their name, role and consent."""

    pk: int
    name: str
    consent: str


def without_consent(parties: Iterable[PartyFacts]) -> list[str]:
    """The names of the parties who have not consented: none of them may be in a session."""
    return [p.name for p in parties if p.consent != Consent.GIVEN]


# --- The agreement (Art. 28, 29) -------------------------------------------------------------
@dataclass(frozen=True)
class AgreementFacts:
    form: str
    parties_complete: bool  # every party has a name and a role; applicant and respondent
    facts: str
    points_in_dispute: str
    responsibilities: str
    agreed_content: str
    performance_manner: str
    performance_place: str
    performance_deadline: dt.date | None


ART_29_ITEMS: tuple[tuple[str, Promise], ...] = (
    ("parties_complete", _("the parties' basic facts (an applicant and a respondent)")),
    ("facts", _("the main facts of the dispute")),
    ("points_in_dispute", _("the points in dispute")),
    ("responsibilities", _("each party's responsibility")),
    ("agreed_content", _("the agreed content")),
    ("performance_manner", _("the manner of performance")),
    ("performance_place", _("the place of performance")),
    ("performance_deadline", _("the deadline of performance")),
)


def missing_for_agreement(a: AgreementFacts) -> list[Promise]:
    """The items the agreement lacks, named in the law's words. A written one needs all of
    Art. 29 (with the 2002 rules' place of performance); an oral one, which the mediator
    records (Art. 28), needs the parties, the agreed content and how it is performed."""
    wanted = (
        ART_29_ITEMS
        if a.form == AgreementForm.WRITTEN
        else tuple(i for i in ART_29_ITEMS if i[0] in ORAL_ITEMS)
    )
    missing = []
    for attr, label in wanted:
        value = getattr(a, attr)
        if value is None or value is False or (isinstance(value, str) and not value.strip()):
            missing.append(label)
    return missing


ORAL_ITEMS = frozenset({"parties_complete", "agreed_content", "performance_manner"})


# --- The case file (卷宗, Art. 27: one file per case) ------------------------------------------
@dataclass(frozen=True)
class FileFacts:
    """What a case holds, for its file's checklist."""

    outcome: str  # Outcome, or "" while the case is open
    has_parties: bool
    consents_recorded: bool  # every party asked: consented or refused
    sessions: int
    agreement_form: str
    follow_ups: int
    routes_told: bool
    confirmation: str
    papers: frozenset[str]  # the DocumentKind values among its papers


@dataclass(frozen=True)
class FileItem:
    key: str
    label: Promise
    required: bool
    present: bool


def file_items(f: FileFacts) -> list[FileItem]:
    """The file's items in the order the 司法部 lists them, each required or optional for this
    case, and whether it is there. Shuren writes the registration form, the notice of rights
    (given with the consent), the session records, the agreement, the follow-up record and the
    back cover itself; the others are papers a mediator adds."""
    agreed = f.outcome == Outcome.AGREED
    written = agreed and f.agreement_form == AgreementForm.WRITTEN
    confirmed = f.confirmation in ("confirmed", "refused")
    items = [
        FileItem("registration", _("Application or registration form"), True, f.has_parties),
        FileItem("rights", _("Notice of rights and duties, consent"), True, f.consents_recorded),
        FileItem("identity", _("Identity documents"), False, "identity" in f.papers),
        FileItem(
            "power_of_attorney",
            _("Power of attorney"),
            False,
            "power_of_attorney" in f.papers,
        ),
        FileItem("investigation", _("Investigation records"), False, "investigation" in f.papers),
        FileItem("evidence", _("Evidence"), False, "evidence" in f.papers),
        # Withdrawn before anyone sat down, a case has no record to file.
        FileItem("records", _("Mediation records"), f.outcome != Outcome.WITHDRAWN, f.sessions > 0),
        FileItem("agreement", _("Mediation agreement"), agreed, agreed),
        FileItem(
            "signed_agreement",
            _("Signed agreement (scan)"),
            written,
            "signed_agreement" in f.papers,
        ),
        # Art. 26: failed or terminated, the parties are told of arbitration, the administration
        # and the courts.
        FileItem(
            "routes",
            _("Other routes told to the parties"),
            f.outcome in (Outcome.FAILED, Outcome.TERMINATED),
            f.routes_told,
        ),
        FileItem("performance", _("Proof of performance"), False, "performance" in f.papers),
        FileItem("follow_up", _("Follow-up record"), agreed, f.follow_ups > 0),
        FileItem(
            "confirmation",
            _("Judicial confirmation papers"),
            confirmed,
            "confirmation" in f.papers,
        ),
        FileItem("file_note", _("File note"), False, "file_note" in f.papers),
    ]
    return items


def missing_required(items: Sequence[FileItem]) -> list[Promise]:
    return [i.label for i in items if i.required and not i.present]
