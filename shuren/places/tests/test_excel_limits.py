"""What reading a workbook may cost is bounded (issue 10: a 300,001-row file held a request for
73 s): a file past the row limit is refused while it streams in, a zip that would unpack to far
more than its rows need is refused unread, and a sheet's lying dimension is not believed."""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from shuren.places.excel.actions import import_places
from shuren.places.excel.reading import (
    UNPACKED_BASE,
    UNPACKED_PER_ROW,
    RowBudget,
    TooManyRows,
    data_rows,
    read_workbook,
    sheet_rows,
)
from shuren.places.excel.template import write_workbook
from shuren.places.models import Place
from shuren.places.tests.test_excel_import import (
    EXCEL_URLS,
    fifty_rows,
    new_estate,
    snapshot,
    upload,
)

IMPORT_URL = "/places/excel/import/"


def too_many(limit: int) -> str:
    return (
        f"文件的数据行超过 {limit} 行（各工作表合计），已停止读取。"
        f"请拆分为每份不超过 {limit} 行的文件。"
    )


def test_the_reader_stops_at_the_first_row_past_the_limit():
    pulled = []

    def sheet():  # a sheet of 1,000 rows, every third one empty
        for n in range(1000):
            pulled.append(n)
            yield (None, " ") if n % 3 == 2 else (f"P-{n}", "张三")

    rows = data_rows(sheet(), RowBudget(10))
    read = [number for number, _values in itertools.islice(rows, 10)]
    with pytest.raises(TooManyRows):
        next(rows)

    assert read == [2, 3, 5, 6, 8, 9, 11, 12, 14, 15]  # Excel's numbers, empty rows skipped
    # The eleventh data row is the 16th row read (five empty ones came before it), and no
    # row after it is read.
    assert len(pulled) == 16


def test_the_row_limit_counts_every_sheet_of_the_file(world):
    rows = fifty_rows()  # 5 places, 20 households, 25 residents
    before = snapshot()

    with override_settings(SHUREN_IMPORT_MAX_ROWS=49):
        report = import_places(actor=world.user("demo-shequ"), file=write_workbook(rows))

    assert [str(e) for e in report.errors] == [too_many(49)]
    assert report.summary().startswith("没有导入任何数据")
    assert snapshot() == before
    with override_settings(SHUREN_IMPORT_MAX_ROWS=50):
        assert import_places(actor=world.user("demo-shequ"), file=write_workbook(rows)).ok


def test_a_large_generated_workbook_is_refused_with_one_message(world):
    # 3,000 residents, every one with an ID number that would be an error if it were parsed.
    residents = [
        {"person_code": f"BIG-{n}", "name": "张三", "id_number": "123", "household_code": "H"}
        for n in range(3000)
    ]
    content = write_workbook({"residents": residents})

    with override_settings(SHUREN_IMPORT_MAX_ROWS=100):
        report = import_places(actor=world.user("demo-shequ"), file=content, dry_run=True)

    assert [str(e) for e in report.errors] == [too_many(100)]


@pytest.mark.urls(EXCEL_URLS)
def test_the_import_page_names_the_limit(client, login):
    login("demo-shequ")
    with override_settings(SHUREN_IMPORT_MAX_ROWS=3):
        response = client.post(
            IMPORT_URL, {"file": upload("big.xlsx", write_workbook(new_estate()))}
        )
    assert response.status_code == 200
    assert too_many(3) in response.content.decode()
    assert not Place.objects.filter(code="XY").exists()


def with_part(content: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one part replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, data)
    return out.getvalue()


def residents_sheet(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet3.xml").decode()


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet3.xml"])
def test_a_workbook_that_would_unpack_to_far_more_than_its_rows_is_refused_unread(world, part):
    limit = 100
    allowed = UNPACKED_BASE + limit * UNPACKED_PER_ROW
    content = write_workbook(new_estate())
    if part.endswith("sharedStrings.xml"):
        bomb = b"<sst>" + b"<si><t>x</t></si>" * (allowed // 16) + b"</sst>"
    else:  # the residents' sheet: its header, then rows and rows of empty styled cells
        head, tail = residents_sheet(content).split("</row>", 1)
        empty = b'<row><c s="1"/><c s="1"/><c s="1"/><c s="1"/></row>'
        bomb = head.encode() + b"</row>" + empty * (allowed // len(empty)) + tail.encode()
    assert len(bomb) > allowed
    bombed = with_part(content, part, bomb)
    assert len(bombed) < 200_000  # a small upload

    with override_settings(SHUREN_IMPORT_MAX_ROWS=limit):
        report = import_places(actor=world.user("demo-shequ"), file=bombed)

    assert [e.message for e in report.errors] == [
        f"这个工作簿解压后会超过 {allowed // (1024 * 1024)} MB，超出 {limit} 行数据所需，"
        "未读取。请拆分为较小的文件。"
    ]
    assert not Place.objects.filter(code="XY").exists()


def lying(content: bytes, far_row: int) -> bytes:
    """The workbook with a residents' sheet that claims every column of Excel, and one more
    resident far down the sheet."""
    xml = residents_sheet(content)
    xml = xml.replace("</sheetPr>", '</sheetPr><dimension ref="A1:XFD1048576"/>', 1)
    far = (
        f'<row r="{far_row}"><c r="A{far_row}" t="inlineStr"><is><t>P-FAR</t></is></c>'
        f'<c r="B{far_row}" t="inlineStr"><is><t>远方</t></is></c></row>'
    )
    xml = xml.replace("</sheetData>", far + "</sheetData>", 1)
    return with_part(content, "xl/worksheets/sheet3.xml", xml.encode())


def test_a_sheet_whose_dimension_lies_is_read_only_as_wide_as_its_columns():
    content = lying(write_workbook(new_estate()), 20_000)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    ws = wb["居民"]
    assert ws.max_column == 16384  # what the sheet claims

    rows = list(sheet_rows(ws, 8))

    assert {len(values) for values in rows} == {8}
    assert rows[-1][:2] == ("P-FAR", "远方")
    wb.close()


def test_a_workbook_whose_dimension_lies_reads_as_what_it_holds():
    parsed = read_workbook(lying(write_workbook(new_estate()), 20_000))

    codes = [(r.row, r.person_code) for r in parsed.residents]
    assert codes == [(2, "P-XY-1"), (3, "P-XY-2"), (4, "P-XY-2"), (5, "P-XY-3"), (20_000, "P-FAR")]
