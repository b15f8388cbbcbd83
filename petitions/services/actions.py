"""The effect of each action on the locked row: one function per action, registered in rules.RULES.

A handler gets the locked petition and the actor, changes the row's fields (petition_transition saves
it) and may return {"event_data": ..., "photos": ...}. Its own refusals raise PetitionError."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation

from ..models import FollowUpAttempt, Outbox, Petition, PetitionEvent
from ..photos import clean_photos
from .errors import PetitionError
from .outbox import schedule, schedule_resolve, schedule_sms, set_resolve_deadline

S = Petition.Status
K = Outbox.Kind

UNREACHABLE_ATTEMPTS = 3
MAX_ESCALATION = 2  # 0 grid, 1 community, 2 street
NOT_SOLVED_LIMIT = 2  # the second "not solved" goes to community review

# What staff write for the public board and the wish wall must not carry a mobile number, an ID number or
# an exact room (e.g. "3-2-501", "501室").
PERSONAL_DATA_PATTERNS = [
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),
    re.compile(r"\d+\s*-\s*\d+\s*-\s*\d+|\d{3,4}\s*(室|号房)"),
]


def _require(value, message):
    if not value:
        raise PetitionError(message, code="missing")
    return value


def _check_public_text(text):
    if any(pattern.search(text) for pattern in PERSONAL_DATA_PATTERNS):
        raise PetitionError(
            _("Public text must not contain a phone number, an ID number or a room number."),
            code="personal_data",
        )


def accept(p, *, by, note, now, **_d):
    p.status = S.ACCEPTED
    p.accepted_at = now
    p.contacted_at = p.contacted_at or now
    set_resolve_deadline(p, now)
    schedule_sms(p, K.SMS_ACCEPTED, now)


def decline(p, *, by, note, now, **_d):
    p.status = S.DECLINED
    p.decline_reason = note[:300]
    # The reason reaches the resident: that is the first contact (it counts in the response rate).
    p.contacted_at = p.contacted_at or now
    p.closed_at = now


def assign(p, *, by, note, now, assignee=None, organisation=None, grid=None, **_d):
    """Dispatch and reassign alike: hand the item to a person, an organisation and/or a grid."""
    if assignee is None and organisation is None and grid is None:
        raise PetitionError(_("Choose a person or an organisation to hand it to."), code="missing")
    if grid is not None:
        # Handing it to a grid: its grid leaders and workers see it and take it on.
        if grid.community_id != p.community_id:
            raise PetitionError(_("The grid is not in this item's community."), code="bad_target")
        if p.grid_id != grid.pk:
            p.grid = grid
            p.microgrid = None
    if (
        organisation is not None
        and not Organisation.objects.dispatchable_for(p.community)
        .filter(pk=organisation.pk, active=True)
        .exists()
    ):
        raise PetitionError(_("This organisation does not serve this community."), code="bad_target")
    if assignee is not None and not assignee.is_active:
        raise PetitionError(_("This person cannot receive work."), code="bad_target")
    if (
        assignee is not None
        and assignee.community_id != p.community_id
        and not assignee.is_superuser
        and p.community_id not in assignee.scope.all_community_ids
    ):
        # Whoever calls (API, admin, a task) may not hand an item to someone of another community.
        raise PetitionError(_("This person does not work in this item's community."), code="bad_target")
    p.assignee = assignee
    p.assignee_org = organisation
    p.status = S.DISPATCHED
    schedule(p, K.ASSIGNED, now, now)
    return {
        "event_data": {
            "assignee": getattr(assignee, "pk", None),
            "organisation": getattr(organisation, "pk", None),
            "grid": getattr(grid, "pk", None),
            "to": str(organisation or assignee or grid),
        }
    }


def publish_wish(p, *, by, note, now, **_d):
    if not p.public_summary:
        _check_public_text(note)
    p.wish_published = True
    p.public_summary = p.public_summary or note[:1000]


def claim(p, *, by, note, now, **_d):
    p.assignee = by
    p.status = S.IN_PROGRESS
    schedule(p, K.ASSIGNED, now, now)
    return {"event_data": {"assignee": by.pk, "to": str(by)}}


def start(p, *, by, note, now, **_d):
    if p.assignee_id is None and p.assignee_org_id is None:
        p.assignee = by
    p.status = S.IN_PROGRESS
    p.contacted_at = p.contacted_at or now


def send_back(p, *, by, note, now, **_d):
    p.status = S.ACCEPTED
    p.assignee = None
    p.assignee_org = None
    p.extension_requested_until = None


def report_up(p, *, by, note, now, **_d):
    if p.escalation_level >= MAX_ESCALATION:
        raise PetitionError(_("This item is already with the street."), code="refused")
    p.escalation_level += 1
    if p.status in Petition.WORKING_STATUSES:
        p.status = S.ACCEPTED
        p.assignee = None
        p.assignee_org = None
    schedule(p, K.REPORTED_UP, now, now)
    return {"event_data": {"level": p.escalation_level}}


def request_extension(p, *, by, note, now, until=None, **_d):
    _require(until, _("Give the new date you need."))
    if p.resolve_due_at and until <= p.resolve_due_at:
        raise PetitionError(_("The new deadline must be later than the current one."), code="refused")
    p.extension_requested_until = until
    schedule(p, K.EXTENSION_REQUESTED, now, now)
    return {"event_data": {"until": until.isoformat()}}


def approve_extension(p, *, by, note, now, **_d):
    until = p.extension_requested_until
    p.extension_requested_until = None
    p.resolve_due_at = until
    schedule_resolve(p)
    return {"event_data": {"until": until.isoformat()}}


def reject_extension(p, *, by, note, now, **_d):
    p.extension_requested_until = None


def suspend(p, *, by, note, now, **_d):
    p.suspended_from = p.status
    p.status = S.SUSPENDED


def resume(p, *, by, note, now, **_d):
    p.status = p.suspended_from or S.ACCEPTED
    p.suspended_from = ""
    # The clock stopped while it was suspended: give back a full resolution period.
    if p.status in Petition.RESOLVE_CLOCK_STATUSES:
        set_resolve_deadline(p, now)


def contact(p, *, by, note, now, **_d):
    p.contacted_at = p.contacted_at or now


def annotate(p, *, by, note, now, **_d):
    return None


def set_summary(p, *, by, note, now, summary="", **_d):
    summary = (summary or "").strip()[:1000]
    _check_public_text(summary)
    p.public_summary = summary


def _mark_resolved(p, *, by, note, now, photos):
    cleaned = clean_photos(photos)
    p.status = S.RESOLVED
    p.resolved_at = now
    p.resolved_by = by
    p.resolution = note
    p.resolved_on_time = not (p.resolve_due_at and now > p.resolve_due_at)
    p.extension_requested_until = None
    p.follow_up_due_at = now + datetime.timedelta(days=p.category.follow_up_after_days)
    schedule(p, K.FOLLOW_UP_DUE, p.follow_up_due_at, p.follow_up_due_at)
    schedule_sms(p, K.SMS_RESOLVED, now)
    return {"photos": cleaned}


def resolve(p, *, by, note, now, photos=(), **_d):
    return _mark_resolved(p, by=by, note=note, now=now, photos=photos)


def resolve_on_the_spot(p, *, by, note, now, photos=(), **_d):
    p.accepted_at = p.accepted_at or now
    p.contacted_at = p.contacted_at or now
    p.assignee = by
    return _mark_resolved(p, by=by, note=note, now=now, photos=photos)


def record_follow_up(p, *, by, note, now, solved=None, satisfaction="", by_resident=False, **_d):
    """The follow-up visit (staff) and the resident's own rating alike; the event says which it was."""
    if solved is None:
        raise PetitionError(_("Say whether the problem is solved."), code="missing")
    if satisfaction not in Petition.Satisfaction.values:
        raise PetitionError(_("Choose how satisfied the resident is."), code="missing")
    event_data = {"solved": bool(solved), "satisfaction": satisfaction}
    if by_resident:
        event_data["by_resident"] = True
    p.followed_up_at = now
    p.solved = bool(solved)
    p.satisfaction = satisfaction
    p.rated_by_resident = by_resident
    p.unreachable = False
    schedule_sms(p, K.SMS_FOLLOWED_UP, now)
    if solved:
        p.status = S.CLOSED
        p.closed_at = now
        return {"event_data": event_data}
    p.not_solved_count += 1
    if p.not_solved_count >= NOT_SOLVED_LIMIT:
        p.status = S.REVIEW
        return {"event_data": event_data}
    # Back to whoever had it, with a fresh deadline.
    p.status = S.DISPATCHED
    p.resolved_at = None
    p.resolved_by = None
    p.resolved_on_time = None
    set_resolve_deadline(p, now)
    if p.assignee_id is None and p.assignee_org_id is None:
        p.status = S.ACCEPTED
    return {"event_data": event_data}


