"""The mediation papers as PDFs, read back with poppler: the agreement with its number, parties,
agreed content and one copy per party plus the archive's; the CJK font embedded; no whole
identity or phone number in any paper; the case file's cover, contents with page numbers (无 for
an optional item the case lacks) and back cover; and the system check that says what to install
when the papers cannot be made."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation
from fontTools.ttLib import TTFont

from shuren.mediation import actions, checks, papers
from shuren.mediation.choices import (
    AgreementForm,
    Consent,
    DocumentKind,
    Outcome,
    Performance,
    Route,
    Satisfaction,
)
from shuren.mediation.models import Mediation
from shuren.mediation.tests.conftest import REGISTERED_AT
from shuren.web.tests.test_translations import BLOCK, TRANSLATE, VARIABLE

pytestmark = pytest.mark.django_db

SESSION_AT = REGISTERED_AT + dt.timedelta(days=2)
# The conftest's parties: 王秀英 (applicant, with phone and identity number) and 陈美玲.
SECRETS = ("440602195803031231", "13812345678", "13711112222")


def agreed(register, world, form=AgreementForm.WRITTEN) -> Mediation:
    """A dispute through consent, a session and an agreement, as a mediator runs it."""
    user = world.user("demo-tiaojie")
    m = register(summary="101室天花板渗水，王秀英（电话13812345678）要求赔偿。")
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    for party in m.parties.all():
        actions.record_consent(
            actor=user, mediation=m, party=party, consent=Consent.GIVEN, at=REGISTERED_AT
        )
    actions.hold_session(
        actor=user,
        mediation=m,
        held_at=SESSION_AT,
        venue="尖东社区调解室",
        parties=list(m.parties.all()),
        record="双方陈述了事实。陈美玲电话13711112222，同意承担大部分费用。",
        at=SESSION_AT,
    )
    return actions.issue_agreement(
        actor=user,
        mediation=m,
        form=form,
        facts="2026年2月起301室卫生间漏水至101室天花板。",
        points_in_dispute="维修费用由谁承担。",
        responsibilities="301室防水层老化，应承担主要责任。",
        agreed_content="陈美玲承担维修费用3200元中的2800元。",
        performance_manner="微信转账",
        performance_place="尖东社区调解室",
        performance_deadline=dt.date(2026, 3, 20),
        at=SESSION_AT,
    )


def archived(register, world) -> Mediation:
    user = world.user("demo-tiaojie")
    m = agreed(register, world)
    actions.follow_up(
        actor=user,
        mediation=m,
        performance=Performance.FULL,
        satisfaction=Satisfaction.SATISFIED,
        recurred=False,
        visited_on=dt.date(2026, 3, 25),
    )
    actions.add_document(
        actor=user,
        mediation=m,
        kind=DocumentKind.SIGNED_AGREEMENT,
        title="签字协议书扫描件",
        note="原件存档",
    )
    return actions.archive_mediation(actor=user, mediation=m)


def required(what: str, missing: str | None) -> None:
    """Skipped where this machine lacks it, except in CI, where it must be there (.ci/run
    installs it and sets SHUREN_REQUIRE_BROWSER=1)."""
    if missing is None:
        return
    if os.environ.get("SHUREN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what}: {missing}", pytrace=False)
    pytest.skip(f"{what}: {missing}")


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    required(tool, None if found else "not installed (apt-get install poppler-utils)")
    assert found is not None
    return found


@pytest.fixture(autouse=True)
def printable(request):
    """The rendering tests need WeasyPrint's libraries (the others test their absence)."""
    if "check" not in request.node.name and "refused" not in request.node.name:
        required("the mediation papers", papers.papers_available())


def text_of(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    args = [poppler("pdftotext"), "-enc", "UTF-8", *(["-layout"] if layout else []), str(path)]
    return subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [*args, "-"], capture_output=True, text=True, check=True
    ).stdout


