"""What each row of a registry file would do: parse its cells, find its building, dwelling and resident,
and say new / changed / unchanged or why it is refused. The same plan serves the preview (nothing is
written) and the import (`apply_batch`, which writes through grids' services), so both say the same.

Residents are matched by the blind index of their ID number, never by name; dwellings by building, unit
and room. Lookups are a few queries per batch, not per row.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids import pii
from grids import services as grids_services
from grids.models import Building, Household, Residence, Resident, ResidentialArea
from grids.validators import validate_phone

from .. import columns
from ..columns import BY_KEY


@dataclass
class Row:
    index: int
    errors: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    building: Building | None = None
    household: Household | None = None
    resident: Resident | None = None
    residence: Residence | None = None
    id_number: str = ""
    index_hash: str = ""
    changes: list = field(default_factory=list)
    moves: bool = False

    @property
    def line(self):
        return self.index + 2  # the header is line 1

    @property
    def outcome(self):
        if self.errors:
            return "error"
        if self.resident is None:
            return "new"
        return "changed" if self.changes else "unchanged"

    # What imports.kinds asks of a row: a summary, a masked identifier, a place, a natural key.
    @property
    def summary(self):
        return self.values.get("name", "")

    @property
    def masked(self):
        return pii.mask_id_number(self.id_number) if self.id_number else ""

    @property
    def key(self):
        return self.index_hash

    @property
    def place(self):
        return self.dwelling_label

    @property
    def dwelling_label(self):
        v = self.values
        if not v.get("building") or not v.get("room"):
            return ""
        return f"{v.get('area', '')}{v['building']}{v.get('unit', 1)}{_('Unit')}{v['room']}"[:120]


class Context:
    """The community's areas and buildings, loaded once per run (a community has hundreds, not tens of
    thousands), with the ones this file will create."""

    def __init__(self, job, by):
        self.job, self.by, self.community = job, by, job.community
        self.header = {key: header for header, key in job.mapping.items()}
        self.areas = {}
        self.areas_by_code = {}
        for area in ResidentialArea.objects.filter(community=self.community):
            self.areas[area.name] = area
            self.areas_by_code[area.code] = area
        self.buildings = {}
        self.buildings_by_code = {}
        for building in Building.objects.filter(community=self.community).select_related("area"):
            self.buildings[(building.area.name, building.name)] = building
            self.buildings_by_code[building.code] = building

    def column(self, key):
        return self.header.get(key) or str(BY_KEY[key].label)

    def error(self, row, key, message):
        row.errors.setdefault(self.column(key), []).append(str(message))


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
    text = text.rstrip("日")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return datetime.date.fromisoformat(text)


def _number(value):
    text = _text(value).removesuffix("单元").removesuffix("层").removesuffix("楼")
    return int(text)


CHOICE_CELLS = (
    ("use", columns.USE_WORDS, gettext_lazy("Write 自住, 出租 or 空置.")),
    ("kind", columns.KIND_WORDS, gettext_lazy("Write 户籍, 常住 or 流动.")),
    ("relation", columns.RELATION_WORDS, gettext_lazy("Unknown relation to the head of household.")),
    ("gender", columns.GENDER_WORDS, gettext_lazy("Write 男 or 女.")),
)


def parse(ctx, index, record) -> Row:
    """A row's cells checked one by one (no database), each problem filed under its column."""
    row = Row(index=index)
    raw = {key: record.get(header) for header, key in ctx.job.mapping.items()}
    v = row.values
    for key in ("community", "area", "area_code", "building", "building_code", "room", "name"):
        v[key] = _text(raw.get(key))
    for key in columns.REQUIRED:
        if not _text(raw.get(key)):
            ctx.error(row, key, _("This cell is required."))
    for key, default in (("unit", 1), ("floor", 1)):
        try:
            v[key] = _number(raw[key]) if _text(raw.get(key)) else default
        except ValueError:
            ctx.error(row, key, _("Enter a whole number."))
    if len(v["room"]) > 10:
        ctx.error(row, "room", _("A room number has at most 10 characters."))
    if len(v["name"]) > 50:
        ctx.error(row, "name", _("A name has at most 50 characters."))
    for key, words, message in CHOICE_CELLS:
        v[key] = columns.choice(words, raw.get(key))
        if v[key] is None:
            ctx.error(row, key, message)
    for key in ("birth_date", "moved_in"):
        v[key] = None
        if _text(raw.get(key)):
            try:
                v[key] = _date(raw[key])
            except ValueError:
                ctx.error(row, key, _("Enter a date such as 2020-06-01."))
    if v["moved_in"] and v["moved_in"] > timezone.localdate():
        ctx.error(row, "moved_in", _("The move-in date is in the future."))
    v["phone"] = _text(raw.get("phone")).replace(" ", "").replace("-", "")
    if v["phone"]:
        try:
            validate_phone(v["phone"])
        except ValidationError as error:
            ctx.error(row, "phone", error.messages[0])
    number = _text(raw.get("id_number")).upper()
    if number:
        row.index_hash = pii.blind_index(number)
        try:
            row.id_number, birth, gender = grids_services.check_id_fields(
                id_type=Resident.IdType.RESIDENT_ID,
                id_number=number,
                birth_date=v["birth_date"],
                gender=v["gender"] or "",
            )
            v["birth_date"], v["gender"] = birth, gender
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    ctx.error(row, key if key in BY_KEY else "id_number", message)
    _community_check(ctx, row)
    return row


