"""The public notice of a counted vote (表决结果公告) as a PDF in Chinese (WeasyPrint, A4, the
vendored CJK font, as the mediation papers are made): the matter, the place, the dates, the
electorate, both tests with their numbers and the outcome. Counts only: no owner is named and
nobody's choice is shown, as a notice posted in the estate carries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from PIL import ImageFile

from shuren.deliberation.votes.counting import stored_result
from shuren.deliberation.votes.models import Vote
from shuren.deliberation.votes.outcome import outcome_words, tests
from shuren.deliberation.votes.roll import size
from shuren.mediation.papers import FONT, in_chinese, moment, papers_problems

NOTICE_CSS = Path(__file__).resolve().parent.parent / "static" / "deliberation" / "notice.css"


def notice_available() -> str | None:
    """None when the notice can be printed here; otherwise what to install, in words."""
    problems = papers_problems()
    if not problems:
        return None
    return " ".join([_("The public notice cannot be printed on this server."), *problems])


def notice_context(vote: Vote) -> dict[str, Any]:
    result = stored_result(vote)
    assert result is not None, "a notice is printed for a counted vote"
    units, owners = size(vote)
    return {
        "vote": vote,
        "units": units,
        "owners": owners,
        "tests": tests(result),
        "outcome": outcome_words(result),
        "passed": result.passed,
        "notice_at": moment(vote.notice_at),
        "opens_at": moment(vote.opens_at),
        "closes_at": moment(vote.closes_at),
        "counted_at": moment(vote.counted_at),
    }


@in_chinese
def notice_pdf(vote: Vote) -> bytes:
    from weasyprint import CSS, HTML  # heavy (pango, large): loaded when asked for
    from weasyprint.text.fonts import FontConfiguration  # with it, for the @font-face

    # Importing WeasyPrint loosens Pillow's truncated-image check process-wide (see
    # mediation/papers.py); the notice has no raster image: put it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = render_to_string("deliberation/votes/notice_pdf.html", notice_context(vote))
    fonts = FontConfiguration()
    face = CSS(
        string='@font-face { font-family: "NotoSansCJKsc-GB2312"; '
        f'src: url("{FONT.as_uri()}"); }}',
        font_config=fonts,
    )
    pdf = HTML(string=html, base_url=NOTICE_CSS.parent.as_uri() + "/").write_pdf(
        stylesheets=[face, CSS(filename=str(NOTICE_CSS), font_config=fonts)], font_config=fonts
    )
    assert pdf is not None
    return bytes(pdf)
