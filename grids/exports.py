"""xlsx ledgers (台账) of residents and households, built from querysets the caller already scoped.

Phone and ID numbers are written masked: an export leaves the system, so it never carries clear values.
Rows keep the queryset's order (the changelist's, when the list button exports it) and are written in a
constant number of queries: the rows with their dwelling, and for residents one query for their tags.
"""

from io import BytesIO

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from config.xlsx import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(workbook, stem):
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
    return response


def _sheet(title, header):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    append_row(sheet, header)
    return workbook, sheet


def _ordered(queryset, *fields):
    return queryset if queryset.ordered else queryset.order_by(*fields)


def residents_xlsx(residents, *, visible_tags):
    """`residents`: a scoped queryset. `visible_tags`: a queryset of the tags the exporting user may see."""
    workbook, sheet = _sheet(
        _("Residents"),
        [
            pgettext("person", "Name"),
            _("Gender"),
            _("Birth date"),
            _("Mobile phone"),
            _("ID type"),
            _("ID number"),
            _("Current dwelling"),
            _("Tags"),
        ],
    )
    rows = _ordered(
        residents.select_related("household__building__area")
        # Replace any prefetch the caller made (the changelist's) with the one tag query written here.
        .prefetch_related(None)
        .prefetch_related(Prefetch("tags", queryset=visible_tags.order_by("name"), to_attr="export_tags")),
        "pk",
    )
    for r in rows.iterator(chunk_size=2000):
        append_row(
            sheet,
            [
                r.name,
                r.get_gender_display(),
                r.birth_date,
                r.phone_masked,
                r.get_id_type_display(),
                r.id_number_masked,
                r.household.address if r.household_id else "",
                "、".join(t.name for t in r.export_tags),
            ],
        )
    return _response(workbook, "residents")


def households_xlsx(households):
    workbook, sheet = _sheet(
        _("Dwellings"),
        [
            _("Dwelling code"),
            _("Residential area"),
            _("Building"),
            _("Unit"),
            _("Room"),
            _("Use"),
            _("Grid"),
            _("Micro-grid"),
        ],
    )
    rows = _ordered(households.select_related("building__area", "building__grid", "microgrid"), "code")
    for h in rows.iterator(chunk_size=2000):
        append_row(
            sheet,
            [
                h.code,
                h.building.area.name,
                h.building.name,
                h.unit,
                h.room,
                h.get_use_display(),
                h.building.grid.name if h.building.grid_id else _("Not covered"),
                h.microgrid.name if h.microgrid_id else "",
            ],
        )
    return _response(workbook, "households")
