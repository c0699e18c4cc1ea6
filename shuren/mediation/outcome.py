"""How a mediation ends and what follows: the agreement (Art. 28, 29), failure, termination or
withdrawal with the other routes told (Art. 26), judicial confirmation (Art. 33), follow-up
visits (Art. 31), the archived file (Art. 27); and the linked matter following the outcome."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.cases import actions as cases
from shuren.cases.choices import OPEN_STATUSES, ResolutionMethod
from shuren.kernel.action import required
from shuren.mediation import law
from shuren.mediation.casefile import file_facts
from shuren.mediation.choices import (
    AgreementForm,
    Confirmation,
    EventKind,
    Outcome,
    PartyRole,
    Performance,
    Route,
    Satisfaction,
    Status,
)
from shuren.mediation.models import FollowUp, Mediation, Party
from shuren.mediation.notices import mediator_users, tell
from shuren.mediation.progress import begin, event
from shuren.mediation.registration import allocate_number
from shuren.text import clean_text

log = logging.getLogger(__name__)

AGREEMENT_TEXTS = (
    "facts",
    "points_in_dispute",
    "responsibilities",
    "agreed_content",
    "performance_manner",
    "performance_place",
)


def agreement_facts(m: Mediation, form: str) -> law.AgreementFacts:
    roles = set(Party.objects.filter(mediation=m).exclude(name="").values_list("role", flat=True))
    return law.AgreementFacts(
        form=form,
        parties_complete={PartyRole.APPLICANT, PartyRole.RESPONDENT} <= roles,
        facts=m.facts,
        points_in_dispute=m.points_in_dispute,
        responsibilities=m.responsibilities,
        agreed_content=m.agreed_content,
        performance_manner=m.performance_manner,
        performance_place=m.performance_place,
        performance_deadline=m.performance_deadline,
    )


def issue_agreement(
    *,
    actor: Any,
    mediation: Mediation,
    form: str,
    facts: str = "",
    points_in_dispute: str = "",
    responsibilities: str = "",
    agreed_content: str = "",
    performance_manner: str = "",
    performance_place: str = "",
    performance_deadline: dt.date | None = None,
    agreed_on: dt.date | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """达成协议: a numbered written 调解协议书 with every item of Art. 29, or an oral agreement the
    mediator records (Art. 28). A missing item refuses it, naming each one. The linked matter
    is resolved by mediation."""
    if form not in AgreementForm.values:
        raise ValidationError(_("Choose a written or an oral agreement."), code="form")
    texts = {
        "facts": facts,
        "points_in_dispute": points_in_dispute,
        "responsibilities": responsibilities,
        "agreed_content": agreed_content,
        "performance_manner": performance_manner,
        "performance_place": performance_place,
    }
    texts = {k: clean_text(v) for k, v in texts.items()}
    with begin(mediation, actor, "issue_agreement", expected_version, at) as act:
        m = act.subject
        for name, value in texts.items():
            setattr(m, name, value[:200] if name.startswith("performance_") else value)
        m.performance_deadline = performance_deadline
        missing = law.missing_for_agreement(agreement_facts(m, form))
        if missing:
            raise ValidationError(
                _("The agreement cannot be issued without %(items)s.")
                % {"items": "、".join(str(i) for i in missing)},
                code="art29",
            )
        day = agreed_on or timezone.localdate(act.at)
        from_status = m.status
        m.agreement_form, m.agreed_on = form, day
        n = allocate_number(m.organisation, "agreement", day.year)
        m.agreement_number = f"{m.organisation.code}-{day.year}-XY{n:04d}"
        m.status, m.outcome, m.ended_on = Status.AGREED, Outcome.AGREED, day
        if form == AgreementForm.WRITTEN:
            m.confirmation = Confirmation.NOT_SOUGHT
        act.save(
            [
                *AGREEMENT_TEXTS,
                "performance_deadline",
                "agreement_form",
                "agreed_on",
                "agreement_number",
                "status",
                "outcome",
                "ended_on",
                "confirmation",
            ]
        )
        act.record(
            event(
                act, EventKind.AGREED, from_status=from_status, form=form, number=m.agreement_number
            ),
            tell=tell("mediation.agreed", mediator_users(m.organisation), m, actor),
        )
        _matter_follows(
            m,
            actor,
            resolve=_("Settled by mediation (%(org)s): agreement %(number)s.")
            % {"org": m.organisation.name, "number": m.agreement_number},
        )
        return m


def close_mediation(
    *,
    actor: Any,
    mediation: Mediation,
    outcome: str,
    note: str,
    routes_told: Sequence[str] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """调解不成 (failed), 终止 (terminated: a party refused, or it could not go on) or 撤回
    (withdrawn). Failed or terminated, the parties must have been told of the other routes
    (Art. 26): arbitration, the administration, the courts. The linked matter is escalated
    (failed, terminated) or returned to who sent it (withdrawn)."""
    if outcome not in (Outcome.FAILED, Outcome.TERMINATED, Outcome.WITHDRAWN):
        raise ValidationError(_("Choose how the mediation ended."), code="outcome")
    note = required(clean_text(note), _("Say how the mediation ended."))
    routes = sorted(set(routes_told))
    if any(r not in Route.values for r in routes):
        raise ValidationError(_("Choose the routes from the list."), code="routes")
    if outcome != Outcome.WITHDRAWN and not routes:
        raise ValidationError(
            _(
                "Tell the parties of the other routes (arbitration, administrative, litigation) "
                "and record which (Art. 26)."
            ),
            code="routes_required",
        )
    with begin(mediation, actor, "close", expected_version, at) as act:
        m = act.subject
        from_status = m.status
        m.status = Status(outcome)
        m.outcome, m.outcome_note, m.routes_told = outcome, note, routes
        m.ended_on = timezone.localdate(act.at)
        act.save(["status", "outcome", "outcome_note", "routes_told", "ended_on"])
        act.record(
            event(
                act,
                EventKind.CLOSED,
                from_status=from_status,
                note=note,
                outcome=outcome,
                routes=routes,
            ),
            tell=tell("mediation.closed", mediator_users(m.organisation), m, actor, note),
        )
        reason = _("Mediation by %(org)s ended (%(outcome)s): %(note)s") % {
            "org": m.organisation.name,
            "outcome": Outcome(outcome).label,
            "note": note,
        }
        if outcome == Outcome.WITHDRAWN:
            _matter_follows(m, actor, give_back=reason)
        else:
            _matter_follows(m, actor, escalate=reason)
        return m


def record_confirmation(
    *,
    actor: Any,
    mediation: Mediation,
    confirmation: str,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """司法确认 (Art. 33): whether the parties applied within 30 days, and the court's answer."""
    if confirmation not in Confirmation.values:
        raise ValidationError(
            _("Choose where the judicial confirmation stands."), code="confirmation"
        )
    note = clean_text(note)[:200]
    with begin(mediation, actor, "record_confirmation", expected_version, at) as act:
        m = act.subject
        if m.agreement_form != AgreementForm.WRITTEN:
            raise ValidationError(
                _("Only a written agreement is confirmed by a court."), code="oral"
            )
        m.confirmation, m.confirmation_note = confirmation, note
        m.confirmation_on = timezone.localdate(act.at)
        act.save(["confirmation", "confirmation_note", "confirmation_on"])
        act.record(
            event(
                act,
                EventKind.CONFIRMATION,
                from_status=m.status,
                note=note,
                confirmation=confirmation,
            )
        )
        return m


