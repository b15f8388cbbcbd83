"""Every write to the registry: residents, their moves, reveals of personal data, and code changes.

Views, the admin, the API and commands call these; none writes the models directly. Each service checks
that `by` may change the place it touches (an object outside one's scope answers 404, a read-only role
gets PermissionDenied) and raises ValidationError with a translated message on bad input.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RevealLog
from accounts.permissions import may_reveal, may_see_sensitive_tags

from . import pii
from .models import (
    Building,
    CodeChange,
    Community,
    District,
    Grid,
    Household,
    MicroGrid,
    Residence,
    Resident,
    ResidentialArea,
    ResidentTag,
    Street,
)
from .validators import parse_id_number

# ID types whose number follows GB 11643 (18 characters with a check digit).
CHECKED_ID_TYPES = (Resident.IdType.RESIDENT_ID, Resident.IdType.PERMANENT_RESIDENCE)

RESIDENT_FIELDS = {"name", "gender", "birth_date", "phone", "notes", "user"}


# --- Access ----------------------------------------------------------------------------------


def _require_writable(model, obj, by):
    """404 when `obj` is outside what `by` may see; PermissionDenied when they may only look."""
    if by.is_superuser:
        return
    if not model.objects.visible_to(by).filter(pk=obj.pk).exists():
        raise Http404
    if not model.objects.editable_by(by).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("You may look at this record but not change it."))


# --- ID numbers ------------------------------------------------------------------------------


def check_id_number(*, id_type, id_number, birth_date=None, gender="", resident=None):
    """Validate an ID number against its type, the birth date and gender given, and duplicates.

    Returns (normalised number, birth date, gender), filling birth date and gender from the number
    when they were not given. Raises ValidationError keyed by field.
    """
    number, birth_date, gender = check_id_fields(
        id_type=id_type, id_number=id_number, birth_date=birth_date, gender=gender
    )
    if not number:
        return number, birth_date, gender
    duplicates = Resident.objects.filter(id_number_index=pii.blind_index(number))
    if resident is not None and resident.pk:
        duplicates = duplicates.exclude(pk=resident.pk)
    if duplicates.exists():
        raise ValidationError({"id_number": _("A resident with this ID number is already registered.")})
    return number, birth_date, gender


def check_id_fields(*, id_type, id_number, birth_date=None, gender=""):
    """The checks of `check_id_number` that need no database: the number, its type, birth date, gender."""
    number = (id_number or "").strip().upper()
    if not number:
        return "", birth_date, gender
    if id_type in CHECKED_ID_TYPES:
        try:
            birth, sex = parse_id_number(number)
        except ValidationError as error:
            raise ValidationError({"id_number": error.messages})
        if id_type == Resident.IdType.PERMANENT_RESIDENCE and not number.startswith("9"):
            raise ValidationError(
                {"id_number": _("A foreigner's permanent residence ID number starts with 9.")}
            )
        if id_type == Resident.IdType.RESIDENT_ID and number.startswith("9"):
            raise ValidationError(
                {"id_type": _("A number starting with 9 is a foreigner's permanent residence ID.")}
            )
        errors = {}
        if birth_date and birth_date != birth:
            errors["birth_date"] = _("The birth date does not match the ID number (%(date)s).") % {
                "date": birth.isoformat()
            }
        if gender and gender != sex:
            errors["gender"] = _("The gender does not match the ID number.")
        if errors:
            raise ValidationError(errors)
        birth_date, gender = birth, sex
    elif len(number) > 32:
        raise ValidationError({"id_number": _("The document number is too long.")})
    return number, birth_date, gender


def _full_clean(resident):
    # The blind index is checked above with a clearer message; the household pointer is kept by moves.
    resident.full_clean(exclude=["id_number_index", "household", "user"])


def _save_resident(resident):
    """Save, turning a lost race on the ID-number blind index into the same message as the check above."""
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as error:
        if "id_number_index" not in str(error):
            raise
        raise ValidationError({"id_number": _("A resident with this ID number is already registered.")})


def _check_tags(tags, by):
    if tags is None:
        return None
    tags = list(tags)
    if not may_see_sensitive_tags(by) and any(t.sensitive for t in tags):
        raise PermissionDenied(_("You may not assign sensitive tags."))
    return tags


# --- Residents -------------------------------------------------------------------------------


@transaction.atomic
def resident_create(
    *,
    by,
    household=None,
    kind=Residence.Kind.HUKOU,
    relation=Residence.Relation.OTHER,
    moved_in=None,
    id_type=Resident.IdType.RESIDENT_ID,
    id_number="",
    tags=None,
    **fields,
) -> Resident:
    """Register a resident, optionally moving them into `household` on `moved_in` (default today)."""
    unknown = set(fields) - RESIDENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    if household is not None:
        _require_writable(Household, household, by)
    elif not by.is_superuser:
        raise ValidationError({"household": _("Choose the dwelling the resident lives in.")})
    tags = _check_tags(tags, by)
    resident = Resident(id_type=id_type, **fields)
    number, resident.birth_date, resident.gender = check_id_number(
        id_type=id_type,
        id_number=id_number,
        birth_date=resident.birth_date,
        gender=resident.gender,
        resident=resident,
    )
    resident.set_id_number(number)
    _full_clean(resident)
    _save_resident(resident)
    if tags is not None:
        resident.tags.set(tags)
    if household is not None:
        _open_residence(resident, household, moved_in or timezone.localdate(), kind, relation)
    return resident


@transaction.atomic
def resident_update(*, resident, by, id_type=None, id_number=None, tags=None, **fields) -> Resident:
    """Change a resident's personal data. `id_number=None` keeps the stored number; "" clears it."""
    unknown = set(fields) - RESIDENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.household_id:
        _require_writable(Resident, resident, by)
    elif not by.is_superuser:
        raise Http404
    tags = _check_tags(tags, by)
    for name, value in fields.items():
        setattr(resident, name, value)
    if id_type is not None:
        resident.id_type = id_type
    if id_number is not None:
        number, resident.birth_date, resident.gender = check_id_number(
            id_type=resident.id_type,
            id_number=id_number,
            birth_date=resident.birth_date,
            gender=resident.gender,
            resident=resident,
        )
        resident.set_id_number(number)
    elif resident.id_number_encrypted and ({"birth_date", "gender"} & set(fields) or id_type is not None):
        # A changed type, birth date or gender must still fit the stored number.
        check_id_number(
            id_type=resident.id_type,
            id_number=resident.reveal_id_number(),
            birth_date=resident.birth_date,
            gender=resident.gender,
            resident=resident,
        )
    _full_clean(resident)
    _save_resident(resident)
    if tags is not None:
        hidden = [] if may_see_sensitive_tags(by) else list(resident.tags.filter(sensitive=True))
        resident.tags.set([*tags, *hidden])
    return resident


