"""The mediation papers as PDFs in Chinese (WeasyPrint, A4, the vendored Noto Sans CJK SC subset
embedded): the 调解协议书 (one copy per party and the archive's), the registration form, the
follow-up record and the whole case file (卷宗) with its cover, contents and back cover; and
whether this machine can make them (papers_available, the system check in checks.py).

What a paper prints of a party: name, role, gender, the address as registered and the identity
number MASKED (4406**********123X). The 司法部 template asks for the identity number; the
parties know their own and the archive can reveal it (a logged act of the organisation's
mediators, actions.reveal_party), so a paper that leaves the screen never carries it whole.
Phone numbers are never printed on the agreement and masked elsewhere; free text (a summary, a
record, a note) has every phone and identity number in it masked (access.masking.mask_text)."""

from __future__ import annotations

import ctypes.util
import datetime as dt
import functools
import importlib.util
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import ImageFile

from shuren.access.masking import mask_id_number, mask_phone, mask_text
from shuren.mediation.casefile import checklist
from shuren.mediation.choices import AgreementForm, EventKind, Outcome, Route
from shuren.mediation.models import FollowUp, Mediation, Party

APP = Path(__file__).resolve().parent
PAPERS_CSS = APP / "static" / "mediation" / "papers.css"
# The work report's vendored font (GB2312 subset of Noto Sans CJK SC, SIL OFL): read from the
# file system, so the papers print Chinese on a machine without any CJK font.
FONT = (
    APP.parent / "insights" / "static" / "insights" / "fonts" / "NotoSansCJKsc-Regular-GB2312.otf"
)
# What WeasyPrint loads through cffi at import (its text/ffi.py): without them it cannot start.
PANGO_LIBRARIES = ("pango-1.0", "pangoft2-1.0")
WEASYPRINT = "weasyprint"
FC_LIST = "fc-list"
INSTALL_HINT = "apt-get install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0"


# --- Can this machine make them? -----------------------------------------------------------------


def chinese_system_fonts() -> list[str]:
    """The fonts fontconfig knows for Chinese (`fc-list :lang=zh`); none without fontconfig."""
    binary = shutil.which(FC_LIST)
    if binary is None:
        return []
    try:
        out = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [binary, ":lang=zh", "family"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line for line in out.stdout.splitlines() if line.strip()]


@functools.cache
def missing_libraries(names: tuple[str, ...]) -> tuple[str, ...]:
    """The shared libraries among these that the system lacks. Looked up once per process:
    find_library runs `ldconfig -p` (~8 ms a name), and the case page asks on every render;
    libraries are not installed under a running server."""
    return tuple(name for name in names if ctypes.util.find_library(name) is None)


def papers_problems() -> list[str]:
    """What keeps this machine from making the papers, in words (empty: nothing). Cheap: it
    looks for WeasyPrint and its libraries without importing it (a system check runs it for
    every command)."""
    problems = []
    if importlib.util.find_spec(WEASYPRINT) is None:
        problems.append(_("WeasyPrint is not installed (pip install weasyprint)."))
    missing = missing_libraries(PANGO_LIBRARIES)
    if missing:
        problems.append(
            _("WeasyPrint's libraries are missing (%(libraries)s): apt-get install %(packages)s.")
            % {"libraries": ", ".join(missing), "packages": "libpango-1.0-0 libpangoft2-1.0-0"}
        )
    if not FONT.is_file() and not chinese_system_fonts():
        problems.append(
            _(
                "No Chinese font: the vendored %(font)s is missing and fontconfig knows none "
                "(apt-get install fonts-noto-cjk)."
            )
            % {"font": FONT.name}
        )
    return problems


def papers_available() -> str | None:
    """None when the papers can be made here; otherwise what to install, for a page to show
    instead of failing."""
    problems = papers_problems()
    if not problems:
        return None
    return " ".join([_("The mediation papers cannot be printed on this server."), *problems])


# --- What the papers print ---------------------------------------------------------------------


def day(value: dt.date | dt.datetime | None) -> str:
    """A date as the papers write it (2026年3月3日); a moment in Asia/Shanghai."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return _("%(year)s-%(month)s-%(day)s") % {
        "year": value.year,
        "month": value.month,
        "day": value.day,
    }


def moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{day(local)} {local:%H:%M}"


def who(user: Any) -> str:
    """A user as a paper names them: their person's name, else their login."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str
    gender: str
    id_number: str  # masked
    phone: str  # masked
    address: str
    consent: str
    consent_at: str


