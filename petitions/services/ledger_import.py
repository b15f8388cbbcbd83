"""A community's past requests ledger (台账) brought in with its original dates (received, resolved,
followed up), marked imported, so that its statistics start complete. One kind of import of
`imports.kinds` (registered in petitions.apps): the imports machinery gives it the template, the column
mapping, the preview with per-cell errors, all-or-nothing confirmation and the import record; this
module says how a ledger row is checked, found again and written.

Natural key: a ledger has no identifier of its own (its 序号 restarts in every file), so an item is its
community, kind, category, day of receipt and text (blanks ignored). Importing the same file twice finds
every row's item by that key and changes nothing; a corrected file with new resolution or follow-up dates
or satisfaction updates those on the item it already made. Two rows of one file with the same key are both
refused. The key is kept in the item's "received" event (data.ledger_key).
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from grids.models import Building
from imports import kinds
from imports.columns import Field, choice

from ..models import Category, Petition, PetitionEvent

FIELDS = (
    Field("kind", pgettext_lazy("ledger column", "Kind"), ("类型", "诉求类型", "事项类型"), False, "诉求"),
    Field(
        "category",
        pgettext_lazy("ledger column", "Category"),
        ("类别", "诉求类别", "问题类别"),
        True,
        "公共设施",
    ),
    Field(
        "description",
        pgettext_lazy("ledger column", "Request"),
        ("诉求内容", "内容", "事项内容", "诉求描述"),
        True,
        "3栋2单元楼道灯不亮",
    ),
    Field("building_code", pgettext_lazy("ledger column", "Building code"), ("楼栋编码", "楼栋代码")),
    Field(
        "received",
        pgettext_lazy("ledger column", "Received on"),
        ("受理日期", "受理时间", "登记日期"),
        True,
        "2025-03-01",
    ),
    Field(
        "resolved",
        pgettext_lazy("ledger column", "Resolved on"),
        ("办结日期", "办结时间", "完成日期"),
        True,
        "2025-03-04",
    ),
    Field(
        "followed_up",
        pgettext_lazy("ledger column", "Followed up on"),
        ("回访日期", "回访时间"),
        False,
        "2025-03-10",
    ),
    Field(
        "satisfaction",
        pgettext_lazy("ledger column", "Satisfaction"),
        ("满意度", "回访满意度"),
        False,
        "满意",
    ),
)
KIND_WORDS = {"诉求": Petition.Kind.REQUEST, "微心愿": Petition.Kind.WISH, "心愿": Petition.Kind.WISH}
KIND_WORDS |= {
    "建议": Petition.Kind.SUGGESTION,
    "request": "request",
    "wish": "wish",
    "suggestion": "suggestion",
}
SATISFACTION_WORDS = {
    "满意": Petition.Satisfaction.SATISFIED,
    "基本满意": Petition.Satisfaction.BASICALLY,
    "不满意": Petition.Satisfaction.DISSATISFIED,
}
DUPLICATE_MESSAGE = gettext_lazy("The same item (kind, category, day and text) is also on line %(lines)s.")
# A ledger date has no time of day: the middle of the working day keeps it on that date in Asia/Shanghai.
NOON = datetime.time(12)
DATES = ("received", "resolved", "followed_up")


@dataclass
class Row:
    index: int
    errors: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    key: str = ""
    existing: Petition | None = None
    category: Category | None = None
    building: Building | None = None

    @property
    def line(self):
        return self.index + 2

    @property
    def outcome(self):
        if self.errors:
            return "error"
        if self.existing is None:
            return "new"
        return "changed" if self.changes else "unchanged"

    @property
    def summary(self):
        return " ".join(str(self.values.get("description", "")).split())

    @property
    def masked(self):
        # The preview's second column: a ledger row has no identifier to mask, it shows the category.
        return self.values.get("category", "")

    @property
    def place(self):
        return self.values.get("building_code", "")


class Context:
    def __init__(self, job, by):
        self.job, self.by, self.community = job, by, job.community
        self.header = {key: header for header, key in job.mapping.items()}
        self.categories = {c.name: c for c in Category.objects.offered_in(self.community.pk)}
        self.buildings = {b.code: b for b in Building.objects.filter(community=self.community)}
        self.today = timezone.localdate()

    def error(self, row, key, message):
        label = next(f.label for f in FIELDS if f.key == key)
        row.errors.setdefault(self.header.get(key) or str(label), []).append(str(message))


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
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    return datetime.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


def ledger_key(community_id, kind, category, day, description) -> str:
    text = " ".join(description.split())
    return hashlib.sha256(f"{community_id}|{kind}|{category}|{day}|{text}".encode()).hexdigest()


def parse(ctx, index, record) -> Row:
    row = Row(index=index)
    raw = {key: record.get(header) for header, key in ctx.job.mapping.items()}
    v = row.values
    v["kind"] = KIND_WORDS.get(_text(raw.get("kind")) or "诉求")
    if v["kind"] is None:
        ctx.error(row, "kind", _("Write 诉求, 微心愿 or 建议."))
    v["category"] = _text(raw.get("category"))
    v["description"] = _text(raw.get("description"))[:2000]
    v["building_code"] = _text(raw.get("building_code"))
    for key in ("category", "description", "received", "resolved"):
        if not _text(raw.get(key)):
            message = _("This cell is required.")
            if key == "resolved":
                message = _("Required: items still open are recorded on the workbench, not imported.")
            ctx.error(row, key, message)
    if v["category"] and v["category"] not in ctx.categories:
        ctx.error(row, "category", _("Not a category of this community."))
    if v["building_code"] and v["building_code"] not in ctx.buildings:
        ctx.error(row, "building_code", _("Not a building of this community."))
    for key in DATES:
        v[key] = None
        if not _text(raw.get(key)):
            continue
        try:
            v[key] = _date(raw[key])
        except ValueError:
            ctx.error(row, key, _("Enter a date such as 2025-03-01."))
            continue
        if v[key] > ctx.today:
            ctx.error(row, key, _("This date is in the future."))
    if v["received"] and v["resolved"] and v["resolved"] < v["received"]:
        ctx.error(row, "resolved", _("Resolved before it was received."))
    if v["resolved"] and v["followed_up"] and v["followed_up"] < v["resolved"]:
        ctx.error(row, "followed_up", _("Followed up before it was resolved."))
    v["satisfaction"] = choice(SATISFACTION_WORDS, raw.get("satisfaction"))
    if v["satisfaction"] is None:
        ctx.error(row, "satisfaction", _("Write 满意, 基本满意 or 不满意."))
    if not row.errors:
        row.key = ledger_key(ctx.community.pk, v["kind"], v["category"], v["received"], v["description"])
    return row


def plan(ctx, records) -> list[Row]:
    return resolve(ctx, [parse(ctx, index, record) for index, record in records if record])


def dump(rows) -> list:
    return kinds.dump_values(rows)


def load(data) -> list[Row]:
    return kinds.load_values(data, Row, dict.fromkeys(DATES, datetime.date.fromisoformat))


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, NOON)) if day else None


def _fields(row) -> dict:
    """The item's fields that a corrected ledger may change."""
    v, closed = row.values, row.values["followed_up"] is not None
    return {
        "building": row.building,
        "grid_id": row.building.grid_id if row.building else None,
        "status": Petition.Status.CLOSED if closed else Petition.Status.RESOLVED,
        "resolved_at": _moment(v["resolved"]),
        "followed_up_at": _moment(v["followed_up"]),
        "closed_at": _moment(v["followed_up"]),
        "solved": True if closed else None,
        "satisfaction": v["satisfaction"],
    }


