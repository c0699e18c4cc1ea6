"""The papers downloaded from the case page by the workshop's mediator: each a PDF named in
Chinese (with an ASCII name beside it), never cached, each download in the audit trail; the case
page links only the papers the case has; everyone else, a missing id and a paper the case does
not have yet meet the same 404; and where this server cannot make PDFs, a page says what to
install (503) instead of the links or a 500. One PDF is rendered per test at most."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import translation

from shuren.access.tests.test_scope_matrix import _without_csrf
from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.mediation import actions, papers
from shuren.mediation.choices import Performance, Satisfaction
from shuren.mediation.models import Mediation
from shuren.mediation.tests.test_pages import OUTSIDERS
from shuren.mediation.tests.test_papers import agreed, required
from shuren.mediation.web.papers_views import PAPERS

pytestmark = pytest.mark.django_db

KEYS = ("agreement", "registration", "follow-up", "file")
MISSING_ID = 987_654_321
CANNOT = "本服务器暂时无法生成调解文书。请安装 fonts-noto-cjk。"


@pytest.fixture
def mediator(client, world):
    client.force_login(world.user("demo-tiaojie"))
    return client


@pytest.fixture
def printable():
    required("the mediation papers", papers.papers_available())


def url(m_pk: int, key: str) -> str:
    return f"/mediation/{m_pk}/papers/{key}.pdf"


def exports(m: Mediation) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            kind=Kind.EXPORT, target_type="mediation.mediation", target_id=str(m.pk)
        )
    )


def visited(m: Mediation, world) -> Mediation:
    actions.follow_up(
        actor=world.user("demo-tiaojie"),
        mediation=m,
        performance=Performance.FULL,
        satisfaction=Satisfaction.SATISFIED,
        recurred=False,
        visited_on=dt.date(2026, 3, 25),
    )
    return m


def same_page(one, one_url: str, other, other_url: str) -> bool:
    """Byte for byte, but for the CSRF token (masked afresh for every response) and the page's
    own path, which it echoes (the language switch returns to it)."""
    return _without_csrf(one.content).replace(one_url.encode(), b"URL") == _without_csrf(
        other.content
    ).replace(other_url.encode(), b"URL")


def assert_pdf(response, stem: str, ascii_stem: str, m: Mediation) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    name = quote(f"{stem}-{m.number}.pdf", safe="")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{ascii_stem}-{m.number}.pdf\"; filename*=UTF-8''{name}"
    )


def test_the_registration_form_downloads_as_a_pdf_and_the_download_is_audited(
    printable, mediator, register
):
    m = register()
    assert exports(m) == []
    response = mediator.get(url(m.pk, "registration"))
    assert_pdf(response, "人民调解申请书", "mediation-application", m)
    [entry] = exports(m)
    assert entry.actor_username == "demo-tiaojie"
    assert entry.detail == {"file": "registration.pdf", "number": m.number}


def test_the_agreement_downloads_once_there_is_one(printable, mediator, register, world):
    m = register()
    assert mediator.get(url(m.pk, "agreement")).status_code == 404
    assert exports(m) == []
    m = agreed(register, world)
    assert_pdf(mediator.get(url(m.pk, "agreement")), "调解协议书", "mediation-agreement", m)
    assert len(exports(m)) == 1


def test_the_follow_up_record_downloads_once_there_is_a_visit(printable, mediator, register, world):
    m = agreed(register, world)
    assert mediator.get(url(m.pk, "follow-up")).status_code == 404
    visited(m, world)
    assert_pdf(mediator.get(url(m.pk, "follow-up")), "回访记录", "follow-up-record", m)


def test_the_whole_case_file_downloads_as_one_pdf(printable, mediator, register):
    m = register()
    assert_pdf(mediator.get(url(m.pk, "file")), "调解卷宗", "case-file", m)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_the_missing_ids_404_on_every_paper(client, world, register, username):
    m = visited(agreed(register, world), world)  # every paper there for its mediator
    client.force_login(world.user(username))
    for key in KEYS:
        out = client.get(url(m.pk, key))
        missing = client.get(url(MISSING_ID, key))
        assert out.status_code == missing.status_code == 404, key
        assert same_page(out, url(m.pk, key), missing, url(MISSING_ID, key)), key
    assert exports(m) == []


def test_a_paper_the_case_lacks_is_the_same_404_as_a_missing_case(mediator, register):
    m = register()
    for key in ("agreement", "follow-up"):
        lacking = mediator.get(url(m.pk, key))
        missing = mediator.get(url(MISSING_ID, key))
        assert lacking.status_code == missing.status_code == 404
        assert same_page(lacking, url(m.pk, key), missing, url(MISSING_ID, key)), key


def test_the_case_page_links_the_papers_the_case_has(mediator, register, world):
    m = register()
    text = mediator.get(f"/mediation/{m.pk}/").content.decode()
    assert url(m.pk, "registration") in text
    assert url(m.pk, "file") in text
    assert url(m.pk, "agreement") not in text
    assert url(m.pk, "follow-up") not in text
    assert "下载文书" in text
    m = visited(agreed(register, world), world)
    text = mediator.get(f"/mediation/{m.pk}/").content.decode()
    for key in KEYS:
        assert url(m.pk, key) in text, key
    assert "调解协议书（PDF）" in text


def test_where_no_pdf_can_be_made_the_page_says_what_to_install(
    mediator, register, world, monkeypatch
):
    monkeypatch.setattr(papers, "papers_available", lambda: CANNOT)
    m = visited(agreed(register, world), world)
    for key in KEYS:
        response = mediator.get(url(m.pk, key))
        assert response.status_code == 503, key
        text = response.content.decode()
        assert CANNOT in text
        assert "无法打印文书" in text
        assert f'href="/mediation/{m.pk}/"' in text
    assert exports(m) == []
    # The case page shows the same words in place of the links.
    text = mediator.get(f"/mediation/{m.pk}/").content.decode()
    assert CANNOT in text
    assert url(m.pk, "file") not in text


def test_the_unavailable_page_speaks_the_users_language(mediator, register, monkeypatch):
    monkeypatch.setattr(papers, "papers_available", lambda: "Install fonts-noto-cjk.")
    m = register()
    mediator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = mediator.get(url(m.pk, "file"))
    assert response.status_code == 503
    assert "The papers cannot be printed" in response.content.decode()


def test_a_post_to_a_paper_is_refused(mediator, register):
    m = register()
    assert mediator.post(url(m.pk, "file")).status_code == 405


def test_every_papers_link_reads_in_chinese():
    with translation.override("zh-hans"):
        labels = [str(p.label) for p in PAPERS.values()]
    assert labels == [
        "调解协议书（PDF）",
        "人民调解申请书（登记表）（PDF）",
        "回访记录（PDF）",
        "完整卷宗（PDF）",
    ]
