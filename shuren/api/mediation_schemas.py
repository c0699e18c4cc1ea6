"""The shapes of the mediations API: what a registration and each action read, and what a case
looks like. A party's phone and ID number leave the server masked, and every free text a
mediator typed has its phone and ID numbers masked too: the API never answers unmasked
personal information (the page's reveal, logged, is the only way to read it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from shuren.access.masking import mask_id_number, mask_phone, mask_text
from shuren.api.case_schemas import OptionalText, RequiredText, VersionIn
from shuren.api.inputs import Id, In
from shuren.api.schemas import PageIn, PlaceRef, TeamRef
from shuren.mediation import law
from shuren.mediation.choices import (
    AgreementForm,
    Confirmation,
    Consent,
    DisputeType,
    DocumentKind,
    EventKind,
    Outcome,
    PartyRole,
    Performance,
    Referrer,
    Route,
    Satisfaction,
    Source,
    Status,
)
from shuren.mediation.models import (
    Document,
    FollowUp,
    Mediation,
    MediationEvent,
    Party,
    Session,
)

# Leading and trailing blanks are dropped, so "   " counts as empty.
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# Yuan as a decimal string: no float ever touches an amount.
Amount = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=16, pattern=r"^[0-9]{0,12}(\.[0-9]{0,2})?$"
    ),
]


# --- Reading ------------------------------------------------------------------------------------


class MediationPersonRef(Schema):
    id: int
    name: str


class MediationOut(Schema):
    id: int
    number: str = Field(..., description="The organisation's case number, e.g. T-SZM-2026-0001.")
    organisation: TeamRef
    title: str
    dispute_type: DisputeType = Field(..., description="The justice bureau's categories.")
    dispute_type_label: str
    source: Source
    source_label: str
    status: Status
    status_label: str
    registered_on: dt.date
    due_on: dt.date = Field(..., description="The time limit: 30 days, plus any extension.")
    days_left: int | None = Field(
        ..., description="Days to the time limit (negative: past it); null once it has ended."
    )
    at_risk: bool = Field(..., description="At risk of violence or crime (Art. 25).")
    version: int = Field(..., description="Send back with every action; a stale one answers 409.")

    @staticmethod
    def resolve_dispute_type_label(obj: Mediation) -> str:
        return str(obj.get_dispute_type_display())

    @staticmethod
    def resolve_source_label(obj: Mediation) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_status_label(obj: Mediation) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_days_left(obj: Mediation) -> int | None:
        return obj.days_left() if obj.is_open else None


class MediationPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[MediationOut]


class MediationPartyOut(Schema):
    id: int
    role: PartyRole
    role_label: str
    name: str
    gender: str
    phone: str = Field(..., description="Masked (138****5678).")
    id_number: str = Field(..., description="Masked (4406**********123X).")
    has_address: bool = Field(..., description="The address is read on the page (logged).")
    consent: Consent
    consent_label: str
    consent_at: dt.datetime | None
    asked_for: MediationPersonRef | None = Field(
        ..., description="The mediator the party asked for."
    )
    refused: MediationPersonRef | None = Field(..., description="The mediator the party refused.")

    @staticmethod
    def resolve_role_label(obj: Party) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_phone(obj: Party) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj: Party) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_has_address(obj: Party) -> bool:
        return bool(obj.address)

    @staticmethod
    def resolve_consent_label(obj: Party) -> str:
        return str(obj.get_consent_display())


class SessionOut(Schema):
    id: int
    held_at: dt.datetime
    venue: str
    parties: list[int] = Field(..., description="The ids of the parties present.")
    mediators: list[MediationPersonRef]
    others_present: str
    record: str

    @staticmethod
    def resolve_parties(obj: Session) -> list[int]:
        return [p.pk for p in obj.parties.all()]

    @staticmethod
    def resolve_mediators(obj: Session) -> list[Any]:
        return list(obj.mediators.all())

    @staticmethod
    def resolve_others_present(obj: Session) -> str:
        return mask_text(obj.others_present)

    @staticmethod
    def resolve_record(obj: Session) -> str:
        return mask_text(obj.record)


class FollowUpOut(Schema):
    id: int
    visited_on: dt.date
    performance: Performance
    performance_label: str
    satisfaction: Satisfaction
    satisfaction_label: str
    recurred: bool
    measures: str

    @staticmethod
    def resolve_performance_label(obj: FollowUp) -> str:
        return str(obj.get_performance_display())

    @staticmethod
    def resolve_satisfaction_label(obj: FollowUp) -> str:
        return str(obj.get_satisfaction_display())

    @staticmethod
    def resolve_measures(obj: FollowUp) -> str:
        return mask_text(obj.measures)


class PaperOut(Schema):
    id: int
    kind: DocumentKind
    kind_label: str
    title: str
    has_file: bool = Field(..., description="The file itself is downloaded on the page.")
    added_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Document) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_has_file(obj: Document) -> bool:
        return bool(obj.file)


class FileItemOut(Schema):
    key: str
    label: str
    required: bool = Field(..., description="Required for this case before it is archived.")
    present: bool

    @staticmethod
    def resolve_label(obj: law.FileItem) -> str:
        return str(obj.label)


class MediationEventOut(Schema):
    id: int
    kind: EventKind
    kind_label: str
    at: dt.datetime
    actor: str | None = Field(..., description="Who did it; null for the system.")
    from_status: str
    to_status: str
    note: str
    data: dict[str, Any] = Field(..., description="Details of the step (party, venue, …).")

    @staticmethod
    def resolve_kind_label(obj: MediationEvent) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj: MediationEvent) -> str | None:
        if obj.actor is None:
            return None
        person = obj.actor.person
        return person.name if person is not None else obj.actor.get_username()

    @staticmethod
    def resolve_note(obj: MediationEvent) -> str:
        return mask_text(obj.note)

    @staticmethod
    def resolve_data(obj: MediationEvent) -> dict[str, Any]:
        return {k: mask_text(v) if isinstance(v, str) else v for k, v in obj.data.items()}


class AgreementOut(Schema):
    """Art. 28, 29: the agreement's form, number and items; Art. 33: judicial confirmation."""

    form: AgreementForm | None
    number: str
    facts: str
    points_in_dispute: str
    responsibilities: str
    agreed_content: str
    performance_manner: str
    performance_place: str
    performance_deadline: dt.date | None
    agreed_on: dt.date | None
    confirmation: Confirmation | None
    confirmation_deadline: dt.date | None = Field(
        ..., description="The last day to apply jointly for judicial confirmation (Art. 33)."
    )
    confirmation_on: dt.date | None
    confirmation_note: str


