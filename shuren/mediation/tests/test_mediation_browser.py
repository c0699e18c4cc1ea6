"""One dispute from a dispatched matter to the archived case file, in a real browser at 375 px:
community staff send a neighbours' leak to the workshop, the outbox opens its mediation case,
and the mediator runs it on her phone (the other side added, both consents, herself as mediator,
a session, an oral agreement, a follow-up visit, the signed paper, the archive, and the whole
file downloaded as one PDF). The matter is then resolved by mediation, and the pages pass
axe-core. With SHUREN_SCREENSHOTS=1 the register, the case page and the statistics are saved to
docs/screenshots/mediation-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shuren.cases.tests.test_journeys_browser import phone, shot  # noqa: F401 - fixtures
from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

browser = home.browser
axe = home.axe
TITLE = "楼上漏水，协商不成"


def submit(page: Any, key: str) -> None:
    """Submit the open action form `key` and wait for the page it answers with."""
    with page.expect_navigation():
        page.locator(f"#act-{key} form button[type=submit]").click()
    errors = page.locator(".alert-error")
    assert errors.count() == 0, errors.first.inner_text()


def open_action(page: Any, key: str) -> None:
    form = page.locator(f"#act-{key}")
    if form.get_attribute("open") is None:
        form.locator("summary").click()


def serious(page: Any, axe: Any) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_dispatched_leak_is_mediated_to_the_archived_file_on_a_phone(phone, axe, tmp_path):  # noqa: F811
    from shuren.cases.actions import report_case
    from shuren.cases.models import Case, Category
    from shuren.cases.models import Status as CaseStatus
    from shuren.mediation.choices import Status
    from shuren.mediation.models import Mediation
    from shuren.mediation.papers import papers_available
    from shuren.people.models import Person
    from shuren.places.models import Place
    from shuren.testing import deliver

    case = report_case(
        actor=None,
        place=Place.objects.get(code="GC-JD-JYLW-B01"),
        category=Category.objects.get(code="neighbour-leak"),
        title=TITLE,
        description="楼上卫生间漏水，天花板发霉，协商不成。",
        reporter=Person.objects.get(code="P-WANG"),
    )

    staff = phone("demo-shequ")
    staff.goto(f"/cases/{case.pk}/")
    open_action(staff, "assign")
    staff.select_option("#assign-team", label="苏志敏创熟调解工作室 · 调解工作室")
    submit(staff, "assign")
    deliver()  # the outbox worker opens the mediation case
    m = Mediation.objects.get(case=case)

    me = phone("demo-tiaojie")
    me.goto("/")
    with me.expect_navigation():
        me.get_by_role("link", name="调解台账").click()
    assert m.number in me.content()
    shot(me, "mediation-register")
    assert serious(me, axe) == []
    with me.expect_navigation():
        me.get_by_role("link", name=TITLE).click()

    open_action(me, "add_party")
    me.click("label[for=add_party-role_1]")  # respondent
    me.fill("#add_party-name", "陈美玲")
    submit(me, "add_party")
    for n in (0, 1):
        open_action(me, "consent")
        me.click(f"label[for=consent-party_{n}]")
        me.click("label[for=consent-consent_0]")  # consents
        submit(me, "consent")
    open_action(me, "choose_mediators")
    me.check("#choose_mediators-mediators_0")
    submit(me, "choose_mediators")
    open_action(me, "hold_session")
    me.fill("#hold_session-venue", "苏志敏创熟调解工作室")
    me.check("#hold_session-parties_0")
    me.check("#hold_session-parties_1")
    me.fill("#hold_session-record", "双方同意由楼上维修防水并赔偿天花板修补费。")
    submit(me, "hold_session")
    open_action(me, "issue_agreement")
    me.click("label[for=issue_agreement-form_1]")  # oral
    me.fill("#issue_agreement-agreed_content", "楼上一周内维修防水，赔偿修补费800元。")
    me.fill("#issue_agreement-performance_manner", "当面支付，师傅上门维修")
    submit(me, "issue_agreement")
    open_action(me, "follow_up")
    me.click("label[for=follow_up-performance_0]")
    me.click("label[for=follow_up-satisfaction_0]")
    submit(me, "follow_up")
    scan = tmp_path / "agreement.pdf"
    scan.write_bytes(b"%PDF-1.4 signed agreement")
    open_action(me, "add_document")
    me.select_option("#add_document-kind", "signed_agreement")
    me.fill("#add_document-title", "双方签字的口头协议记录")
    me.set_input_files("#add_document-file", str(scan))
    submit(me, "add_document")
    shot(me, "mediation-case")
    assert serious(me, axe) == []
    with me.expect_navigation():
        me.locator("#act-archive button[type=submit]").click()
    assert "卷宗已归档" in me.content()
    m.refresh_from_db()
    assert m.status == Status.ARCHIVED
    # The whole file, downloaded from its large link on the phone.
    problem = papers_available()
    if problem is None:
        link = me.get_by_role("link", name="完整卷宗（PDF）")
        assert link.bounding_box()["height"] >= 44
        with me.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == f"调解卷宗-{m.number}.pdf"
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    else:  # a machine without WeasyPrint's libraries: the page says what to install
        assert problem in me.content()

    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    staff.goto(f"/cases/{case.pk}/")
    assert "苏志敏创熟调解工作室" in staff.content()
    assert Case.objects.get(pk=case.pk).resolution_method == "mediation"

    me.goto("/mediation/statistics/")
    shot(me, "mediation-statistics")
    assert serious(me, axe) == []
