"""The Excel export: only what the user sees, masked unless unmasking is allowed and logged,
and a file that imports back cleanly."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook

from shuren.access.models import AccessLog
from shuren.places.excel.actions import import_places
from shuren.places.excel.exporter import export_workbook
from shuren.places.tests.test_excel_import import EXCEL_URLS, persons_but_versions, snapshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True, scope="module")
def chinese_catalog():
    call_command("compiletranslations", stdout=io.StringIO())
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        yield


@pytest.fixture(autouse=True)
def in_chinese():
    with translation.override("zh-hans"):
        yield


def sheets(content: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def column(rows: list[tuple], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def resident(content: bytes, code: str) -> dict:
    rows = sheets(content)["居民"]
    return next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == code)


# --- what is exported ----------------------------------------------------------------------


def test_the_export_has_the_three_sheets_of_the_template(world):
    content = export_workbook(user=world.user("demo-shequ"))
    book = sheets(content)
    assert list(book) == ["区划", "住户", "居民"]
    assert book["住户"][0] == ("户编码", "区划编码", "房号", "楼层", "专有面积（㎡）", "业主编码")


def test_the_export_holds_only_what_the_user_can_see(world):
    book = sheets(export_workbook(user=world.user("demo-shequ")))
    places = set(column(book["区划"], "编码"))
    assert {"GC-JD", "GC-JD-JYLW", "GC-JD-JYLW-B02-U1", "GC-JD-JDXC-B01"} <= places
    assert not {p for p in places if p.startswith("GC-TC")}
    assert "GC" not in places
    assert set(column(book["住户"], "户编码")) == {
        "H-B01-101",
        "H-B01-102",
        "H-B02-201",
        "H-JDXC-101",
    }
    assert "P-HUANG" not in column(book["居民"], "人员编码")


def test_the_top_of_the_scope_gives_no_parent_code(world):
    book = sheets(export_workbook(user=world.user("demo-shequ")))
    parents = dict(zip(column(book["区划"], "编码"), column(book["区划"], "上级编码"), strict=True))
    assert parents["GC-JD"] is None  # 桂城街道 is outside this user's scope
    assert parents["GC-JD-JYLW"] == "GC-JD"


def test_an_export_can_start_at_one_place(world):
    building = world.place("GC-JD-JYLW-B01")
    book = sheets(export_workbook(user=world.user("demo-shequ"), root=building))
    assert column(book["区划"], "编码") == ["GC-JD-JYLW-B01", "GC-JD-JYLW-B01-U1"]
    assert column(book["区划"], "上级编码")[0] == "GC-JD-JYLW"
    assert column(book["住户"], "户编码") == ["H-B01-101", "H-B01-102"]
    assert set(column(book["居民"], "人员编码")) == {"P-WANG", "P-WANG-SON", "P-CHEN"}


def test_a_place_outside_the_scope_cannot_be_the_root(world):
    with pytest.raises(PermissionDenied):
        export_workbook(user=world.user("demo-shequ"), root=world.place("GC-TC-JYZY"))


def test_areas_kinds_and_relations_are_written_as_in_the_template(world):
    book = sheets(export_workbook(user=world.user("demo-louzhang")))
    assert column(book["区划"], "类型") == ["楼栋", "单元"]
    assert column(book["住户"], "专有面积（㎡）") == [89.5, 120.25]
    assert column(book["住户"], "业主编码") == ["P-WANG", "P-CHEN"]
    assert column(book["居民"], "与户主关系") == ["户主", "子女", "户主"]


# --- masking -------------------------------------------------------------------------------


def test_phone_and_id_numbers_are_masked_and_nothing_is_logged(world):
    content = export_workbook(user=world.user("demo-shequ"))
    wang = resident(content, "P-WANG")
    assert (wang["电话"], wang["身份证号"]) == ("138****5678", "4406**********1231")
    assert not AccessLog.objects.exists()


def test_unmasking_writes_full_numbers_and_one_log_row_without_them(world):
    user = world.user("demo-shequ")
    content = export_workbook(user=user, unmask=True, reason="核对人口信息", ip_address="10.0.0.1")

    wang = resident(content, "P-WANG")
    assert (wang["电话"], wang["身份证号"]) == ("13812345678", "440602195803031231")
    (log,) = AccessLog.objects.all()
    assert (log.user, log.action, log.object_type, log.fields) == (
        user,
        AccessLog.Action.EXPORT,
        "person",
        "phone,id_number",
    )
    assert log.reason == "核对人口信息"
    assert log.count == 5
    assert log.ip_address == "10.0.0.1"
    assert "13812345678" not in f"{log.reason}{log.fields}{log.object_id}"


@pytest.mark.parametrize("username", ["demo-louzhang", "demo-wuye", "demo-admin", "demo-resident"])
def test_roles_that_may_not_unmask_cannot_export_unmasked(world, username):
    with pytest.raises(PermissionDenied):
        export_workbook(user=world.user(username), unmask=True, reason="想看")
    assert not AccessLog.objects.exists()


def test_unmasking_needs_a_reason(world):
    with pytest.raises(ValueError, match="reason"):
        export_workbook(user=world.user("demo-shequ"), unmask=True, reason="  ")
    assert not AccessLog.objects.exists()


# --- round trip ----------------------------------------------------------------------------


@pytest.mark.parametrize("unmask", [False, True])
def test_an_exported_file_imports_back_without_changes(world, unmask):
    user = world.user("demo-shequ")
    content = export_workbook(user=user, unmask=unmask, reason="核对" if unmask else "")
    before = snapshot()

    persons = persons_but_versions()

    report = import_places(actor=user, file=content)

    assert report.ok, report.lines()
    assert report.places.unchanged == 8
    assert report.households.unchanged == 4
    assert persons_but_versions() == persons
    if unmask:
        # Full numbers are never compared with the stored ones (test_excel_import_oracle.py):
        # each person with one counts as updated, and the same numbers are written back.
        assert (report.persons.created, report.persons.updated) == (0, report.persons.total)
        return
    for _what, counts in report.count_rows():
        assert counts.created == counts.updated == 0
    assert snapshot() == before


def test_an_edited_export_updates_what_was_edited_only(world):
    user = world.user("demo-shequ")
    wb = load_workbook(io.BytesIO(export_workbook(user=user)))
    ws = wb["住户"]
    ws["E2"] = 91.25
    ws = wb["居民"]
    ws["B2"] = "王秀英（新）"
    buffer = io.BytesIO()
    wb.save(buffer)

    report = import_places(actor=user, file=buffer.getvalue())

    assert (report.households.updated, report.persons.updated) == (1, 1)
    assert str(world.household("H-B01-101").exclusive_area) == "91.25"
    wang = world.person("P-WANG")
    assert (wang.name, wang.phone) == ("王秀英（新）", "13812345678")  # masked phone kept


# --- the command and the pages -------------------------------------------------------------


def test_the_commands_write_the_template_and_an_export(world, tmp_path):
    call_command("exceltemplate", str(tmp_path / "t.xlsx"), stdout=io.StringIO())
    template = sheets((tmp_path / "t.xlsx").read_bytes())
    assert list(template) == ["说明", "区划", "住户", "居民"]
    assert any("专有面积（㎡）" in row for row in template["说明"])
    assert len(template["住户"]) == 1  # the header only

    call_command(
        "exportplaces", str(tmp_path / "e.xlsx"), user="demo-louzhang", stdout=io.StringIO()
    )
    assert column(sheets((tmp_path / "e.xlsx").read_bytes())["住户"], "户编码") == [
        "H-B01-101",
        "H-B01-102",
    ]
    with pytest.raises(CommandError, match="无权查看"):
        call_command(
            "exportplaces",
            str(tmp_path / "u.xlsx"),
            user="demo-louzhang",
            unmask=True,
            reason="x",
            stdout=io.StringIO(),
        )


@pytest.mark.urls(EXCEL_URLS)
@pytest.mark.parametrize(
    "url", ["/places/excel/template/", "/places/excel/export/", "/places/excel/import/"]
)
@pytest.mark.parametrize("username", ["demo-louzhang", "demo-resident", "demo-auditor"])
def test_the_pages_are_a_404_for_users_who_may_not_import(client, login, url, username):
    login(username)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code in {404, 405}


@pytest.mark.urls(EXCEL_URLS)
def test_the_pages_send_anonymous_users_to_log_in(client):
    response = client.get("/places/excel/export/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.urls(EXCEL_URLS)
def test_the_template_page_downloads_the_blank_template(client, login):
    login("demo-shequ")
    response = client.get("/places/excel/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert list(sheets(response.content)) == ["说明", "区划", "住户", "居民"]


@pytest.mark.urls(EXCEL_URLS)
def test_the_export_page_downloads_a_masked_file(client, login):
    login("demo-shequ")
    assert "导出范围" in client.get("/places/excel/export/").content.decode()
    response = client.post("/places/excel/export/", {"root": "GC-JD-JYLW-B01"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert resident(response.content, "P-WANG")["电话"] == "138****5678"
    assert not AccessLog.objects.exists()


@pytest.mark.urls(EXCEL_URLS)
def test_the_export_page_unmasks_with_a_reason_and_logs_it(client, login):
    login("demo-shequ")
    refused = client.post("/places/excel/export/", {"unmask": "on", "reason": ""})
    assert "请说明需要完整号码的原因。" in refused.content.decode()
    assert not AccessLog.objects.exists()

    response = client.post("/places/excel/export/", {"unmask": "on", "reason": "入户走访"})
    assert resident(response.content, "P-WANG")["电话"] == "13812345678"
    assert AccessLog.objects.get().reason == "入户走访"


@pytest.mark.urls(EXCEL_URLS)
def test_the_system_administrators_export_holds_the_places_and_no_resident(client, login):
    # 三员分立: it keeps the place tree; households and residents are not its to read.
    login("demo-admin")
    page = client.get("/places/excel/export/").content.decode()
    assert 'name="unmask"' not in page
    response = client.post("/places/excel/export/", {"unmask": "on", "reason": "想看"})
    book = sheets(response.content)
    assert any(row[0] == "GC-JD-JYLW-B01" for row in book["区划"])
    assert book["住户"][1:] == []
    assert book["居民"][1:] == []
    assert not AccessLog.objects.exists()


@pytest.mark.urls(EXCEL_URLS)
def test_the_export_page_treats_a_place_outside_the_scope_like_a_missing_one(client, login):
    login("demo-shequ")

    def page(code: str) -> str:
        html = client.post("/places/excel/export/", {"root": code}).content.decode()
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", html)

    outside = page("GC-TC-JYZY")
    assert "没有您可以查看的这个区划编码。" in outside
    assert outside.replace("GC-TC-JYZY", "NOPE") == page("NOPE")