def party_lines(parties: Iterable[Party]) -> list[PartyLine]:
    return [
        PartyLine(
            role=p.get_role_display(),
            name=p.name,
            gender=p.gender,
            id_number=mask_id_number(p.id_number),
            phone=mask_phone(p.phone),
            address=mask_text(p.address),
            consent=p.get_consent_display(),
            consent_at=moment(p.consent_at),
        )
        for p in parties
    ]


def _facts(m: Mediation) -> dict[str, Any]:
    """What every paper of the case prints of it."""
    parties = list(m.parties.all())
    mediators = [p.name for p in m.mediators.all()]
    return {
        "m": m,
        "organisation": m.organisation.name,
        "parties": party_lines(parties),
        "party_names": [p.name for p in parties],
        "mediators": "、".join(mediators),
        "summary": mask_text(m.summary),
        "registered_on": day(m.registered_on),
        "registrar": who(m.registered_by),
        "source": m.get_source_display(),
        "referrer": m.get_referrer_display() if m.referrer else "",
        "dispute_type": m.get_dispute_type_display(),
        "amount": f"{m.amount:,.2f}",
        "place": m.place.name,
    }


def _agreement(m: Mediation) -> dict[str, Any]:
    return {
        "number": m.agreement_number,
        "oral": m.agreement_form == AgreementForm.ORAL,
        "facts": mask_text(m.facts),
        "points": mask_text(m.points_in_dispute),
        "responsibilities": mask_text(m.responsibilities),
        "content": mask_text(m.agreed_content),
        "manner": mask_text(m.performance_manner),
        "where": mask_text(m.performance_place),
        "deadline": day(m.performance_deadline),
        "agreed_on": day(m.agreed_on),
    }


def _follow_ups(m: Mediation, visits: Sequence[FollowUp]) -> list[dict[str, Any]]:
    return [
        {
            "visited_on": day(f.visited_on),
            "visitor": who(f.visitor),
            "performance": f.get_performance_display(),
            "satisfaction": f.get_satisfaction_display(),
            "recurred": f.recurred,
            "measures": mask_text(f.measures),
        }
        for f in visits
    ]


def _copies(m: Mediation) -> list[str]:
    """The copy marks of a written agreement: one per party, then the organisation's archive;
    an oral agreement is the mediator's record, kept in the archive only."""
    archive = _("Kept in the archive of the mediation organisation")
    if m.agreement_form == AgreementForm.ORAL:
        return [archive]
    return [_("Held by the party %(name)s") % {"name": p.name} for p in m.parties.all()] + [archive]


# --- The papers ----------------------------------------------------------------------------------

P = ParamSpec("P")


def in_chinese(paper: Callable[P, bytes]) -> Callable[P, bytes]:
    """The papers are Chinese documents whoever prints them (the 司法部 forms): their words,
    dates and labels are made in zh-hans."""

    @functools.wraps(paper)
    def chinese(*args: P.args, **kwargs: P.kwargs) -> bytes:
        with translation.override("zh-hans"):
            return paper(*args, **kwargs)

    return chinese


@in_chinese
def agreement_pdf(mediation: Mediation) -> bytes:
    """The numbered 调解协议书 (Art. 29), one copy per party and the archive's, each its own page
    set marked with whose it is; an oral agreement prints as the mediator's record (Art. 28)."""
    m = _case(mediation)
    if not m.agreement_number:
        raise ValueError("the case has no agreement")
    context = {**_facts(m), "agreement": _agreement(m), "copies": _copies(m)}
    return _render("mediation/papers/agreement.html", context)


@in_chinese
def registration_pdf(mediation: Mediation) -> bytes:
    """人民调解申请书/登记表: type, source, summary, parties, date and registrar."""
    return _render("mediation/papers/registration.html", _facts(_case(mediation)))


@in_chinese
def follow_up_pdf(mediation: Mediation, follow_up: FollowUp | None = None) -> bytes:
    """人民调解回访记录: one visit, or (follow_up None) every visit of the case."""
    m = _case(mediation)
    visits = list(m.follow_ups.select_related("visitor__person"))
    if follow_up is not None:
        visits = [f for f in visits if f.pk == follow_up.pk]
        if not visits:
            raise ValueError("the follow-up visit is not of this case")
    context = {**_facts(m), "agreement": _agreement(m), "visits": _follow_ups(m, visits)}
    return _render("mediation/papers/follow_up.html", context)


@in_chinese
def case_file_pdf(mediation: Mediation) -> bytes:
    """The case file (卷宗) as one PDF: cover, contents in the 司法部 order with page numbers
    (无 for an optional item the case does not have), the papers themselves, the list of papers
    added, the timeline and the back cover with the number of pages."""
    m = _case(mediation)
    sessions = [
        {
            "held_at": moment(s.held_at),
            "venue": s.venue,
            "parties": "、".join(p.name for p in s.parties.all()),
            "mediators": "、".join(p.name for p in s.mediators.all()),
            "others": mask_text(s.others_present),
            "record": mask_text(s.record),
            "recorded_by": who(s.recorded_by),
        }
        for s in m.sessions.prefetch_related("parties", "mediators").select_related(
            "recorded_by__person"
        )
    ]
    documents = list(m.documents.select_related("added_by__person"))
    first_of_kind: dict[str, int] = {}
    for d in documents:
        first_of_kind.setdefault(d.kind, d.pk)
    papers = [
        {
            "anchor": f"paper-{d.kind}" if first_of_kind[d.kind] == d.pk else "",
            "title": d.title,
            "kind": d.get_kind_display(),
            "added_by": who(d.added_by),
            "added_at": moment(d.added_at),
            "note": mask_text(d.note),
        }
        for d in documents
    ]
    labels = dict(EventKind.choices)
    timeline = [
        {
            "at": moment(e.at),
            "kind": labels.get(e.kind, e.kind),
            "actor": who(e.actor),
            "note": mask_text(e.note),
        }
        for e in m.events.select_related("actor__person")
    ]
    contents = [
        {
            "label": str(item.label),
            "anchor": ANCHORS.get(item.key, f"paper-{item.key}"),
            "present": item.present,
            "required": item.required,
        }
        for item in checklist(m)
    ]
    told = m.outcome in (Outcome.FAILED, Outcome.TERMINATED)
    context = {
        **_facts(m),
        "agreement": _agreement(m) if m.agreement_number else None,
        "copies": _copies(m) if m.agreement_number else [],
        "contents": contents,
        "sessions": sessions,
        "visits": _follow_ups(m, list(m.follow_ups.select_related("visitor__person"))),
        "papers": papers,
        "timeline": timeline,
        "outcome": m.get_outcome_display() if m.outcome else _("Open"),
        "outcome_note": mask_text(m.outcome_note),
        "ended_on": day(m.ended_on),
        "archived_on": day(m.archived_at),
        "routes": [Route(r).label for r in m.routes_told if r in Route.values] if told else [],
        "made_on": day(timezone.now()),
    }
    return _render("mediation/papers/case_file.html", context)


# The file's items Shuren prints itself, and where in the file each begins; the others are
# papers a mediator added, listed under their kind (paper-<kind>).
ANCHORS = {
    "registration": "registration",
    "rights": "rights",
    "records": "records",
    "agreement": "agreement",
    "routes": "routes",
    "follow_up": "follow-up",
    "signed_agreement": "paper-signed_agreement",
}


def _case(mediation: Mediation) -> Mediation:
    """The case afresh, with what every paper reads of it."""
    return Mediation.objects.select_related("organisation", "place", "registered_by__person").get(
        pk=mediation.pk
    )


def _render(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML  # heavy (pango, large): loaded when asked for
    from weasyprint.text.fonts import FontConfiguration  # with it, for the @font-face

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, after which a
    # photo cut short would pass the intake's check (cases/intake/photos.py) in this process.
    # The papers have no raster image: put it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    html = render_to_string(template, context)
    fonts = FontConfiguration()  # the @font-face below is loaded into it
    face = CSS(
        string='@font-face { font-family: "NotoSansCJKsc-GB2312"; '
        f'src: url("{FONT.as_uri()}"); }}',
        font_config=fonts,
    )
    pdf = HTML(string=html, base_url=PAPERS_CSS.parent.as_uri() + "/").write_pdf(
        stylesheets=[face, CSS(filename=str(PAPERS_CSS), font_config=fonts)], font_config=fonts
    )
    assert pdf is not None
    return bytes(pdf)


__all__ = [
    "agreement_pdf",
    "case_file_pdf",
    "follow_up_pdf",
    "papers_available",
    "papers_problems",
    "registration_pdf",
]
