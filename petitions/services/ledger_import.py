"""A community's past requests ledger (台账) brought in with its original dates, so that its statistics
start complete. Every row is checked first; one bad row and nothing is written."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of
from grids.models import Building
from imports.reader import UnreadableFile, iter_records

from ..models import Category, Petition, PetitionEvent

# The ledger's Chinese headers (the downloadable layout communities keep).
KIND, CATEGORY, DESCRIPTION, BUILDING = "类型", "类别", "诉求内容", "楼栋编码"
RECEIVED, RESOLVED, FOLLOWED_UP, SATISFACTION = "受理日期", "办结日期", "回访日期", "满意度"
HEADERS = [KIND, CATEGORY, DESCRIPTION, BUILDING, RECEIVED, RESOLVED, FOLLOWED_UP, SATISFACTION]
KINDS = {"诉求": Petition.Kind.REQUEST, "微心愿": Petition.Kind.WISH, "建议": Petition.Kind.SUGGESTION}
SATISFACTIONS = {
    "满意": Petition.Satisfaction.SATISFIED,
    "基本满意": Petition.Satisfaction.BASICALLY,
    "不满意": Petition.Satisfaction.DISSATISFIED,
}
# A ledger date has no time of day: the middle of the working day keeps it on that date in Asia/Shanghai.
NOON = datetime.time(12)


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).replace("/", "-"))
    except ValueError:
        return None


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, NOON)) if day else None


def _parse(index, record, categories, buildings, today):
    """The fields of one row, or the list of its errors (in Chinese, naming the row and the column)."""
    errors = []
    line = index + 2  # the header is row 1

    def fail(column, message):
        errors.append(
            _("Row %(row)s, %(column)s: %(message)s") % {"row": line, "column": column, "message": message}
        )

    kind = KINDS.get(str(record.get(KIND, "诉求")))
    if kind is None:
        fail(KIND, _("write 诉求, 微心愿 or 建议."))
    category = categories.get(str(record.get(CATEGORY, "")))
    if category is None:
        fail(CATEGORY, _("not a category of this community."))
    description = str(record.get(DESCRIPTION, "")).strip()
    if not description:
        fail(DESCRIPTION, _("empty."))
    building = None
    if record.get(BUILDING):
        building = buildings.get(str(record[BUILDING]))
        if building is None:
            fail(BUILDING, _("not a building of this community."))
    days = {}
    for column in (RECEIVED, RESOLVED, FOLLOWED_UP):
        if record.get(column) in (None, ""):
            days[column] = None
            continue
        days[column] = _date(record[column])
        if days[column] is None:
            fail(column, _("not a date (write 2025-03-01)."))
        elif days[column] > today:
            fail(column, _("in the future."))
    if record.get(RECEIVED) in (None, ""):
        fail(RECEIVED, _("empty."))
    if record.get(RESOLVED) in (None, ""):
        fail(RESOLVED, _("empty: items still open are recorded on the workbench, not imported."))
    received, resolved, followed_up = days[RECEIVED], days[RESOLVED], days[FOLLOWED_UP]
    if received and resolved and resolved < received:
        fail(RESOLVED, _("before the date received."))
    if resolved and followed_up and followed_up < resolved:
        fail(FOLLOWED_UP, _("before the date resolved."))
    satisfaction = ""
    if record.get(SATISFACTION):
        satisfaction = SATISFACTIONS.get(str(record[SATISFACTION]))
        if satisfaction is None:
            fail(SATISFACTION, _("write 满意, 基本满意 or 不满意."))
    if errors:
        return None, errors
    return {
        "kind": kind,
        "category": category,
        "description": description[:2000],
        "building": building,
        "received": _moment(received),
        "resolved": _moment(resolved),
        "followed_up": _moment(followed_up),
        "satisfaction": satisfaction,
    }, []


@transaction.atomic
def petition_ledger_import(*, community, fileobj, name, by) -> int:
    """Create the ledger's items in `community`, marked imported, with their original dates (received,
    resolved, followed up): closed when followed up, resolved otherwise. Returns how many were created;
    raises ValidationError listing every bad row, and then writes nothing."""
    if not is_staff_of(by, community.pk):
        raise PermissionDenied(_("You can only import into your own community."))
    try:
        records = [(i, r) for i, r in iter_records(fileobj, name) if r]
    except UnreadableFile:
        raise ValidationError(
            _("The file could not be read: save it as .xlsx or .csv and try again.")
        ) from None
    if not records:
        raise ValidationError(_("The file has no rows."))
    categories = {c.name: c for c in Category.objects.offered_in(community.pk)}
    codes = {str(r[BUILDING]) for _i, r in records if r.get(BUILDING)}
    buildings = {b.code: b for b in Building.objects.filter(community=community, code__in=codes)}
    today = timezone.localdate()
    rows, errors = [], []
    for index, record in records:
        row, row_errors = _parse(index, record, categories, buildings, today)
        errors.extend(row_errors)
        if row:
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    for row in rows:
        closed = row["followed_up"] is not None
        building = row["building"]
        petition = Petition.objects.create(
            kind=row["kind"],
            category=row["category"],
            description=row["description"],
            community=community,
            building=building,
            grid_id=building.grid_id if building else None,
            channel=Petition.Channel.WALK_IN,
            recorded_by=by,
            imported=True,
            status=Petition.Status.CLOSED if closed else Petition.Status.RESOLVED,
            contacted_at=row["received"],
            accepted_at=row["received"],
            resolved_at=row["resolved"],
            followed_up_at=row["followed_up"],
            solved=True if closed else None,
            satisfaction=row["satisfaction"],
            closed_at=row["followed_up"],
        )
        # created_at is set on insert; the ledger's own date replaces it.
        Petition.objects.filter(pk=petition.pk).update(created_at=row["received"])
        PetitionEvent.objects.create(
            petition=petition,
            actor=by,
            action=PetitionEvent.Action.SUBMIT,
            to_status=petition.status,
            data={"imported": True, "file": str(name)[:200]},
        )
    return len(rows)
