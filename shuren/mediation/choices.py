"""The words of a mediation (人民调解法 and the 司法部 rules, rules-cn.md §2): dispute types,
sources, party roles, consent, statuses and outcomes, follow-up answers and the case file's items.

A leaf: it imports nothing of the project."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DisputeType(models.TextChoices):
    """The justice bureau's statistics categories, in its order."""

    MARRIAGE_FAMILY = "marriage_family", _("Marriage and family")
    NEIGHBOURS = "neighbours", _("Neighbours")
    HOUSING_LAND = "housing_land", _("Housing and homestead")
    CONTRACT = "contract", _("Contract")
    BUSINESS = "business", _("Production and business")
    DAMAGES = "damages", _("Compensation for damage")
    FOREST_LAND = "forest_land", _("Forest and land")
    EXPROPRIATION = "expropriation", _("Land expropriation and demolition")
    POLLUTION = "pollution", _("Environmental pollution")
    LABOUR = "labour", _("Labour dispute")
    CONSUMER = "consumer", _("Consumer")
    MEDICAL = "medical", _("Medical")
    TRAFFIC = "traffic", _("Road traffic accident")
    PROPERTY_SERVICE = "property_service", _("Property management")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    """Where the dispute came from (registration form; the statistics' source split)."""

    APPLICATION = "application", _("A party applied")
    OWN_INITIATIVE = "own_initiative", _("The committee's own initiative")
    REFERRAL = "referral", _("Referred")


class Referrer(models.TextChoices):
    """Who referred a dispute (source: referral); a matter dispatched to the organisation is one."""

    MATTER = "matter", _("A matter dispatched in Shuren")
    POLICE = "police", _("Police station")
    COURT = "court", _("Court")
    PETITIONS = "petitions", _("Letters and visits office")
    DEPARTMENT = "department", _("Another department")
    OTHER = "other", pgettext_lazy("referrer", "Other")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    THIRD_PARTY = "third_party", _("Third party")


class Consent(models.TextChoices):
    """Art. 17: no mediation against a party's will."""

    PENDING = "pending", _("Not yet asked")
    GIVEN = "given", _("Consents to mediation")
    REFUSED = "refused", _("Refuses mediation")


class MediationStatus(models.TextChoices):
    """Named apart from the matters' Status: the API's OpenAPI document names enums by class."""

    REGISTERED = "registered", _("Registered")
    MEDIATING = "mediating", _("Mediating")
    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("Mediation failed")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


Status = MediationStatus


class Outcome(models.TextChoices):
    """How a mediation ended: kept after archiving (the status is then 'archived')."""

    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("Mediation failed")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


class AgreementForm(models.TextChoices):
    """Art. 28: a written 调解协议书, or an oral agreement the mediator records."""

    WRITTEN = "written", _("Written agreement")
    ORAL = "oral", _("Oral agreement")


class Route(models.TextChoices):
    """Art. 26: the routes the parties are told of when mediation fails or ends."""

    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE = "administrative", _("Administrative route")
    LITIGATION = "litigation", _("Litigation")


class Confirmation(models.TextChoices):
    """Art. 33: judicial confirmation of the agreement, applied for jointly within 30 days."""

    NOT_SOUGHT = "not_sought", _("Not sought")
    APPLIED = "applied", _("Applied for, awaiting the court")
    CONFIRMED = "confirmed", _("Confirmed by the court")
    REFUSED = "refused", _("Not confirmed by the court")


class Performance(models.TextChoices):
    FULL = "full", _("Performed in full")
    PARTIAL = "partial", _("Partly performed")
    NONE = "none", _("Not performed")
    NOT_DUE = "not_due", _("Not yet due")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY = "fairly", _("Fairly satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class DocumentKind(models.TextChoices):
    """Papers a mediator adds to the case file (the others are made by Shuren itself)."""

    IDENTITY = "identity", _("Identity documents")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney")
    INVESTIGATION = "investigation", _("Investigation record")
    EVIDENCE = "evidence", _("Evidence")
    SIGNED_AGREEMENT = "signed_agreement", _("Signed agreement (scan)")
    PERFORMANCE = "performance", _("Proof of performance")
    CONFIRMATION = "confirmation", _("Judicial confirmation papers")
    FILE_NOTE = "file_note", _("File note")


class MediationEventKind(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("mediation event", "Registered")
    PARTY = "party", pgettext_lazy("mediation event", "Party added")
    CONSENT = "consent", pgettext_lazy("mediation event", "Consent recorded")
    MEDIATORS = "mediators", pgettext_lazy("mediation event", "Mediators chosen")
    SESSION = "session", pgettext_lazy("mediation event", "Session held")
    EXTENDED = "extended", pgettext_lazy("mediation event", "Time limit extended")
    AGREED = "agreed", pgettext_lazy("mediation event", "Agreement issued")
    CLOSED = "closed", pgettext_lazy("mediation event", "Closed without agreement")
    CONFIRMATION = "confirmation", pgettext_lazy("mediation event", "Judicial confirmation")
    FOLLOWED_UP = "followed_up", pgettext_lazy("mediation event", "Follow-up visit")
    RISK = "risk", pgettext_lazy("mediation event", "Risk marked")
    DOCUMENT = "document", pgettext_lazy("mediation event", "Paper added to the file")
    PREVENTED = "prevented", pgettext_lazy("mediation event", "Prevention recorded")
    ARCHIVED = "archived", pgettext_lazy("mediation event", "Archived")


EventKind = MediationEventKind
