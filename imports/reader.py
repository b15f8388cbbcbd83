"""Reading an uploaded registry file, xlsx or csv, one row at a time.

xlsx goes through `imports.xlsx`, which streams the sheet's XML and keeps the shared strings on disk, so a
31,000-row file costs the same memory as a 100-row one (openpyxl's read-only mode streams the sheet but
holds every shared string in memory); csv through the csv module, in UTF-8 or, as Excel saves it on a
Chinese system, GB18030.
"""

import csv
import datetime
import io

from . import xlsx


class UnreadableFile(Exception):
    pass


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _open_xlsx(fileobj):
    try:
        return xlsx.Workbook(fileobj)
    except xlsx.XlsxError as error:
        raise UnreadableFile(str(error)) from error


def _xlsx_rows(fileobj):
    book = _open_xlsx(fileobj)
    try:
        for row in book.rows():
            yield [_cell(v) for v in row]
    except xlsx.XlsxError as error:
        raise UnreadableFile(str(error)) from error
    finally:
        book.close()


def _csv_rows(fileobj):
    head = fileobj.read(65536)
    fileobj.seek(0)
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    try:
        for row in csv.reader(text):
            yield [_cell(v) for v in row]
    except (UnicodeDecodeError, csv.Error) as error:
        raise UnreadableFile(str(error)) from error
    finally:
        text.detach()  # the caller's file stays open


def is_csv(name) -> bool:
    return str(name).lower().endswith(".csv")


def iter_rows(fileobj, name):
    """Yield every row of the first sheet as a list of cell values (text stripped, whole floats as int)."""
    yield from (_csv_rows(fileobj) if is_csv(name) else _xlsx_rows(fileobj))


def read_headers(fileobj, name) -> list:
    for row in iter_rows(fileobj, name):
        return [str(v).strip() if v is not None else "" for v in row]
    return []


def iter_records(fileobj, name, start=0):
    """(index, {header: value}) for each data row from `start` (0 = the row after the headers).
    Blank rows keep their index (so a cursor stays valid) and come as an empty dict."""
    rows = iter_rows(fileobj, name)
    headers = None
    for position, row in enumerate(rows):
        if headers is None:
            headers = [str(v).strip() if v is not None else "" for v in row]
            continue
        index = position - 1
        if index < start:
            continue
        record = {h: v for h, v in zip(headers, row, strict=False) if h and v not in (None, "")}
        yield index, record


def count_records(fileobj, name):
    """Data rows: counted for csv (cheap), the sheet's recorded dimension for xlsx (None without one)."""
    if is_csv(name):
        return max(sum(1 for _row in iter_rows(fileobj, name)) - 1, 0)
    book = _open_xlsx(fileobj)
    try:
        rows = book.dimension_rows()
    except xlsx.XlsxError as error:
        raise UnreadableFile(str(error)) from error
    finally:
        book.close()
    return max(rows - 1, 0) if rows else None
