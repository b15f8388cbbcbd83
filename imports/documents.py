"""The downloadable template of an import kind (its columns with Chinese headers and one example row), and
the one way an import writes a sheet (`rows_xlsx`)."""

import io

from openpyxl import Workbook

from config.xlsx import append_row
from grids.validators import id_check_digit

from .columns import FIELDS

_EXAMPLE_ID = "11010519850312003"


def registry_example() -> dict:
    """The registry template's example values that are computed (a valid ID number)."""
    return {"id_number": _EXAMPLE_ID + id_check_digit(_EXAMPLE_ID)}


def rows_xlsx(rows) -> bytes:
    """A one-sheet workbook of these rows (each through config.xlsx.append_row)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(fields=FIELDS, example=None) -> bytes:
    """A kind's template: its fields' labels (required ones starred) and one example row."""
    example = registry_example() if example is None else example
    return rows_xlsx(
        [
            [str(f.label) + ("*" if f.required else "") for f in fields],
            [example.get(f.key, f.example) for f in fields],
        ]
    )
