"""The Excel template: sheets, columns, the Chinese labels of values, and the blank workbook.

The headers, sheet names and value labels are a file format shared between people, so they are
fixed Chinese text (the same file whatever language the user's screen is in); the importer also
accepts the English keys. Documented in docs/excel-template.md.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from shuren import spreadsheet
from shuren.places.models import PlaceKind, Relation


@dataclass(frozen=True)
class Column:
    key: str  # English key, accepted as a header too
    header: str  # the Chinese header written in the template
    help: str  # what goes in it, for the 说明 sheet
    example: str = ""
    required: bool = False
    width: int = 14
    text: bool = True  # format as text so Excel keeps leading zeros and long digit strings
    choices: tuple[str, ...] = ()  # a drop-down list in the template


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    help: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# Value labels in the file. The first label of each value is the one written on export.
KIND_LABELS: dict[str, tuple[str, ...]] = {
    PlaceKind.SUBDISTRICT: ("街道",),
    PlaceKind.COMMUNITY: ("社区", "村"),
    PlaceKind.ESTATE: ("小区",),
    PlaceKind.LANE: ("村巷", "巷"),
    PlaceKind.STREET: ("街", "街巷"),
    PlaceKind.BUILDING: ("楼栋", "楼", "栋"),
    PlaceKind.UNIT: ("单元", "楼道", "楼道/单元"),
    PlaceKind.FLOOR_BAND: ("楼层段",),
}
RELATION_LABELS: dict[str, tuple[str, ...]] = {
    Relation.HEAD: ("户主", "本人"),
    Relation.SPOUSE: ("配偶",),
    Relation.CHILD: ("子女",),
    Relation.PARENT: ("父母",),
    Relation.RELATIVE: ("其他亲属", "亲属"),
    Relation.TENANT: ("租户", "租客"),
    Relation.OTHER: ("其他",),
}
YES, NO = "是", "否"
OWNER_SEPARATORS = "、,，;；"

PLACES = Sheet(
    key="places",
    title="区划",
    help="一行一个区划（街道、社区、小区、村巷、街、楼栋、单元、楼层段）。上级可以在本表中，"
    "也可以是系统里已有的区划；行的先后顺序不限。",
    columns=(
        Column(
            "code",
            "编码",
            "区划的唯一编码，重复导入时按它更新（必填，最长 40 个字符）。",
            "GC-JD-JYLW-B01",
            required=True,
            width=22,
        ),
        Column(
            "kind",
            "类型",
            "街道、社区、小区、村巷、街、楼栋、单元、楼层段之一（也可填英文值，如 building）。"
            "已有区划的类型不能通过导入更改。",
            "楼栋",
            required=True,
            width=10,
            choices=tuple(labels[0] for labels in KIND_LABELS.values()),
        ),
        Column("name", "名称", "区划的名称（必填，最长 100 个字符）。", "1栋", required=True),
        Column(
            "parent_code",
            "上级编码",
            "上级区划的编码；只有街道可以不填。上级必须在您可以编辑的范围内。"
            "填写与系统中不同的上级，会把这个区划连同下属一起移过去。",
            "GC-JD-JYLW",
            width=22,
        ),
        Column(
            "official_code",
            "统计用区划代码",
            "国家统计局的统计用区划代码（最多 12 位数字），没有可不填。",
            "440605011001",
            width=16,
        ),
        Column("storeys", "层数", "楼栋的地上层数（整数），可不填。", "18", width=8, text=False),
        Column(
            "floor_from",
            "起始楼层",
            "楼层段的起始楼层（整数），可不填。",
            "1",
            width=10,
            text=False,
        ),
        Column(
            "floor_to",
            "结束楼层",
            "楼层段的结束楼层（整数，不小于起始楼层），可不填。",
            "28",
            width=10,
            text=False,
        ),
        Column(
            "property_company_code",
            "物业公司编码",
            "只用于小区：管理它的物业公司（队伍）编码；没有物业公司（自治管理）时留空。",
            "WY-JYLW",
            width=16,
        ),
        Column(
            "address", "地址", "地址（最长 200 个字符），可不填。", "桂城街道南海大道", width=24
        ),
    ),
)

HOUSEHOLDS = Sheet(
    key="households",
    title="住户",
    help="一行一户（一套房屋，即专有部分）。户所在的区划必须是楼栋、单元或楼层段。",
    columns=(
        Column(
            "code",
            "户编码",
            "户的唯一编码，重复导入时按它更新（必填，最长 60 个字符）。",
            "H-B01-101",
            required=True,
            width=18,
        ),
        Column(
            "place_code",
            "区划编码",
            "户所在楼栋、单元或楼层段的编码（本文件“区划”表中的，或系统里已有的）。",
            "GC-JD-JYLW-B01-U1",
            required=True,
            width=22,
        ),
        Column(
            "room",
            "房号",
            "房号（必填，最长 20 个字符），同一区划内不能重复。",
            "101",
            required=True,
            width=10,
        ),
        Column(
            "floor", "楼层", "所在楼层（整数，地下层用负数），可不填。", "1", width=8, text=False
        ),
        Column(
            "exclusive_area",
            "专有面积（㎡）",
            "不动产登记的专有部分面积，单位平方米，大于 0，最多两位小数；业主表决按它计算。",
            "89.50",
            width=14,
            text=False,
        ),
        Column(
            "owner_codes",
            "业主编码",
            "业主的人员编码，多个用“、”或“,”分隔；人员可以在“居民”表中，或系统里已有。"
            "导入后这户的业主就是这里列出的人（您看不到的业主保持不变）；留空表示没有业主。",
            "P-WANG、P-LI",
            width=20,
        ),
    ),
)

RESIDENTS = Sheet(
    key="residents",
    title="居民",
    help="一行一人一户：居住在某户的人员及其与户主的关系。只是业主、不在这里居住的人，"
    "户编码留空。同一个人住在几户，就写几行，姓名、电话等要一致。",
    columns=(
        Column(
            "person_code",
            "人员编码",
            "人员的唯一编码，重复导入时按它更新（必填，最长 60 个字符，不能含“、”或逗号）。",
            "P-WANG",
            required=True,
            width=16,
        ),
        Column("name", "姓名", "姓名（必填，最长 50 个字符）。", "王秀英", required=True, width=10),
        Column(
            "phone",
            "电话",
            "11 位手机号，或固定电话（数字和“-”），可不填。含“*”的遮蔽值表示保持系统中的原值。",
            "13812345678",
            width=16,
        ),
        Column(
            "id_number",
            "身份证号",
            "18 位公民身份号码（按 GB 11643 校验末位），可不填。含“*”的遮蔽值表示保持原值。",
            "440602195803031231",
            width=22,
        ),
        Column(
            "party_member",
            "党员",
            "是 或 否；不填视为否。",
            YES,
            width=8,
            choices=(YES, NO),
        ),
        Column(
            "household_code",
            "户编码",
            "居住的户的编码（本文件“住户”表中的，或系统里已有的）；只是业主时留空。",
            "H-B01-101",
            width=18,
        ),
        Column(
            "relation",
            "与户主关系",
            "户主、配偶、子女、父母、其他亲属、租户、其他之一；填了户编码时必填。",
            "户主",
            width=12,
            choices=tuple(labels[0] for labels in RELATION_LABELS.values()),
        ),
        Column(
            "leader_sees_phone",
            "楼长可见电话",
            "是：本人同意所在楼栋的楼长查看其电话以便联系（每次查看都有记录）；否：不同意。"
            "不填：新人员视为否，已有人员保持系统中的选择。",
            NO,
            width=12,
            choices=(YES, NO),
        ),
    ),
)

SHEETS: tuple[Sheet, ...] = (PLACES, HOUSEHOLDS, RESIDENTS)
HELP_TITLE = "说明"
# How many rows of the blank template carry the drop-down lists.
TEMPLATE_ROWS = 5000

_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="9C0006")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def start_data_sheet(wb: Workbook, sheet: Sheet, *, with_lists: bool) -> object:
    """Add a write-only sheet with its widths, text formats, drop-downs and header row."""
    ws = wb.create_sheet(sheet.title)
    for index, column in enumerate(sheet.columns, start=1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.text:
            dimension.number_format = "@"
        if with_lists and column.choices:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            ws.data_validations.append(validation)
    ws.freeze_panes = "A2"
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(spreadsheet.cell(ws, cell))
    ws.append(header)
    return ws


def _write_help_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(HELP_TITLE)
    for letter, width in zip("ABCDE", (10, 16, 8, 70, 22), strict=True):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")

    def row(*values: str, bold: bool = False) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = wrap
            if bold:
                cell.font = _HEADER_FONT
            cells.append(spreadsheet.cell(ws, cell))
        ws.append(cells)

    row("熟人 · 区划、住户、居民导入模板", bold=True)
    row(
        "规则",
        "",
        "",
        "整份文件要么全部导入，要么一行也不写入：有任何错误时，系统列出每处错误"
        "（工作表、行号、列、原因），改正后重新上传即可。按编码更新：同一文件导入两次，"
        "结果相同。表头必须保留在第 1 行，列的先后顺序不限；空行会被跳过。"
        "标红的列为必填。",
    )
    row("")
    row("工作表", "列", "必填", "说明", "示例", bold=True)
    for sheet in SHEETS:
        row(sheet.title, "", "", sheet.help, "", bold=True)
        for column in sheet.columns:
            row("", column.header, YES if column.required else "", column.help, column.example)
        row("")


def _cells(ws: Any, sheet: Sheet, row: Mapping[str, Any] | Sequence[Any]) -> list[Any]:
    """One data row: areas with two decimals, text that looks like a formula kept as text."""
    values = [row.get(c.key) for c in sheet.columns] if isinstance(row, Mapping) else list(row)
    for index, value in enumerate(values):
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "0.00"
            values[index] = cell
    return spreadsheet.row(ws, values)


def write_workbook(
    rows: Mapping[str, Iterable[Mapping[str, Any] | Sequence[Any]]], *, with_help: bool = False
) -> bytes:
    """A filled workbook: for each sheet key, rows as lists in column order or dicts by key."""
    wb = Workbook(write_only=True)
    if with_help:
        _write_help_sheet(wb)
    for sheet in SHEETS:
        ws = start_data_sheet(wb, sheet, with_lists=False)
        for row in rows.get(sheet.key, ()):
            ws.append(_cells(ws, sheet, row))  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_template() -> bytes:
    """The blank template: the 说明 sheet first, then one empty sheet per kind of row."""
    wb = Workbook(write_only=True)
    _write_help_sheet(wb)
    for sheet in SHEETS:
        start_data_sheet(wb, sheet, with_lists=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