def _open_residence(resident, household, on, kind, relation):
    Residence.objects.create(
        resident=resident, household=household, moved_in=on, kind=kind, relation=relation
    )
    resident.household = household
    resident.save(update_fields=["household"])


@transaction.atomic
def resident_move(*, resident, to_household, on=None, by, kind=None, relation=None) -> Resident:
    """Close the resident's current residence on `on` and open one in `to_household` (None: moved away).

    History stays: the old Residence row keeps its dates. Kind and relation default to the old row's.
    """
    on = on or timezone.localdate()
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.household_id:
        _require_writable(Resident, resident, by)
    elif not by.is_superuser:
        raise Http404
    if to_household is not None:
        _require_writable(Household, to_household, by)
        if to_household.pk == resident.household_id:
            raise ValidationError({"to_household": _("The resident already lives in this dwelling.")})
    current = resident.residences.current().first()
    if current is not None:
        if on < current.moved_in:
            raise ValidationError(
                {
                    "on": _("The move date cannot be before the move-in date %(date)s.")
                    % {"date": current.moved_in}
                }
            )
        current.moved_out = on
        current.save(update_fields=["moved_out"])
        # A head who moves out is no longer the dwelling's head; the history keeps who was.
        Household.objects.filter(pk=current.household_id, head=resident).update(head=None)
        kind = kind or current.kind
        relation = relation or current.relation
    elif to_household is None:
        raise ValidationError(_("The resident does not live anywhere at the moment."))
    if to_household is None:
        resident.household = None
        resident.save(update_fields=["household"])
    else:
        _open_residence(
            resident,
            to_household,
            on,
            kind or Residence.Kind.HUKOU,
            relation or Residence.Relation.OTHER,
        )
    return resident


