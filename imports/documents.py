"""The downloadable template: the import's columns with Chinese headers and one example row."""

import io

from openpyxl import Workbook

from config.xlsx import append_row
from grids.validators import id_check_digit

from .columns import FIELDS

_EXAMPLE_ID = "11010519850312003"


def template_xlsx() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    append_row(sheet, [str(f.label) + ("*" if f.required else "") for f in FIELDS])
    example = {"id_number": _EXAMPLE_ID + id_check_digit(_EXAMPLE_ID)}
    append_row(sheet, [example.get(f.key, f.example) for f in FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
