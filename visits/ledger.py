"""The visit ledger (走访台账) of a period as an Excel workbook, for the level above."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from config.xlsx import append_row

from .models import Visit


def visit_ledger_xlsx(user, start, end) -> bytes:
    """Every visit the user may see in [start, end], oldest first, with a totals row. Names of residents
    met are written; phones and ID numbers never are."""
    visits = (
        Visit.objects.visible_to(user)
        .between(start, end)
        .select_related("household__building__area", "household__building__grid", "recorded_by")
        .prefetch_related("visitors", "residents_met", "items__petition")
        .order_by("visited_on", "pk")
    )
    wb = Workbook()
    ws = wb.active
    ws.title = _("Visit ledger")
    append_row(ws, [_("Visit ledger %(start)s to %(end)s") % {"start": start, "end": end}])
    ws["A1"].font = Font(bold=True, size=14)
    headers = [
        _("Visit date"),
        _("Grid"),
        _("Dwelling"),
        _("Visitors"),
        _("Outcome"),
        _("Residents met"),
        _("Persons met"),
        _("Topics raised"),
        _("Situation found"),
        _("Follow-up needed"),
        _("Requests raised"),
    ]
    append_row(ws, headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    households, persons, count = set(), 0, 0
    for visit in visits.iterator(chunk_size=500):
        count += 1
        persons += visit.persons_met
        if visit.outcome == Visit.Outcome.MET:
            households.add(visit.household_id)
        building = visit.household.building
        append_row(
            ws,
            [
                visit.visited_on,
                building.grid.name if building.grid_id else "",
                visit.household.address,
                "、".join(str(u) for u in visit.visitors.all()),
                visit.get_outcome_display(),
                "、".join(r.name for r in visit.residents_met.all()),
                visit.persons_met,
                "、".join(str(t) for t in visit.topic_labels()),
                visit.situation,
                _("Yes") if visit.follow_up_needed else _("No"),
                "、".join(link.petition.tracking_code for link in visit.items.all()),
            ],
        )
    append_row(ws, [])
    append_row(
        ws,
        [
            _("Total"),
            _("%(households)s households visited in %(visits)s visits, %(persons)s persons met")
            % {"households": len(households), "visits": count, "persons": persons},
        ],
    )
    for column, width in zip("ABCDEFGHIJK", (12, 16, 28, 16, 12, 20, 8, 24, 40, 8, 20), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