def follow_up(
    *,
    actor: Any,
    mediation: Mediation,
    performance: str,
    satisfaction: str,
    recurred: bool,
    measures: str = "",
    visited_on: dt.date | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> FollowUp:
    """回访 (Art. 31): whether the agreement is performed, the parties' satisfaction, whether the
    dispute came back or left a risk, and the measures taken (required when it did)."""
    if performance not in Performance.values:
        raise ValidationError(_("Say how the agreement is performed."), code="performance")
    if satisfaction not in Satisfaction.values:
        raise ValidationError(_("Say how satisfied the parties are."), code="satisfaction")
    measures = clean_text(measures)
    if recurred and not measures:
        raise ValidationError(
            _("The dispute came back: say what was done about it."), code="measures"
        )
    with begin(mediation, actor, "follow_up", expected_version, at) as act:
        m = act.subject
        day = visited_on or timezone.localdate(act.at)
        if m.agreed_on and day < m.agreed_on:
            raise ValidationError(_("A follow-up visit comes after the agreement."), code="date")
        visit = FollowUp.objects.create(
            mediation=m,
            visited_on=day,
            visitor=actor,
            performance=performance,
            satisfaction=satisfaction,
            recurred=recurred,
            measures=measures,
        )
        act.save([])
        act.record(
            event(
                act,
                EventKind.FOLLOWED_UP,
                from_status=m.status,
                follow_up=visit.pk,
                performance=performance,
                satisfaction=satisfaction,
                recurred=recurred,
            )
        )
        return visit


def archive_mediation(
    *,
    actor: Any,
    mediation: Mediation,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """归档: refused while a required item of the case file is missing, naming each one."""
    with begin(mediation, actor, "archive", expected_version, at) as act:
        m = act.subject
        missing = law.missing_required(law.file_items(file_facts(m)))
        if missing:
            raise ValidationError(
                _("The file cannot be archived without %(items)s.")
                % {"items": "、".join(str(i) for i in missing)},
                code="file_incomplete",
            )
        from_status = m.status
        m.status, m.archived_at = Status.ARCHIVED, act.at
        act.save(["status", "archived_at"])
        act.record(event(act, EventKind.ARCHIVED, from_status=from_status))
        return m


def _matter_follows(
    m: Mediation, actor: Any, *, resolve: str = "", escalate: str = "", give_back: str = ""
) -> None:
    """The linked matter follows the outcome, with its own event: resolved by mediation,
    escalated (or, at the top of the ladder, handed back), or handed back to who sent it. A
    matter someone already settled gets a note instead."""
    case = m.case
    if case is None:
        return
    case.refresh_from_db()
    attempts: list[Any] = []
    if case.status in OPEN_STATUSES:
        if resolve:
            attempts.append(
                lambda: cases.resolve_case(
                    actor=actor, case=case, method=ResolutionMethod.MEDIATION, summary=resolve
                )
            )
        if escalate:
            attempts.append(lambda: cases.escalate_case(actor=actor, case=case, reason=escalate))
        if escalate or give_back:
            attempts.append(
                lambda: cases.return_case(actor=actor, case=case, reason=escalate or give_back)
            )
    for attempt in attempts:
        try:
            attempt()
            return
        except (ValidationError, PermissionDenied) as refused:
            log.info("matter %s did not follow mediation %s: %s", case.pk, m.pk, refused)
    cases.add_note(actor=None, case=case, note=resolve or escalate or give_back)
