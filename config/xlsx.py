"""Rows for every xlsx export: what people typed is written as text, never as a formula.

openpyxl stores a string that begins with "=" as a formula, so a visit note "=HYPERLINK(...)" would run in
the spreadsheet of whoever opens the ledger (CSV/formula injection). Each string goes in as a cell of type
text instead, keeping the user's words exactly as they are; numbers and dates keep their types. A string that
starts like a formula also gets Excel's quote prefix (the hidden apostrophe), so editing the cell in Excel or
WPS keeps it text instead of turning it into a formula on Enter.
"""

from openpyxl.cell.cell import Cell

# What spreadsheets read as the start of a formula (or of a DDE payload after a tab or line break).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def append_row(sheet, values) -> None:
    """`sheet.append(values)`, with every string stored as text (works on normal and write-only sheets).
    openpyxl already stores a string as text unless it begins with "=", so only a string that starts like
    a formula is wrapped in a cell of its own (a cell per value would cost more than writing the row)."""
    row = []
    for value in values:
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell = Cell(sheet, row=1, column=1, value=value)  # append() sets the real position
            cell.data_type = "s"
            cell.quotePrefix = True
            row.append(cell)
        else:
            row.append(value)
    sheet.append(row)
