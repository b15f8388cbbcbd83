"""A streaming reader of an xlsx file's first sheet whose memory does not grow with the file.

openpyxl's read-only mode streams the sheet but loads the whole shared-strings table (every distinct text
of the workbook, as Python strings) before the first row. Here the table goes to a temporary file as
UTF-8 with an array of offsets (8 bytes a string), and the sheet's XML is parsed with iterparse, each row
dropped once read. Cells come out as openpyxl gives them: numbers, text, booleans, and dates where the
cell's number format is a date one.
"""

import array
import datetime
import functools
import posixpath
import tempfile
import zipfile

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

# openpyxl's own choice of parser: defusedxml when installed, else the standard library's.
from openpyxl.xml.functions import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# The East Asian date formats Excel does not write into styles.xml (ECMA-376 §18.8.30).
EAST_ASIAN_DATE_IDS = {*range(27, 37), *range(50, 59)}


class XlsxError(Exception):
    pass


class SharedStrings:
    """The shared-strings table on disk: strings in a temporary file, their offsets in an array."""

    def __init__(self, source):
        self.data = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.offsets = array.array("Q", [0])
        self.get = functools.lru_cache(maxsize=4096)(self._read)
        if source is None:
            return
        root = None
        for event, element in iterparse(source, events=("start", "end")):
            if root is None:
                root = element
            if event == "end" and element.tag == f"{MAIN}si":
                self._append(_text_of(element))
                root.clear()  # keep nothing of the strings already stored

    def _append(self, text):
        self.data.write(text.encode("utf-8"))
        self.offsets.append(self.data.tell())

    def _read(self, index):
        start, end = self.offsets[index], self.offsets[index + 1]
        self.data.seek(start)
        return self.data.read(end - start).decode("utf-8")

    def __len__(self):
        return len(self.offsets) - 1

    def close(self):
        self.data.close()


def _text_of(element):
    """The text of a string item or inline string: its <t>, or the <t> of each rich-text run (not the
    phonetic <rPh> hints)."""
    parts = []
    for child in element:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return "".join(parts)


def _tree(book, name):
    """A small part of the package (workbook, relationships, styles) as a whole tree."""
    with book.open(name) as part:
        elements = [element for _event, element in iterparse(part, events=("start",))]
    return elements[0] if elements else None


class Workbook:
    def __init__(self, fileobj):
        try:
            self.zip = zipfile.ZipFile(fileobj)
            self.sheet_path = self._first_sheet()
            self.date_styles, self.epoch = self._styles()
        except (zipfile.BadZipFile, KeyError, StopIteration, SyntaxError, ValueError, OSError) as error:
            raise XlsxError(str(error)) from error
        self.strings = None

    def _load_strings(self):
        names = set(self.zip.namelist())
        part = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in names), None)
        if part is None:
            return SharedStrings(None)
        with self.zip.open(part) as source:
            return SharedStrings(source)

    def _first_sheet(self):
        book = _tree(self.zip, "xl/workbook.xml")
        sheet = next(book.iter(f"{MAIN}sheet"), None)
        if sheet is None:
            raise KeyError("no sheet")
        rid = sheet.get(f"{REL}id")
        rels = _tree(self.zip, "xl/_rels/workbook.xml.rels")
        target = next(r.get("Target") for r in rels.iter(f"{PKG_REL}Relationship") if r.get("Id") == rid)
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join("xl", target))

    def _styles(self):
        book = _tree(self.zip, "xl/workbook.xml")
        pr = next(book.iter(f"{MAIN}workbookPr"), None)
        epoch = CALENDAR_WINDOWS_1900
        if pr is not None and pr.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        if "xl/styles.xml" not in self.zip.namelist():
            return set(), epoch
        styles = _tree(self.zip, "xl/styles.xml")
        custom = {
            int(f.get("numFmtId")): f.get("formatCode", "")
            for f in styles.iter(f"{MAIN}numFmt")
            if f.get("numFmtId", "").isdigit()
        }
        dates = set()
        xfs = next(styles.iter(f"{MAIN}cellXfs"), None)
        for index, xf in enumerate(xfs if xfs is not None else ()):
            fmt = int(xf.get("numFmtId", "0") or 0)
            code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
            if fmt in EAST_ASIAN_DATE_IDS or (code and is_date_format(code)):
                dates.add(index)
        return dates, epoch

    def dimension_rows(self):
        """The last row of the sheet's recorded dimension (A1:K31001 → 31001), None without one."""
        try:
            with self.zip.open(self.sheet_path) as part:
                for _event, element in iterparse(part, events=("start",)):
                    if element.tag == f"{MAIN}dimension":
                        last = element.get("ref", "").split(":")[-1]
                        digits = "".join(c for c in last if c.isdigit())
                        return int(digits) if digits else None
                    if element.tag == f"{MAIN}sheetData":
                        return None
        except (zipfile.BadZipFile, KeyError, SyntaxError, ValueError, OSError) as error:
            raise XlsxError(str(error)) from error
        return None

    def rows(self):
        """Each row of the sheet as a list of values, blank rows included (as empty lists)."""
        expected = 1
        try:
            if self.strings is None:
                self.strings = self._load_strings()
            with self.zip.open(self.sheet_path) as part:
                parent = None
                for event, element in iterparse(part, events=("start", "end")):
                    if event == "start":
                        if element.tag == f"{MAIN}sheetData":
                            parent = element
                        continue
                    if element.tag != f"{MAIN}row":
                        continue
                    number = int(element.get("r") or expected)
                    while expected < number:
                        yield []
                        expected += 1
                    yield self._row(element)
                    expected = number + 1
                    if parent is not None:
                        parent.clear()  # rows already read are dropped
        except (zipfile.BadZipFile, KeyError, SyntaxError, ValueError, OSError) as error:
            raise XlsxError(str(error)) from error

    def _row(self, element):
        values = []
        for cell in element.iter(f"{MAIN}c"):
            ref = cell.get("r")
            if ref:
                column = column_index_from_string(ref.rstrip("0123456789"))
                values.extend([None] * (column - 1 - len(values)))
            values.append(self._value(cell))
        return values

    def _value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(f"{MAIN}is")
            return _text_of(inline) if inline is not None else None
        v = cell.find(f"{MAIN}v")
        text = v.text if v is not None else None
        if text is None:
            return None
        if kind == "s":
            return self.strings.get(int(text))
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text == "1"
        if kind == "d":
            return datetime.datetime.fromisoformat(text)
        number = float(text) if any(c in text for c in ".eE") else int(text)
        if int(cell.get("s", "0") or 0) in self.date_styles:
            return from_excel(number, self.epoch)
        return number

    def close(self):
        if self.strings is not None:
            self.strings.close()
        self.zip.close()
