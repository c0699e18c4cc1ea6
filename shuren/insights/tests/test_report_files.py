"""The work report's downloads: the workbook opens with openpyxl and holds each figure's value,
unit and definition and the paragraph; the PDF's text round-trips the paragraph through
`pdftotext` and `pdffonts` lists the embedded CJK font; each download is an audit entry; out of
scope they answer 404 like the page."""

from __future__ import annotations

import os
import shutil
import subprocess
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.cases.tests.conftest import sh
from shuren.insights.tests.test_tallies import settle

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
PARAGRAPH = (
    "尖东社区（2026-03-01至2026-03-31）：成功协调处理邻里矛盾2宗、解决小区卫生问题0个、"
    "协助破解治安案件0起、完成公共设施维护0处、解决安全问题0个、破解停车难问题1起、"
    "成功加装电梯的楼道0条、加装电梯的小区0个。"
)


@pytest.fixture
def march(report):
    settle(report(), at=sh(2026, 3, 3, 10))
    settle(report(title="楼上漏水"), at=sh(2026, 3, 4, 10))
    settle(report(category_code="parking", title="车位被占"), at=sh(2026, 3, 5, 10))


def download(client, world, kind, user="demo-shequ", **params):
    client.force_login(world.user(user))
    return client.get(reverse(f"insights:report-{kind}"), params)


def poppler(tool: str) -> str:
    """The path of a poppler tool; skipped where it is missing, except in CI, where it must be
    there (.ci/run installs poppler-utils and sets SHUREN_REQUIRE_BROWSER=1)."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("SHUREN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{tool} is missing and SHUREN_REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return found


def test_the_workbook_holds_each_figure_with_its_unit_and_definition(client, world, march):
    response = download(client, world, "xlsx", place=world.place("GC-JD").pk, **MARCH)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    by_label = {row[0]: row for row in rows if row and row[0]}
    assert by_label["协调处理邻里矛盾"][1:3] == [2, "宗"]
    assert "不予受理的反映不算事项" in by_label["协调处理邻里矛盾"][4]
    assert by_label["破解停车难问题"][1:3] == [1, "起"]
    assert by_label["加装电梯的楼道"][1:3] == [0, "条"]
    assert by_label["回访满意率"][1] == 1  # a rate as a number 0-1
    assert by_label["回访满意率"][3] == "3/3"
    assert by_label["文字表述"][1] == PARAGRAPH


def test_the_pdf_round_trips_the_paragraph_and_embeds_a_cjk_font(client, world, march, tmp_path):
    pdftotext, pdffonts = poppler("pdftotext"), poppler("pdffonts")
    response = download(client, world, "pdf", place=world.place("GC-JD").pk, **MARCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    words = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert PARAGRAPH in "".join(words.split())  # the lines wrap where the page ends them
    assert "尖东社工" in words  # who made it
    fonts = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [pdffonts, str(pdf)], capture_output=True, text=True, check=True
    )
    cjk = [
        line for line in fonts.stdout.splitlines() if "NotoSansCJKsc-GB2312" in line
    ]  # the vendored font
    assert cjk, fonts.stdout
    # pdffonts' columns: name type encoding emb sub uni object ID
    assert all(line.split()[-5] == "yes" for line in cjk), fonts.stdout


def test_each_download_is_an_audit_entry(client, world, march):
    jd = world.place("GC-JD")
    for kind in ("pdf", "xlsx"):
        assert download(client, world, kind, place=jd.pk, **MARCH).status_code == 200
    entries = AuditEntry.objects.filter(kind=Kind.EXPORT).order_by("seq")
    assert [e.detail["file"] for e in entries] == ["work_report.pdf", "work_report.xlsx"]
    last = entries.last()
    assert last.actor_username == "demo-shequ"
    assert last.detail["start"] == "2026-03-01"
    assert last.detail["end"] == "2026-03-31"
    assert last.target_id == str(jd.pk)


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
@pytest.mark.parametrize("user", ["demo-resident", "demo-tiaojie", "demo-admin", "demo-shequ2"])
def test_out_of_scope_downloads_are_404_and_not_audited(client, world, kind, user):
    jd = world.place("GC-JD").pk
    assert download(client, world, kind, user, place=jd, **MARCH).status_code == 404
    assert not AuditEntry.objects.filter(kind=Kind.EXPORT).exists()


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_a_bad_period_is_400_and_writes_nothing(client, world, kind):
    jd = world.place("GC-JD").pk
    response = download(client, world, kind, place=jd, start="2026-03-31", end="2026-03-01")
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(kind=Kind.EXPORT).exists()


def test_making_a_pdf_leaves_the_photo_check_refusing_a_jpeg_cut_short(client, world):
    """WeasyPrint, once imported, tells Pillow to load truncated images, process-wide."""
    from shuren.cases.intake.photos import clean_photo
    from shuren.cases.tests.test_photos import jpeg_bytes, upload

    client.force_login(world.user("demo-shequ"))
    assert (
        client.get("/insights/report/pdf/", {"place": world.place("GC-JD").pk}).status_code == 200
    )
    data = jpeg_bytes(size=(400, 300))
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(data[: len(data) // 2]))
    assert refused.value.code in {"photo_damaged", "photo_not_an_image"}