class MediationDetailOut(MediationOut):
    place: PlaceRef
    referrer: Referrer | None
    summary: str
    amount: str = Field(..., description="Yuan, two decimals (a string: no rounding).")
    extended_days: int
    case_id: int | None = Field(..., description="The matter it was opened from, if any.")
    outcome: Outcome | None
    outcome_note: str
    ended_on: dt.date | None
    routes_told: list[Route] = Field(..., description="Art. 26: the other routes told.")
    risk_note: str
    police_informed_at: dt.datetime | None
    prevented_criminal_persons: int
    prevented_petition_persons: int
    archived_at: dt.datetime | None
    parties: list[MediationPartyOut]
    mediators: list[MediationPersonRef]
    sessions: list[SessionOut]
    agreement: AgreementOut
    follow_ups: list[FollowUpOut]
    papers: list[PaperOut] = Field(..., description="Added on the page; titles and kinds here.")
    checklist: list[FileItemOut] = Field(..., description="The case file's items (卷宗).")
    events: list[MediationEventOut] = Field(..., description="The timeline, oldest first.")
    actions: list[str] = Field(
        ..., description="The actions the caller may take now, named by their routes."
    )

    @staticmethod
    def resolve_referrer(obj: Mediation) -> str | None:
        return obj.referrer or None

    @staticmethod
    def resolve_summary(obj: Mediation) -> str:
        return mask_text(obj.summary)

    @staticmethod
    def resolve_amount(obj: Mediation) -> str:
        return f"{obj.amount:.2f}"

    @staticmethod
    def resolve_outcome(obj: Mediation) -> str | None:
        return obj.outcome or None

    @staticmethod
    def resolve_outcome_note(obj: Mediation) -> str:
        return mask_text(obj.outcome_note)

    @staticmethod
    def resolve_risk_note(obj: Mediation) -> str:
        return mask_text(obj.risk_note)

    @staticmethod
    def resolve_mediators(obj: Mediation) -> list[Any]:
        return list(obj.mediators.all())

    @staticmethod
    def resolve_agreement(obj: Mediation) -> dict[str, Any]:
        texts = {
            name: mask_text(getattr(obj, name))
            for name in (
                "facts",
                "points_in_dispute",
                "responsibilities",
                "agreed_content",
                "performance_manner",
                "performance_place",
                "confirmation_note",
            )
        }
        return {
            **texts,
            "form": obj.agreement_form or None,
            "number": obj.agreement_number,
            "performance_deadline": obj.performance_deadline,
            "agreed_on": obj.agreed_on,
            "confirmation": obj.confirmation or None,
            "confirmation_deadline": (
                law.confirmation_deadline(obj.agreed_on)
                if obj.agreed_on and obj.agreement_form == AgreementForm.WRITTEN
                else None
            ),
            "confirmation_on": obj.confirmation_on,
        }

    # What the detail view read for it (mediations.py _detail): one query each.
    @staticmethod
    def resolve_parties(obj: Mediation) -> list[Party]:
        return obj.api_parties  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_sessions(obj: Mediation) -> list[Session]:
        return obj.api_sessions  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_follow_ups(obj: Mediation) -> list[FollowUp]:
        return list(obj.follow_ups.all())

    @staticmethod
    def resolve_papers(obj: Mediation) -> list[Document]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_checklist(obj: Mediation) -> list[law.FileItem]:
        return obj.api_checklist  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_events(obj: Mediation) -> list[MediationEvent]:
        return obj.api_events  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_actions(obj: Mediation) -> list[str]:
        return obj.api_actions  # type: ignore[attr-defined, no-any-return]