def _community_check(ctx, row):
    name = row.values["community"]
    if name and name not in (ctx.community.name, ctx.community.code):
        ctx.error(
            row,
            "community",
            _("This row is for another community: import only into %(name)s.") % {"name": ctx.community.name},
        )


def _find_building(ctx, row, foreign_codes):
    v = row.values
    code, area_code = v["building_code"], v["area_code"]
    if code and code in foreign_codes:
        ctx.error(row, "building_code", _("This building belongs to another community."))
        return
    building = ctx.buildings_by_code.get(code) if code else ctx.buildings.get((v["area"], v["building"]))
    if building is None and code:
        # A building the file brings: in a known area, or in a new one the file gives the code of.
        area = ctx.areas.get(v["area"]) or ctx.areas_by_code.get(area_code)
        if area is None and area_code:
            area = ResidentialArea(community=ctx.community, code=area_code, name=v["area"])
        if area is None:
            ctx.error(row, "area", _("Unknown residential area: give its code to create it."))
            return
        building = Building(community=ctx.community, area=area, code=code, name=v["building"])
        try:
            if area.pk is None:
                area.full_clean(validate_unique=False)
            building.full_clean(exclude=["area"], validate_unique=False)
        except ValidationError as error:
            for messages in error.message_dict.values():
                ctx.error(row, "building_code", " ".join(messages))
            return
    if building is None:
        ctx.error(
            row,
            "building",
            _("Unknown building: no building %(name)s in %(area)s.")
            % {"name": v["building"], "area": v["area"]},
        )
        return
    if building.pk and v["unit"] > building.unit_count:
        ctx.error(row, "unit", _("This building has only %(n)s units.") % {"n": building.unit_count})
    row.building = building


def dwelling_code(building, unit, room):
    """The dwelling's code: the building's, the unit and the room; a hash keeps a long room within 24."""
    code = f"{building.code}{unit:02d}{room}"
    if len(code) <= 24 and code.isdigit():
        return code
    digest = int(hashlib.sha256(f"{unit}/{room}".encode()).hexdigest(), 16) % 10**6
    return f"{building.code}{digest:06d}"


def plan(ctx, records) -> list[Row]:
    """The rows of one batch, each with its building, dwelling, resident and outcome."""
    return resolve(ctx, [parse(ctx, index, record) for index, record in records if record])


def dump(rows) -> list:
    """The checked rows as JSON-able data, for the chunk the import reads back (`load`)."""
    return [
        [
            r.index,
            {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in r.values.items()},
            r.id_number,
        ]
        for r in rows
    ]


def load(data) -> list[Row]:
    rows = []
    for index, values, number in data:
        for key in ("birth_date", "moved_in"):
            values[key] = datetime.date.fromisoformat(values[key]) if values.get(key) else None
        rows.append(
            Row(
                index=index,
                values=values,
                id_number=number,
                index_hash=pii.blind_index(number) if number else "",
            )
        )
    return rows


def resolve(ctx, rows) -> list[Row]:
    """Find each parsed row's building, dwelling and resident (a few queries a batch) and compare."""
    codes = {r.values["building_code"] for r in rows if r.values["building_code"]}
    unknown = codes - set(ctx.buildings_by_code)
    foreign = (
        set(
            Building.objects.filter(code__in=unknown)
            .exclude(community=ctx.community)
            .values_list("code", flat=True)
        )
        if unknown
        else set()
    )
    for row in rows:
        _find_building(ctx, row, foreign)
    rooms = {
        (r.building.pk, r.values["unit"], r.values["room"]) for r in rows if r.building and r.building.pk
    }
    households = {}
    if rooms:
        found = Household.objects.filter(
            building_id__in={b for b, _u, _r in rooms}, room__in={r for _b, _u, r in rooms}
        )
        households = {(h.building_id, h.unit, h.room): h for h in found}
    indexes = {r.index_hash for r in rows if r.index_hash}
    residents = {
        r.id_number_index: r
        for r in Resident.objects.filter(id_number_index__in=indexes).select_related("household__building")
    }
    current = {
        c.resident_id: c
        for c in Residence.objects.current().filter(resident__in=[r.pk for r in residents.values()])
    }
    for row in rows:
        if row.building and row.building.pk:
            row.household = households.get((row.building.pk, row.values["unit"], row.values["room"]))
        row.resident = residents.get(row.index_hash) if row.index_hash else None
        if row.resident is not None:
            row.residence = current.get(row.resident.pk)
            _compare(ctx, row)
        elif row.household is not None:
            _compare_household(row)
    return rows


