"""The visit ledger (走访台账) of a period as an Excel workbook, for the level above."""

import io

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from accounts.models import User
from config.xlsx import append_row

from .models import Visit, VisitItem

# Visits read per round: three queries each (the visits with their dwelling, grid and recorder columns,
# then their visitors, residents met and requests raised), whatever the period holds.
CHUNK = 2000


def _names_by_visit(pairs):
    out = {}
    for visit_id, name in pairs:
        out.setdefault(visit_id, []).append(name)
    return {visit_id: "、".join(str(name) for name in names) for visit_id, names in out.items()}


def _rows(visits):
    """The ledger's rows as plain values, read in chunks with values_list (no model instances: the
    workbook of a 30,000-visit period is written in seconds)."""
    Through = Visit.visitors.through
    Met = Visit.residents_met.through
    unit, room = _("Unit"), _("Room")
    outcomes = {code: str(label) for code, label in Visit.Outcome.choices}
    labels = {code: str(label) for code, label in Visit.Topic.choices}
    yes, no = _("Yes"), _("No")
    columns = (
        "pk",
        "visited_on",
        "household_id",
        "household__building__grid__name",
        "household__building__area__name",
        "household__building__name",
        "household__unit",
        "household__room",
        "outcome",
        "persons_met",
        "topics",
        "situation",
        "follow_up_needed",
    )
    last = None
    while True:
        page = visits if last is None else visits.filter(_after(last))
        chunk = list(page.values_list(*columns)[:CHUNK])
        if not chunk:
            return
        ids = [row[0] for row in chunk]
        visitors = _names_by_visit(
            (visit_id, User(username=username, display_name=display, first_name=first, last_name=last_name))
            for visit_id, username, display, first, last_name in Through.objects.filter(
                visit_id__in=ids
            ).values_list(
                "visit_id", "user__username", "user__display_name", "user__first_name", "user__last_name"
            )
        )
        met = _names_by_visit(
            Met.objects.filter(visit_id__in=ids).values_list("visit_id", "resident__name").order_by("pk")
        )
        items = _names_by_visit(
            VisitItem.objects.filter(visit_id__in=ids)
            .values_list("visit_id", "petition__tracking_code")
            .order_by("pk")
        )
        for (
            pk,
            day,
            household,
            grid,
            area,
            building,
            unit_no,
            room_no,
            outcome,
            persons,
            topics,
            situation,
            follow,
        ) in chunk:
            yield (
                household,
                outcome,
                persons,
                [
                    day,
                    grid or "",
                    f"{area}{building}{unit_no}{unit}{room_no}{room}",
                    visitors.get(pk, ""),
                    outcomes.get(outcome, outcome),
                    met.get(pk, ""),
                    persons,
                    "、".join(labels.get(code, code) for code in topics),
                    situation,
                    yes if follow else no,
                    items.get(pk, ""),
                ],
            )
        last = chunk[-1][:2]


def _after(last):
    pk, day = last
    return Q(visited_on__gt=day) | Q(visited_on=day, pk__gt=pk)


def visit_ledger_xlsx(user, start, end) -> bytes:
    """Every visit the user may see in [start, end], oldest first, with a totals row. Names of residents
    met are written; phones and ID numbers never are."""
    visits = Visit.objects.visible_to(user).between(start, end).order_by("visited_on", "pk")
    # Write-only: rows stream to the file instead of living as cell objects until the save.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Visit ledger"))
    for column, width in zip("ABCDEFGHIJK", (12, 16, 28, 16, 12, 20, 8, 24, 40, 8, 20), strict=True):
        ws.column_dimensions[column].width = width
    title = WriteOnlyCell(ws, value=_("Visit ledger %(start)s to %(end)s") % {"start": start, "end": end})
    title.font = Font(bold=True, size=14)
    ws.append([title])
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
    bold = Font(bold=True)
    ws.append([_cell(ws, header, bold) for header in headers])
    households, persons, count = set(), 0, 0
    for household, outcome, persons_met, row in _rows(visits):
        count += 1
        persons += persons_met
        if outcome == Visit.Outcome.MET:
            households.add(household)
        append_row(ws, row)
    append_row(ws, [])
    append_row(
        ws,
        [
            _("Total"),
            _("%(households)s households visited in %(visits)s visits, %(persons)s persons met")
            % {"households": len(households), "visits": count, "persons": persons},
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(ws, value, font):
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell
