"""The streaming xlsx reader gives what openpyxl gives, cell for cell, without holding the shared strings
in memory."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from bench.imports import with_shared_strings
from imports import reader, xlsx


def _book_bytes(fill):
    book = Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _openpyxl_rows(data):
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    return [_trim(list(r)) for r in sheet.iter_rows(values_only=True)]


def _trim(row):
    while row and row[-1] is None:
        row = row[:-1]
    return row


def _fill(sheet):
    sheet.append(["姓名", "出生日期", "房号", "党员", "面积", "备注"])
    sheet.append(["陈晓明", datetime.date(1985, 3, 12), 301, True, 72.5, None])
    sheet.append([None, datetime.datetime(2020, 6, 1, 12, 30), 13800138000, False, 1.0, "流动"])
    sheet.cell(row=6, column=4, value="隔行")  # rows 4 and 5 blank, columns A-C empty
    sheet["B7"] = 43831
    sheet["B7"].number_format = "yyyy年m月d日"  # a custom date format
    sheet["A8"] = CellRichText(["幸福", TextBlock(InlineFont(b=True), "苑")])


def test_cells_come_out_as_openpyxl_reads_them():
    data = _book_bytes(_fill)
    book = xlsx.Workbook(io.BytesIO(data))
    try:
        mine = [_trim(r) for r in book.rows()]
        assert book.dimension_rows() == 8
    finally:
        book.close()
    assert mine == _openpyxl_rows(data)
    assert mine[1] == ["陈晓明", datetime.datetime(1985, 3, 12), 301, True, 72.5]
    assert mine[3] == [] and mine[4] == []
    assert mine[5] == [None, None, None, "隔行"]
    assert mine[6][1] == datetime.datetime(2020, 1, 1)
    assert mine[7] == ["幸福苑"]


def test_the_shared_strings_live_in_a_file_not_in_memory():
    # openpyxl writes texts inline; Excel and WPS put them in the shared-strings table, as here.
    data = with_shared_strings(
        _book_bytes(lambda sheet: [sheet.append([f"居民{i}", "户籍"]) for i in range(300)])
    )
    book = xlsx.Workbook(io.BytesIO(data))
    try:
        rows = list(book.rows())
        assert len(book.strings) == 301  # 300 names and 户籍 once
        assert book.strings.data.tell() > 0 and book.strings.offsets.itemsize == 8
    finally:
        book.close()
    assert rows[299] == ["居民299", "户籍"]
    assert [_trim(r) for r in rows] == _openpyxl_rows(data)


def test_an_east_asian_builtin_date_format_is_a_date():
    """Chinese Excel writes 31 (yyyy年m月d日) without declaring it in styles.xml."""
    data = _book_bytes(lambda sheet: sheet.append([43831]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                content = content.replace(b'<cellXfs count="1">', b'<cellXfs count="2">').replace(
                    b"</cellXfs>", b'<xf numFmtId="31" fontId="0" fillId="0" borderId="0"/></cellXfs>'
                )
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<c r="A1"', b'<c r="A1" s="1"')
            dst.writestr(item, content)
    assert list(reader.iter_rows(io.BytesIO(out.getvalue()), "a.xlsx")) == [[datetime.date(2020, 1, 1)]]


@pytest.mark.parametrize("data", [b"not a zip", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_unreadable(data):
    with pytest.raises(reader.UnreadableFile):
        reader.read_headers(io.BytesIO(data), "a.xlsx")
