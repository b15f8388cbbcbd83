"""Every write of targeted assistance: keyword-only, in a transaction, refusing with a ValidationError
(or PermissionDenied for someone outside the case)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of, may_keep_case_ledger

from .models import Case, CaseMilestone, LedgerEntry


def _require(condition, message):
    if not condition:
        raise ValidationError(message)


def _subject_community_id(case):
    if case.household_id:
        return case.household.building.community_id
    if case.resident_id and case.resident.household_id:
        return case.resident.household.building.community_id
    return None


@transaction.atomic
def case_save(*, case, by, helpers=None, visits=None, petitions=None, milestones=()) -> Case:
    """Create or change a case. Its community follows the dwelling (or the resident's home); only staff
    of that community may open or change it. `milestones` (titles) are added after the existing ones."""
    _require(
        case.resident_id or case.household_id, _("Choose the resident or the dwelling this case is for.")
    )
    if case.resident_id and case.household_id and case.resident.household_id:
        _require(
            case.resident.household_id == case.household_id, _("The resident does not live in this dwelling.")
        )
    community_id = _subject_community_id(case)
    if community_id is None and case.community_id and case.pk is None:
        community_id = case.community_id  # a resident without a registered home: the community chosen
    _require(community_id, _("This resident has no dwelling; choose the dwelling too."))
    if case.pk:
        old = Case.objects.select_for_update().get(pk=case.pk)
        if not is_staff_of(by, old.community_id):
            raise PermissionDenied(_("Only staff of the community may change an assistance case."))
    if not is_staff_of(by, community_id):
        raise PermissionDenied(_("Only staff of the community may open an assistance case."))
    case.community_id = community_id
    _require(case.title.strip(), _("Give the case a title."))
    for other in (case.team, case.unit):
        if other is not None and other.community_id not in (None, community_id):
            raise ValidationError(_("The team and the unit must work in the case's community."))
    if case.published:
        _require(case.public_summary.strip(), _("Write the public summary before publishing."))
    if case.pk is None:
        case.created_by = by
    case.save()
    for name, values in (("helpers", helpers), ("visits", visits), ("petitions", petitions)):
        if values is not None:
            getattr(case, name).set(values)
    if visits is not None:
        _require(
            not case.visits.exclude(household__building__community_id=community_id).exists(),
            _("A linked visit belongs to another community."),
        )
    if petitions is not None:
        _require(
            not case.petitions.exclude(community_id=community_id).exists(),
            _("A linked request belongs to another community."),
        )
    for title in milestones:
        milestone_add(case=case, title=title, by=by)
    return case


@transaction.atomic
def milestone_add(*, case, title, due_on=None, by) -> CaseMilestone:
    """Add a milestone after the last one."""
    if not is_staff_of(by, case.community_id):
        raise PermissionDenied(_("Only staff of the community may plan milestones."))
    _require(title.strip(), _("Give the milestone a title."))
    Case.objects.select_for_update().get(pk=case.pk)  # serialises the next position
    last = case.milestones.order_by("-position").values_list("position", flat=True).first() or 0
    return CaseMilestone.objects.create(case=case, position=last + 1, title=title.strip(), due_on=due_on)


@transaction.atomic
def milestone_set_done(*, milestone, done, by, on=None, note="") -> CaseMilestone:
    """Mark a milestone reached (with an optional note of how) or not reached again (the note goes too)."""
    case = milestone.case
    if not may_keep_case_ledger(by, case):
        raise PermissionDenied(_("Only the people on this case may mark its milestones."))
    note = (note or "").strip()
    _require(len(note) <= 200, _("Keep the note under 200 characters."))
    milestone = CaseMilestone.objects.select_for_update().get(pk=milestone.pk)
    if done:
        _require(milestone.done_on is None, _("This milestone is already marked reached."))
        on = on or timezone.localdate()
        _require(on <= timezone.localdate(), _("The date cannot be in the future."))
        milestone.done_on, milestone.done_note, milestone.done_by = on, note, by
    else:
        milestone.done_on, milestone.done_note, milestone.done_by = None, "", None
    milestone.save(update_fields=["done_on", "done_note", "done_by"])
    return milestone


def _parse_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Enter the amount in yuan, e.g. 120.50.")) from None
    _require(value > 0, _("The amount must be more than zero."))
    _require(value < Decimal("10000000000"), _("The amount is too large."))
    return value


@transaction.atomic
def entry_record(*, case, direction, amount, note, occurred_on, by) -> LedgerEntry:
    """Record cash in or out. It counts in the balance only once another person confirms it."""
    if not may_keep_case_ledger(by, case):
        raise PermissionDenied(_("Only the people on this case may record its money."))
    _require(direction in LedgerEntry.Direction.values, _("Choose money in or money out."))
    _require(note and note.strip(), _("Say what the money is for."))
    _require(occurred_on, _("Give the date."))
    _require(occurred_on <= timezone.localdate(), _("The date cannot be in the future."))
    return LedgerEntry.objects.create(
        case=case,
        direction=direction,
        amount=_parse_amount(amount),
        note=note.strip()[:200],
        occurred_on=occurred_on,
        recorded_by=by,
    )


@transaction.atomic
def entry_confirm(*, entry, by) -> LedgerEntry:
    """The second person confirms an entry. Under a row lock: of two confirmations at once, one wins and
    the other is told it is already confirmed."""
    locked = LedgerEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    if not may_keep_case_ledger(by, locked.case):
        raise PermissionDenied(_("Only the people on this case may confirm its money."))
    _require(locked.confirmed_at is None, _("This entry is already confirmed."))
    _require(
        locked.recorded_by_id != by.pk,
        _("You recorded this entry: a different person must confirm it (the two-person rule)."),
    )
    now = timezone.now()
    LedgerEntry.objects.filter(pk=locked.pk).update(confirmed_by=by, confirmed_at=now)
    locked.confirmed_by, locked.confirmed_at = by, now
    return locked


@transaction.atomic
def entry_reverse(*, entry, note, by) -> LedgerEntry:
    """Correct a confirmed entry: record the opposite movement (to be confirmed like any other). An entry
    is never edited."""
    locked = LedgerEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    _require(locked.confirmed_at is not None, _("Only a confirmed entry can be reversed."))
    _require(locked.reverses_id is None, _("A reversal cannot itself be reversed; record a new entry."))
    _require(not LedgerEntry.objects.filter(reverses=locked).exists(), _("This entry is already reversed."))
    if not may_keep_case_ledger(by, locked.case):
        raise PermissionDenied(_("Only the people on this case may correct its money."))
    _require(note and note.strip(), _("Say why the entry is reversed."))
    opposite = LedgerEntry.Direction.OUT if locked.direction == LedgerEntry.Direction.IN else "in"
    return LedgerEntry.objects.create(
        case=locked.case,
        direction=opposite,
        amount=locked.amount,
        note=note.strip()[:200],
        occurred_on=timezone.localdate(),
        reverses=locked,
        recorded_by=by,
    )