def resident_reveal(*, resident, field, by, reason) -> str:
    """Return a resident's clear phone or ID number, after checking the role and scope, and log it."""
    if not by.is_authenticated:
        raise PermissionDenied
    if not Resident.objects.visible_to(by).filter(pk=resident.pk).exists():
        raise Http404
    if not may_reveal(by):
        raise PermissionDenied(_("Your role may not reveal personal data."))
    if field not in RevealLog.Field.values:
        raise ValidationError({"field": _("Only a phone or an ID number can be revealed.")})
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("Say why you need to see this.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("The reason is too long (200 characters at most).")})
    resident = Resident.objects.get(pk=resident.pk)
    with transaction.atomic():
        RevealLog.objects.create(user=by, resident=resident, field=field, reason=reason)
    return resident.phone if field == RevealLog.Field.PHONE else resident.reveal_id_number()


# --- Places ----------------------------------------------------------------------------------

PLACE_MODELS = (District, Street, Community, ResidentialArea, Grid, MicroGrid, Building)


def _require_place_writable(place, by):
    if by.is_superuser:
        return
    if isinstance(place, District | Street):
        raise PermissionDenied(_("Only an administrator may change districts and streets."))
    _require_writable(type(place), place, by)


@transaction.atomic
def place_save(*, place, by):
    """Create or change a place of the territory (not its code once given: see place_recode)."""
    if place.pk:
        old = type(place).objects.get(pk=place.pk)
        _require_place_writable(old, by)
        if old.code != place.code:
            raise ValidationError(
                {"code": _("A code changes only through a recode, which keeps its history.")}
            )
    else:
        parent_community = getattr(place, "community", None) if hasattr(place, "community_id") else None
        if isinstance(place, MicroGrid) and place.grid_id:
            parent_community = place.grid.community
        if not by.is_superuser:
            if isinstance(place, District | Street):
                raise PermissionDenied(_("Only an administrator may change districts and streets."))
            if isinstance(place, Community) or parent_community is None:
                raise PermissionDenied(_("Only an administrator may create communities."))
            _require_writable(Community, parent_community, by)
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def place_recode(*, place, new_code, by, reason):
    """Give a place a new official code (boundaries redrawn), keeping the old one in a CodeChange row."""
    if not isinstance(place, PLACE_MODELS):
        raise TypeError("place_recode takes a territory place")
    _require_place_writable(place, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the new code.")})
    place = type(place).objects.select_for_update().get(pk=place.pk)
    new_code = (new_code or "").strip()
    old_code = place.code
    if new_code == old_code:
        raise ValidationError({"new_code": _("The new code is the same as the old one.")})
    place.code = new_code
    try:
        place.full_clean()
    except ValidationError as error:
        messages = error.message_dict.get("code") or error.messages
        raise ValidationError({"new_code": messages})
    descendants = _recoded_descendants(place, old_code, new_code)
    place.save(update_fields=["code"])
    changes = [
        CodeChange(
            content_type=ContentType.objects.get_for_model(place),
            object_id=place.pk,
            old_code=old_code,
            new_code=new_code,
            reason=reason,
            changed_by=by,
        )
    ]
    cascade_reason = _("%(reason)s (code of %(parent)s changed)") % {"reason": reason, "parent": place}
    for model, rows in descendants:
        content_type = ContentType.objects.get_for_model(model)
        for row, old in rows:
            changes.append(
                CodeChange(
                    content_type=content_type,
                    object_id=row.pk,
                    old_code=old,
                    new_code=row.code,
                    reason=cascade_reason[:200],
                    changed_by=by,
                )
            )
        model.objects.bulk_update([row for row, _old in rows], ["code"], batch_size=1000)
    CodeChange.objects.bulk_create(changes, batch_size=1000)
    return place


def _recoded_descendants(place, old_code, new_code):
    """The places and dwellings whose codes embed `old_code`, with their codes rewritten to `new_code`.

    Codes are hierarchical: a street's starts with its district's, a building's with its area's, a grid's
    carries its community's after the "01" object class, a micro-grid shares its grid's first 17 digits.
    Returns [(model, [(row with the new code, old code), ...]), ...]; raises ValidationError when a
    rewritten code is already taken.
    """
    plan = []
    if isinstance(place, Grid):
        plan.append((MicroGrid, MicroGrid.objects.filter(grid=place), 0, 17, new_code[:17]))
    elif isinstance(place, MicroGrid):
        pass
    else:
        for model in (Street, Community, ResidentialArea, Building, Household):
            plan.append((model, model.objects.filter(code__startswith=old_code), 0, len(old_code), new_code))
        if isinstance(place, District | Street | Community):
            for model in (Grid, MicroGrid):
                in_grid = model.objects.filter(code__startswith="01" + old_code)
                plan.append((model, in_grid, 2, len(old_code), new_code))
    result = []
    for model, queryset, start, length, replacement in plan:
        rows = []
        for row in queryset.select_for_update().exclude(pk=place.pk if isinstance(place, model) else None):
            old = row.code
            row.code = old[:start] + replacement + old[start + length :]
            rows.append((row, old))
        if rows:
            taken = model.objects.filter(code__in=[row.code for row, _old in rows]).exclude(
                pk__in=[row.pk for row, _old in rows]
            )
            if taken.exists():
                raise ValidationError(
                    {
                        "new_code": _(
                            "The new code would give %(code)s to another place, which already has it."
                        )
                        % {"code": taken.first().code}
                    }
                )
            result.append((model, rows))
    return result


@transaction.atomic
def household_save(*, household, by):
    """Create or change a dwelling inside a building `by` may change."""
    if household.pk:
        old = Household.objects.get(pk=household.pk)
        _require_writable(Household, old, by)
        if old.code != household.code:
            raise ValidationError(
                {"code": _("A code changes only through a recode, which keeps its history.")}
            )
    _require_writable(Building, household.building, by)
    if household.head_id and (not household.pk or household.head.household_id != household.pk):
        raise ValidationError({"head": _("The head of household must live in this dwelling.")})
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def resident_tag_save(*, tag, by) -> ResidentTag:
    """Create or change a resident tag. Tags are shared by every community: only the administrator
    defines them, and two tags never share a name (staff pick tags by name)."""
    if not by.is_superuser:
        raise PermissionDenied(_("Only an administrator may define resident tags."))
    tag.full_clean()
    if ResidentTag.objects.filter(name__iexact=tag.name.strip()).exclude(pk=tag.pk).exists():
        raise ValidationError({"name": _("Another tag already has this name.")})
    tag.save()
    return tag


# --- Bulk registration (the registry import) -------------------------------------------------


def _require_all_writable(model, pks, by):
    """`_require_writable` for many rows at once: one query, or two when something is refused."""
    if by.is_superuser or not pks:
        return
    pks = set(pks)
    if set(model.objects.editable_by(by).filter(pk__in=pks).values_list("pk", flat=True)) == pks:
        return
    if set(model.objects.visible_to(by).filter(pk__in=pks).values_list("pk", flat=True)) != pks:
        raise Http404
    raise PermissionDenied(_("You may look at this record but not change it."))


@transaction.atomic
def households_bulk_create(*, households, by) -> list[Household]:
    """Create many dwellings of buildings `by` may change: `household_save`'s rules, one insert."""
    households = list(households)
    _require_all_writable(Building, {h.building_id for h in households}, by)
    rooms = set()
    for household in households:
        # The buildings were checked above in one query; a foreign key's own check is a query a row.
        household.full_clean(
            exclude=["building", "microgrid", "head"], validate_unique=False, validate_constraints=False
        )
        rooms.add((household.building_id, household.unit, household.room))
    taken = Household.objects.filter(code__in=[h.code for h in households])
    if len(rooms) != len(households) or taken.exists():
        raise ValidationError({"code": _("A dwelling with this code or room is already registered.")})
    return Household.objects.bulk_create(households)


@transaction.atomic
def residents_bulk_create(*, entries, by) -> list[Resident]:
    """Register many residents, each moving into its dwelling on its date: `resident_create`'s checks,
    with one scope query, one duplicate query and two inserts for the lot (an import writes thousands).

    Each entry is a dict of RESIDENT_FIELDS plus household, id_type, id_number, kind, relation, moved_in.
    """
    entries = list(entries)
    _require_all_writable(Household, {e["household"].pk for e in entries}, by)
    residents = []
    for entry in entries:
        fields = {name: entry[name] for name in RESIDENT_FIELDS & entry.keys()}
        resident = Resident(
            id_type=entry.get("id_type", Resident.IdType.RESIDENT_ID), household=entry["household"], **fields
        )
        number, resident.birth_date, resident.gender = check_id_fields(
            id_type=resident.id_type,
            id_number=entry.get("id_number", ""),
            birth_date=resident.birth_date,
            gender=resident.gender,
        )
        resident.set_id_number(number)
        _full_clean(resident)
        residents.append(resident)
    indexes = [r.id_number_index for r in residents if r.id_number_index]
    if len(set(indexes)) != len(indexes) or Resident.objects.filter(id_number_index__in=indexes).exists():
        raise ValidationError({"id_number": _("A resident with this ID number is already registered.")})
    Resident.objects.bulk_create(residents)
    Residence.objects.bulk_create(
        Residence(
            resident=resident,
            household=entry["household"],
            moved_in=entry.get("moved_in") or timezone.localdate(),
            kind=entry.get("kind") or Residence.Kind.HUKOU,
            relation=entry.get("relation") or Residence.Relation.OTHER,
        )
        for resident, entry in zip(residents, entries, strict=True)
    )
    return residents


@transaction.atomic
def residence_update(*, residence, by, kind=None, relation=None) -> Residence:
    """Correct the population type or relation of a current residence (no move: same dwelling)."""
    residence = Residence.objects.select_for_update().select_related("resident").get(pk=residence.pk)
    _require_writable(Household, residence.household, by)
    if residence.moved_out is not None:
        raise ValidationError(_("A past residence is history and is not changed."))
    residence.kind = kind or residence.kind
    residence.relation = relation or residence.relation
    residence.full_clean()
    residence.save(update_fields=["kind", "relation"])
    return residence