def squeezed(text: str) -> str:
    """The text without the blanks and line breaks the layout put in Chinese lines."""
    return re.sub(r"\s+", "", text)


def test_the_agreement_prints_one_copy_per_party_and_the_archives(register, world, tmp_path):
    pdf = agreed(register, world)
    out = papers.agreement_pdf(pdf)
    raw = text_of(out, tmp_path)
    text = squeezed(raw)
    assert "人民调解协议书" in text
    assert "T-SZM-2026-XY0001" in text
    assert "陈美玲承担维修费用3200元中的2800元" in text
    assert "2026年3月20日" in text
    # One copy for each party and the archive's: each begins with the number and is marked
    # (on every page of it) with whose it is.
    marks = ("当事人王秀英执", "当事人陈美玲执", "调解组织存档")
    firsts = [squeezed(page) for page in raw.split("\f") if "编号：T-SZM" in squeezed(page)]
    assert sorted(next(m for m in marks if m in page) for page in firsts) == sorted(marks)
    assert text.count("第三十三条") == 3
    assert text.count("王秀英") >= 3
    # The identity number is printed masked; no phone at all.
    assert "4406**********1231" in text
    for secret in SECRETS:
        assert secret not in text
    (tmp_path / "paper.pdf").write_bytes(out)
    fonts = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [poppler("pdffonts"), str(tmp_path / "paper.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSansCJKsc-GB2312" in line]  # vendored
    assert cjk, fonts
    # pdffonts' columns: name type encoding emb sub uni object ID
    assert all(line.split()[-5] == "yes" for line in cjk), fonts


def test_an_oral_agreement_prints_as_the_mediators_record_for_the_archive(
    register, world, tmp_path
):
    m = agreed(register, world, form=AgreementForm.ORAL)
    text = squeezed(text_of(papers.agreement_pdf(m), tmp_path))
    assert "口头调解协议登记" in text
    assert "调解组织存档" in text
    assert "执" not in text.replace("执行", "")
    assert "司法确认" not in text


def test_the_registration_form_prints_the_dispute_and_masks_the_parties(register, world, tmp_path):
    m = register(
        summary="王秀英（电话13812345678）报称楼上漏水。",
        source="referral",
        referrer="police",
    )
    text = squeezed(text_of(papers.registration_pdf(m), tmp_path))
    for said in ("人民调解申请书", "T-SZM-2026-0001", "邻里", "派出所", "王秀英", "陈美玲"):
        assert said in text, said
    assert "138****5678" in text
    assert "2026年3月3日" in text
    for secret in SECRETS:
        assert secret not in text


def test_the_follow_up_record_prints_the_visit(register, world, tmp_path):
    user = world.user("demo-tiaojie")
    m = agreed(register, world)
    visit = actions.follow_up(
        actor=user,
        mediation=m,
        performance=Performance.PARTIAL,
        satisfaction=Satisfaction.FAIRLY,
        recurred=True,
        measures="再次约谈陈美玲（13711112222），约定月底前付清余款。",
        visited_on=dt.date(2026, 3, 25),
    )
    text = squeezed(text_of(papers.follow_up_pdf(m, visit), tmp_path))
    for said in ("人民调解回访记录", "T-SZM-2026-XY0001", "部分履行", "基本满意", "苏调解"):
        assert said in text, said
    assert "2026年3月25日" in text
    for secret in SECRETS:
        assert secret not in text


def test_the_case_file_has_a_cover_contents_with_pages_and_a_back_cover(register, world, tmp_path):
    m = archived(register, world)
    raw = text_of(papers.case_file_pdf(m), tmp_path, layout=True)
    text = squeezed(raw)
    assert "人民调解卷宗" in text
    assert "T-SZM-2026-0001" in text
    assert "卷内目录" in text
    pages = {}
    for line in raw.splitlines():
        cells = line.split()
        if len(cells) >= 3 and cells[0].isdigit():
            pages[cells[1]] = cells[-1]
    # Present: a page number; an optional item the case lacks: 无.
    assert pages["人民调解申请书或登记表"].isdigit()
    assert pages["调解协议书"].isdigit()
    assert pages["回访记录"].isdigit()
    assert pages["签字调解协议书（扫描件）"].isdigit()
    assert pages["证据材料"] == "无"
    assert pages["授权委托书"] == "无"
    assert int(pages["调解协议书"]) > int(pages["人民调解申请书或登记表"]) > 2
    # The back cover is the last page and says how many pages the file has.
    assert int(pages["封底"]) == raw.count("\f")
    for said in ("调解员", "签字协议书扫描件", "调解成功", "申请人王秀英", "封底"):
        assert said in text, said
    for secret in SECRETS:
        assert secret not in text


def test_a_failed_case_file_tells_the_routes(register, world, tmp_path):
    user = world.user("demo-tiaojie")
    m = register()
    m = actions.close_mediation(
        actor=user,
        mediation=m,
        outcome=Outcome.FAILED,
        note="双方分歧过大",
        routes_told=[Route.LITIGATION, Route.ARBITRATION],
    )
    text = squeezed(text_of(papers.case_file_pdf(m), tmp_path))
    assert "告知其他解决途径的记录" in text
    assert "仲裁" in text
    assert "诉讼" in text
    assert "第二十六条" in text


def test_the_papers_are_refused_for_what_the_case_lacks(register, world):
    m = register()
    with pytest.raises(ValueError, match="no agreement"):
        papers.agreement_pdf(m)


def test_the_check_is_quiet_on_a_machine_that_can_print(settings):
    if papers.papers_problems():
        pytest.skip("this machine lacks WeasyPrint's libraries")
    assert checks.check_papers(None) == []
    assert papers.papers_available() is None


def test_the_check_warns_without_a_chinese_font_and_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(papers, "FONT", tmp_path / "missing.otf")
    monkeypatch.setattr(papers, "FC_LIST", "no-such-fc-list")
    (warning,) = checks.check_papers(None)
    assert warning.id == "mediation.W001"
    assert "fonts-noto-cjk" in warning.hint
    assert "Chinese font" in warning.msg
    said = papers.papers_available()
    assert said is not None
    assert "fonts-noto-cjk" in said


def test_the_check_warns_without_weasyprint_or_its_libraries(monkeypatch):
    monkeypatch.setattr(papers, "WEASYPRINT", "no_such_weasyprint")
    monkeypatch.setattr(papers, "PANGO_LIBRARIES", ("no-such-pango-1.0",))
    (warning,) = checks.check_papers(None)
    assert "libpango-1.0-0 libpangoft2-1.0-0" in warning.hint
    assert "WeasyPrint" in warning.msg
    assert "pip install weasyprint" in warning.msg


def test_every_character_the_papers_print_is_in_the_embedded_font():
    """The vendored font is a GB2312 subset: every word of the mediation catalogue (papers
    and pages) must be in it (else a character prints as a blank box)."""
    cmap = TTFont(str(papers.FONT)).getBestCmap()
    catalog = polib.pofile(str(CATALOG))
    words = "".join(e.msgstr or "".join(e.msgstr_plural.values()) for e in catalog)
    missing = sorted({c for c in words if ord(c) > 0x7F and ord(c) not in cmap})
    assert missing == []


CATALOG = Path(papers.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_word_of_the_papers_templates_reads_in_chinese():
    msgids: list[tuple[str | None, str]] = []
    for path in (CATALOG.parents[3] / "templates" / "mediation" / "papers").glob("*.html"):
        text = path.read_text()
        msgids += [(m["context"], m["msgid"]) for m in TRANSLATE.finditer(text)]
        msgids += [(None, VARIABLE.sub(r"%(\1)s", m["body"])) for m in BLOCK.finditer(text)]
    assert len(msgids) > 80
    with translation.override("zh-hans"):
        untranslated = [
            msgid
            for context, msgid in msgids
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            == msgid
        ]
    assert untranslated == []