# --- Filters and inputs -------------------------------------------------------------------------


class MediationFiltersIn(PageIn):
    status: Status | None = Field(None, description="Only cases in this state.")


class PartyIn(In):
    role: PartyRole
    name: Name
    gender: Short = ""
    id_number: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=18, pattern=r"^[0-9Xx]*$")
    ] = ""
    phone: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=20, pattern=r"^[0-9+\- ]*$")
    ] = ""
    address: Line = ""


class MediationIn(In):
    organisation: Id = Field(..., description="A mediation organisation the caller mediates for.")
    place: Id = Field(
        ..., description="Where the dispute is: a place under the caller's posts for it."
    )
    source: Source
    referrer: Referrer | None = Field(None, description="Required when the source is a referral.")
    dispute_type: DisputeType
    title: Name
    summary: RequiredText
    amount: Amount = Field("0", description='Yuan involved, as a string such as "3200.50".')
    parties: list[PartyIn] = Field(
        ..., max_length=50, description="At least an applicant and a respondent."
    )


class ConsentIn(VersionIn):
    party: Id = Field(..., description="A party of this case.")
    consent: Consent = Field(..., description="given or refused (Art. 17).")
    asked_for: Id | None = Field(None, description="A mediator of the organisation (Art. 23).")
    refused: Id | None = Field(None, description="A mediator of the organisation (Art. 23).")


class MediatorsIn(VersionIn):
    mediators: list[Id] = Field(
        ..., min_length=1, max_length=20, description="Mediators of the organisation."
    )


class AddPartyIn(VersionIn, PartyIn):
    pass


class SessionIn(VersionIn):
    held_at: dt.datetime
    venue: Name
    parties: list[Id] = Field(..., min_length=1, max_length=50, description="The parties present.")
    record: RequiredText
    mediators: list[Id] = Field(
        [], max_length=20, description="The case's mediators present; all of them when empty."
    )
    others_present: Line = ""


class ExtendIn(VersionIn):
    days: int = Field(..., ge=1, le=law.MAX_EXTENSION_DAYS)
    parties_consented: bool = Field(..., description="Both parties consented to the extension.")
    reason: RequiredText


class AgreementIn(VersionIn):
    form: AgreementForm
    facts: OptionalText = ""
    points_in_dispute: OptionalText = ""
    responsibilities: OptionalText = ""
    agreed_content: OptionalText = ""
    performance_manner: Line = ""
    performance_place: Line = ""
    performance_deadline: dt.date | None = None
    agreed_on: dt.date | None = Field(None, description="Today when not given.")


class MediationCloseIn(VersionIn):
    outcome: Outcome = Field(..., description="failed, terminated or withdrawn.")
    note: RequiredText
    routes_told: list[Route] = Field(
        [], max_length=3, description="Required unless withdrawn (Art. 26)."
    )


class ConfirmationIn(VersionIn):
    confirmation: Confirmation
    note: Line = ""


class MediationFollowUpIn(VersionIn):
    performance: Performance
    satisfaction: Satisfaction
    recurred: bool = False
    measures: OptionalText = ""
    visited_on: dt.date | None = Field(None, description="Today when not given.")


class RiskIn(VersionIn):
    note: RequiredText
    police_informed: bool = False


class PreventionIn(VersionIn):
    criminal_persons: int = Field(..., ge=0, le=10000)
    petition_persons: int = Field(..., ge=0, le=10000)


class ArchiveIn(VersionIn):
    pass