def resolve(ctx, rows) -> list[Row]:
    """Each row's category and building (again: the import reads rows back later), and the item an
    earlier import made of it, found by its key (one query a batch)."""
    for row in rows:
        if row.errors:
            continue
        v = row.values
        row.category = ctx.categories.get(v["category"])
        row.building = ctx.buildings.get(v["building_code"]) if v["building_code"] else None
        if row.category is None:
            ctx.error(row, "category", _("Not a category of this community."))
        if v["building_code"] and row.building is None:
            ctx.error(row, "building_code", _("Not a building of this community."))
        if not row.key:
            row.key = ledger_key(ctx.community.pk, v["kind"], v["category"], v["received"], v["description"])
    keys = [r.key for r in rows if r.key and not r.errors]
    found = {
        e.data["ledger_key"]: e.petition
        for e in PetitionEvent.objects.filter(
            action=PetitionEvent.Action.SUBMIT,
            petition__community=ctx.community,
            petition__imported=True,
            data__ledger_key__in=keys,
        ).select_related("petition")
    }
    for row in rows:
        row.existing = found.get(row.key)
        if row.existing is not None and not row.errors:
            wanted = _fields(row)
            wanted["building_id"] = wanted.pop("building").pk if row.building else None
            row.changes = [k for k, x in wanted.items() if getattr(row.existing, k) != x and k != "grid_id"]
    return rows


def apply_batch(ctx, rows):
    """Create the new items, marked imported, with their ledger dates; update the corrected ones. The
    closed months they land in are counted again for the statistics once the batch commits."""
    from stats.services import monthly_counts_touched  # stats reads petitions: imported here, not above

    name = ctx.job.original_name[:200]
    monthly_counts_touched(
        [r.values[k] for r in rows for k in ("received", "resolved")]
        + [timezone.localdate(r.existing.resolved_at) for r in rows if r.existing and r.existing.resolved_at]
    )
    for row in rows:
        if row.existing is not None:
            if row.changes:
                Petition.objects.filter(pk=row.existing.pk).update(**_fields(row), updated_at=timezone.now())
            continue
        v = row.values
        received = _moment(v["received"])
        petition = Petition.objects.create(
            kind=v["kind"],
            category=row.category,
            description=v["description"],
            community=ctx.community,
            channel=Petition.Channel.WALK_IN,
            recorded_by=ctx.by,
            imported=True,
            contacted_at=received,
            accepted_at=received,
            **_fields(row),
        )
        # created_at is set on insert; the ledger's own date replaces it.
        Petition.objects.filter(pk=petition.pk).update(created_at=received)
        PetitionEvent.objects.create(
            petition=petition,
            actor=ctx.by,
            action=PetitionEvent.Action.SUBMIT,
            to_status=petition.status,
            data={"imported": True, "file": name, "ledger_key": row.key},
        )
