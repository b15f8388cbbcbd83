"""What people typed reaches a spreadsheet as text: a note that starts like a formula never runs."""

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from config.xlsx import append_row
from visits.services import visit_record

HOSTILE = ['=HYPERLINK("http://x.example","点这里")', "+1+2", "-3+4", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("write_only", [False, True])
def test_every_formula_like_start_is_stored_as_text(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    append_row(sheet, [*HOSTILE, 7, 1.5, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = next(load_workbook(buffer).worksheets[0].iter_rows(min_row=1, max_row=1))
    # The user's words, unchanged (XML reads a lone carriage return back as a line feed).
    assert [c.value for c in row[: len(HOSTILE)]] == [v.replace("\r", "\n") for v in HOSTILE]
    assert {c.data_type for c in row[: len(HOSTILE)]} == {"s"}  # text, not formulas ("f")
    # Quote-prefixed, so that editing the cell in Excel or WPS does not turn it into a formula.
    assert all(c.quotePrefix for c in row[: len(HOSTILE)])
    assert [c.value for c in row[len(HOSTILE) : len(HOSTILE) + 2]] == [7, 1.5]  # numbers stay numbers


def test_a_visit_note_that_looks_like_a_formula_is_text_in_the_ledger(world, client_for):
    visit_record(
        household=world.h1,
        visited_on=timezone.localdate(),
        residents_met=[world.r1],
        situation=HOSTILE[0],
        by=world.bob,
    )
    response = client_for(world.alice).get("/dashboard/visits/export.xlsx")
    assert response.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    note = next(c for c in cells if c.value == HOSTILE[0])
    assert note.data_type == "s"
    assert not any(c.data_type == "f" for c in cells)