def rate(p, **kwargs):
    return record_follow_up(p, by_resident=True, **kwargs)


def follow_up_unreachable(p, *, by, note, now, **_d):
    today = timezone.localdate(now)
    _attempt, created = FollowUpAttempt.objects.get_or_create(
        petition=p, day=today, defaults={"by": by, "note": note[:300]}
    )
    if not created:
        raise PetitionError(
            _("An attempt was already recorded today; try again on another day."), code="refused"
        )
    days = FollowUpAttempt.objects.filter(petition=p).values("day").distinct().count()
    if days >= UNREACHABLE_ATTEMPTS:
        # Counts as the follow-up, but stays out of the satisfaction rate.
        p.status = S.CLOSED
        p.closed_at = now
        p.followed_up_at = now
        p.unreachable = True
        p.solved = None
        p.satisfaction = ""
        p.rated_by_resident = False
    return {"event_data": {"attempt": days}}


def review_close(p, *, by, note, now, **_d):
    p.status = S.CLOSED
    p.closed_at = now


def review_redispatch(p, *, by, note, now, **_d):
    p.status = S.DISPATCHED if (p.assignee_id or p.assignee_org_id) else S.ACCEPTED
    p.not_solved_count = 0
    set_resolve_deadline(p, now)


def merge(p, *, by, note, now, into=None, **_d):
    _require(into, _("Choose the item to merge into."))
    # The target as it is now (locked by petition_transition), not as the caller loaded it.
    into = Petition.objects.get(pk=into.pk)
    if into.pk == p.pk or into.community_id != p.community_id:
        raise PetitionError(
            _("It can only be merged into another open item of the same community."), code="refused"
        )
    if into.status in (S.MERGED, S.DECLINED, S.CLOSED):
        raise PetitionError(
            _("It cannot be merged into an item that is closed, declined or itself merged."),
            code="refused",
        )
    p.status = S.MERGED
    p.merged_into = into
    p.closed_at = now
    PetitionEvent.objects.create(
        petition=into,
        actor=by,
        action=PetitionEvent.Action.MERGED_IN,
        from_status=into.status,
        to_status=into.status,
        note=p.tracking_code,
        public=False,
    )
    return {"event_data": {"into": into.pk}}
