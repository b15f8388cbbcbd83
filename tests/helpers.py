"""Small helpers shared by several test modules."""

import csv
import io
import threading
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook


def result_ids(response) -> set:
    """The ids of one page of a paginated API list, after checking it answered 200."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def wait_for(condition, timeout=20):
    """Poll `condition` until it is true (returns True) or `timeout` seconds pass (returns False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def run_at_once(*funcs):
    """Call each function in its own thread, released together; each closes its database connection.
    Returns their results in order (an exception instance for a failure)."""
    barrier = threading.Barrier(len(funcs))
    results = [None] * len(funcs)

    def runner(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test asserts
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


# Text that spreadsheets would run as a formula (or a DDE payload) if it were written as typed.
FORMULA_LIKE = ['=HYPERLINK("http://x.example","点这里")', "+1+2", "-3+4", "@SUM(A1)"]


def assert_typed_text_is_text(content: bytes, *values) -> None:
    """Each of `values` is in the xlsx `content`, exactly as typed, as a quote-prefixed text cell (Excel keeps
    it text even when the cell is edited), and no cell of any sheet is a formula."""
    import io

    from openpyxl import load_workbook

    cells = [c for ws in load_workbook(io.BytesIO(content)).worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for value in values:
        found = [c for c in cells if c.value == value]
        assert found, value
        assert all(c.data_type == "s" and c.quotePrefix for c in found), value


def xlsx_file(rows, headers=None, name="file.xlsx"):
    """An uploaded xlsx file of these rows ({header: value}), headers in first-seen order."""
    headers = headers or list(dict.fromkeys(h for r in rows for h in r))
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(rows, encoding="gb18030", name="file.csv"):
    """An uploaded csv file of these rows, in GB18030 as Excel saves it on a Chinese system."""
    headers = list(dict.fromkeys(h for r in rows for h in r))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return SimpleUploadedFile(name, out.getvalue().encode(encoding))
