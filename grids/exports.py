"""xlsx ledgers (台账) of residents and households, built from querysets the caller already scoped.

Phone and ID numbers are written masked: an export leaves the system, so it never carries clear values.
Rows keep the queryset's order (the changelist's, when the list button exports it) and are written in a
constant number of queries: the rows with their dwelling, and for residents one query for their tags.
"""

from collections import defaultdict
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from config.xlsx import append_row

from .models import Household, Resident

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
    # Values, not model instances: a ledger of a big community is tens of thousands of rows, and building a
    # Resident with its dwelling, building and area for each cost more than writing the sheet.
    rows = _ordered(residents, "pk").values_list(
        "pk",
        "name",
        "gender",
        "birth_date",
        "phone_masked",
        "id_type",
        "id_number_masked",
        "household__building__area__name",
        "household__building__name",
        "household__unit",
        "household__room",
    )
    labels = {code: str(label) for code, label in (*Resident.Gender.choices, *Resident.IdType.choices)}
    words = (_("Unit"), _("Room"))
    tags = _tag_names(residents, visible_tags)
    for pk, name, gender, birth, phone, id_type, id_number, area, building, unit, room in rows.iterator(
        chunk_size=2000
    ):
        append_row(
            sheet,
            [
                name,
                labels.get(gender, gender),
                birth,
                phone,
                labels.get(id_type, id_type),
                id_number,
                Household.format_address(area, building, unit, room, words=words) if building else "",
                "、".join(tags.get(pk, ())),
            ],
        )
    return _response(workbook, "residents")


def _tag_names(residents, visible_tags):
    """{resident id: [tag names the exporting user may see, by name]} in one query."""
    through = Resident.tags.through
    names = defaultdict(list)
    links = (
        through.objects.filter(resident__in=residents.order_by().values("pk"), residenttag__in=visible_tags)
        .order_by("residenttag__name")
        .values_list("resident_id", "residenttag__name")
    )
    for resident_id, name in links.iterator(chunk_size=5000):
        names[resident_id].append(name)
    return names


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