def _compare_household(row):
    use = row.values["use"]
    if row.household is not None and use and use != row.household.use:
        row.changes.append("use")


def _compare(ctx, row):
    resident, v = row.resident, row.values
    home = resident.household
    if home is not None and home.building.community_id != ctx.community.pk:
        ctx.error(
            row,
            "id_number",
            _(
                "This person is registered in another community; that community must record the move out first."
            ),
        )
        return
    if home is None:
        ctx.error(
            row,
            "id_number",
            _("This person has moved away; record the return in the admin (a move), not by import."),
        )
        return
    for key in ("name", "gender", "birth_date", "phone"):
        if v[key] and v[key] != getattr(resident, key):
            row.changes.append(key)
    row.moves = row.household is None or row.household.pk != resident.household_id
    if row.moves:
        row.changes.append("dwelling")
        if v["moved_in"] and row.residence and v["moved_in"] < row.residence.moved_in:
            ctx.error(
                row,
                "moved_in",
                _("The move date cannot be before the move-in date %(date)s.")
                % {"date": row.residence.moved_in},
            )
    elif row.residence is not None:
        for key in ("kind", "relation"):
            if v[key] and v[key] != getattr(row.residence, key):
                row.changes.append(key)
    _compare_household(row)


def apply_batch(ctx, rows):
    """Write one batch's planned rows through grids' services (no row here may carry an error)."""
    by = ctx.by
    for row in rows:
        building = row.building
        if building.pk is None:
            existing = ctx.buildings_by_code.get(building.code)
            if existing is None:
                area = building.area
                if area.pk is None:
                    area = ctx.areas_by_code.get(area.code) or grids_services.place_save(place=area, by=by)
                    ctx.areas[area.name] = ctx.areas_by_code[area.code] = area
                building.area = area
                existing = grids_services.place_save(place=building, by=by)
                ctx.buildings_by_code[existing.code] = existing
                ctx.buildings[(area.name, existing.name)] = existing
            row.building = existing
    new_households = {}
    for row in rows:
        if row.household is None:
            key = (row.building.pk, row.values["unit"], row.values["room"])
            if key not in new_households:
                v = row.values
                new_households[key] = Household(
                    building=row.building,
                    unit=v["unit"],
                    floor=v["floor"],
                    room=v["room"],
                    use=v["use"] or Household.Use.OWNER,
                    code=dwelling_code(row.building, v["unit"], v["room"]),
                )
            row.household = new_households[key]
    grids_services.households_bulk_create(households=list(new_households.values()), by=by)
    for row in rows:
        if "use" in row.changes and row.household.use != row.values["use"]:
            row.household.use = row.values["use"]
            grids_services.household_save(household=row.household, by=by)
    entries = []
    for row in rows:
        v = row.values
        if row.resident is None:
            entries.append(
                {
                    "household": row.household,
                    "name": v["name"],
                    "gender": v["gender"],
                    "birth_date": v["birth_date"],
                    "phone": v["phone"],
                    "id_number": row.id_number,
                    "kind": v["kind"] or Residence.Kind.HUKOU,
                    "relation": v["relation"] or Residence.Relation.OTHER,
                    "moved_in": v["moved_in"],
                }
            )
            continue
        personal = {k: v[k] for k in ("name", "gender", "birth_date", "phone") if k in row.changes}
        if personal:
            grids_services.resident_update(resident=row.resident, by=by, **personal)
        if row.moves:
            grids_services.resident_move(
                resident=row.resident,
                to_household=row.household,
                on=v["moved_in"] or timezone.localdate(),
                by=by,
                kind=v["kind"] or None,
                relation=v["relation"] or None,
            )
        elif {"kind", "relation"} & set(row.changes):
            grids_services.residence_update(
                residence=row.residence, by=by, kind=v["kind"] or None, relation=v["relation"] or None
            )
    if entries:
        grids_services.residents_bulk_create(entries=entries, by=by)
