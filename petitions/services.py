"""Every write to a request goes through this module.

Contract (other apps code against it; keep it stable):

    petition_submit(*, kind, category, description, channel, building=None, household=None,
                    location_text="", submitter=None, phone="", photos=(), by=None,
                    community=None, submitter_name="", hotline_order_no="", phone_verified=False) -> Petition
        Creates the item with its tracking code and deadlines (accept, first contact), an event row and
        the outbox rows of its reminders. `photos` are uploaded files (checked and re-encoded here).
        `by` is the user recording it (a grid leader on a visit, staff at the desk); None for the public.

    petition_transition(*, petition, action, by, note="", **data) -> Petition
        The one place a state changes. Locks the row (select_for_update), checks the action is legal
        from the current state and that `by` may do it on this item (role + scope), writes a
        PetitionEvent, schedules outbox rows, queues delivery on commit. Raises PetitionError
        (a ValidationError with a translated message) and changes nothing when refused.
        Actions: accept, decline(note=reason),
        dispatch(assignee=User|None, organisation=Organisation|None, grid=Grid|None),
        reassign(same), publish_wish, claim, start, send_back(note), report_up(note),
        request_extension(until, note), approve_extension, reject_extension(note), suspend(note), resume,
        contact, annotate(note), resolve(note, photos=()), resolve_on_the_spot(note, photos=()),
        follow_up(solved, satisfaction, note), follow_up_unreachable(note), review_close(note),
        review_redispatch(note), merge(into=Petition, note), rate(solved, satisfaction) for the resident.

    Thin wrappers: petition_accept, petition_decline, petition_dispatch, petition_start, petition_resolve,
    petition_resolve_on_the_spot, petition_follow_up, petition_follow_up_unreachable, petition_claim,
    petition_merge, petition_rate.

    access_petition(user, pk) -> Petition          (Http404 outside the user's scope)
    allowed_actions(user, petition) -> list[str]    (what the pages offer)
    PetitionError(ValidationError)
"""

import datetime
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

from . import calendar
from .models import FollowUpAttempt, Outbox, Petition, PetitionEvent, PetitionPhoto
from .photos import clean_photos

logger = logging.getLogger("linli.petitions")

S = Petition.Status
K = Outbox.Kind

UNREACHABLE_ATTEMPTS = 3
MAX_ESCALATION = 2  # 0 grid, 1 community, 2 street
NOT_SOLVED_LIMIT = 2  # the second "not solved" goes to community review


class PetitionError(ValidationError):
    """An action refused: illegal from this state, or not allowed for this person."""


# --- Who the actor is for this item ---------------------------------------------------------------


def relations(user, petition) -> set[str]:
    """The capacities in which `user` may act on `petition`."""
    if user is None or not user.is_authenticated:
        return set()
    scope = user.scope
    rel = set()
    if scope.is_superuser or petition.community_id in scope.writable_community_ids:
        rel.add("staff")
    if (
        petition.grid_id
        and petition.grid_id in scope.grid_ids
        and scope.roles & {Role.GRID_LEADER, Role.GRID_WORKER}
    ):
        rel.add("grid")
    if petition.microgrid_id and petition.microgrid_id in scope.microgrid_ids:
        rel.add("microgrid")
    if Role.STREET_OFFICIAL in scope.roles and petition.community_id in scope.community_ids:
        rel.add("street")
    if petition.community_id in scope.community_ids:
        rel.add("official")
    if petition.assignee_id == user.pk or (
        petition.assignee_org_id and petition.assignee_org.members.filter(pk=user.pk).exists()
    ):
        rel.add("assignee")
    volunteering = petition.community_id in scope.member_community_ids and scope.roles & {
        Role.PARTY_MEMBER,
        Role.VOLUNTEER,
    }
    if volunteering or user.organisations.filter(community_id=petition.community_id, active=True).exists():
        rel.add("member")
    if petition.submitter_id == user.pk:
        rel.add("submitter")
    return rel


@dataclass(frozen=True)
class Rule:
    sources: tuple
    who: frozenset
    needs_note: bool = False
    label: str = ""


ANY_OPEN = (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.SUSPENDED, S.REVIEW, S.RESOLVED)
WORKING = (S.DISPATCHED, S.IN_PROGRESS)

RULES = {
    "accept": Rule((S.SUBMITTED,), frozenset({"staff", "grid"}), label=_("Accept")),
    "decline": Rule((S.SUBMITTED,), frozenset({"staff", "grid"}), needs_note=True, label=_("Decline")),
    "dispatch": Rule((S.ACCEPTED,), frozenset({"staff", "grid"}), label=_("Dispatch")),
    "reassign": Rule(WORKING, frozenset({"staff", "street"}), label=_("Reassign")),
    # The note is the public text of the wish: written by staff, without names or room numbers.
    "publish_wish": Rule(
        (S.ACCEPTED,), frozenset({"staff", "grid"}), needs_note=True, label=_("Publish on the wish wall")
    ),
    "claim": Rule((S.ACCEPTED,), frozenset({"member", "staff", "grid", "microgrid"}), label=_("Claim")),
    # From "accepted" a grid leader or staff member takes it on themselves.
    "start": Rule(
        (S.ACCEPTED, S.DISPATCHED), frozenset({"assignee", "staff", "grid"}), label=_("Start work")
    ),
    "send_back": Rule(WORKING, frozenset({"assignee"}), needs_note=True, label=_("Send back")),
    "report_up": Rule(
        (S.SUBMITTED, S.ACCEPTED) + WORKING, frozenset({"assignee", "grid", "staff"}), True, _("Report up")
    ),
    "request_extension": Rule(
        WORKING, frozenset({"assignee"}), needs_note=True, label=_("Ask for more time")
    ),
    "approve_extension": Rule(WORKING, frozenset({"staff", "street"}), label=_("Approve extension")),
    "reject_extension": Rule(WORKING, frozenset({"staff", "street"}), label=_("Refuse extension")),
    "suspend": Rule((S.ACCEPTED,) + WORKING, frozenset({"staff"}), needs_note=True, label=_("Suspend")),
    "resume": Rule((S.SUSPENDED,), frozenset({"staff"}), label=_("Resume")),
    "contact": Rule(
        (S.SUBMITTED, S.ACCEPTED) + WORKING,
        frozenset({"staff", "grid", "assignee"}),
        label=_("Record first contact"),
    ),
    "annotate": Rule(
        ANY_OPEN + (S.CLOSED,), frozenset({"staff", "grid", "street", "assignee"}), True, _("Add a note")
    ),
    "resolve": Rule(WORKING, frozenset({"assignee", "staff"}), needs_note=True, label=_("Mark resolved")),
    "resolve_on_the_spot": Rule(
        (S.SUBMITTED, S.ACCEPTED), frozenset({"grid"}), needs_note=True, label=_("Resolved on the spot")
    ),
    "follow_up": Rule((S.RESOLVED,), frozenset({"staff", "grid", "microgrid"}), label=_("Record follow-up")),
    "follow_up_unreachable": Rule(
        (S.RESOLVED,), frozenset({"staff", "grid", "microgrid"}), label=_("Could not reach the resident")
    ),
    "rate": Rule((S.RESOLVED,), frozenset({"resident"}), label=_("Rate the result")),
    "review_close": Rule((S.REVIEW,), frozenset({"staff"}), needs_note=True, label=_("Close after review")),
    "review_redispatch": Rule(
        (S.REVIEW,), frozenset({"staff"}), needs_note=True, label=_("Send back to work")
    ),
    "merge": Rule(
        (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.SUSPENDED),
        frozenset({"staff"}),
        label=_("Merge into another"),
    ),
    "set_summary": Rule(ANY_OPEN + (S.CLOSED, S.DECLINED), frozenset({"staff"}), label=_("Public summary")),
}

# What the resident sees on the tracking page: status changes and these notes, never internal notes.
PUBLIC_ACTIONS = {
    "submit",
    "accept",
    "decline",
    "dispatch",
    "claim",
    "start",
    "resolve",
    "resolve_on_the_spot",
    "follow_up",
    "rate",
    "follow_up_unreachable",
    "review_close",
    "review_redispatch",
    "suspend",
    "resume",
    "merge",
    "reassign",
}


def allowed_actions(user, petition) -> list[str]:
    rel = relations(user, petition)
    out = []
    for name, rule in RULES.items():
        if (
            petition.status in rule.sources
            and rel & rule.who
            and _extra_check(name, petition, user, rel) is None
        ):
            out.append(name)
    return out


def _extra_check(action, petition, user, rel):
    """Action-specific conditions beyond state and capacity; returns an error message or None."""
    if action == "claim" and (petition.kind != Petition.Kind.WISH or not petition.wish_published):
        return _("Only wishes on the wish wall can be claimed.")
    if action == "publish_wish" and (petition.kind != Petition.Kind.WISH or petition.wish_published):
        return _("Only a micro-wish not yet on the wall can be published.")
    if (
        action == "reassign"
        and rel & {"street"}
        and not rel & {"staff"}
        and petition.escalation_level < MAX_ESCALATION
    ):
        return _("Street officials may reassign only items escalated to the street.")
    if action == "annotate" and rel == {"street", "official"} and petition.escalation_level < MAX_ESCALATION:
        return _("Street officials may annotate only items escalated to the street.")
    if action in ("approve_extension", "reject_extension"):
        if not petition.extension_requested_until:
            return _("No extension has been requested.")
        if user is not None and petition.assignee_id == user.pk:
            return _("An extension is approved by the level above, not by the person asking.")
        # Officials above the community only read, unless the item was escalated past the grid.
        if "staff" not in rel and petition.escalation_level < 1:
            return _("An extension is approved by the level above, not by the person asking.")
    if action == "request_extension" and petition.extension_requested_until:
        return _("An extension request is already waiting for a decision.")
    if (
        action in ("follow_up", "follow_up_unreachable")
        and user is not None
        and petition.resolved_by_id == user.pk
    ):
        return _("The follow-up must be made by someone other than the person who resolved it.")
    return None


# --- The one transition service ---------------------------------------------------------------------


def petition_transition(*, petition, action, by, note="", **data) -> Petition:
    rule = RULES.get(action)
    if rule is None:
        raise PetitionError(_("Unknown action."), code="unknown_action")
    note = (note or "").strip()
    written = []
    try:
        p = _transition_locked(petition, action, rule, by, note, data, written)
    except BaseException:
        _delete_files(written)
        raise
    # The caller's instance reflects the new state too (fields and the related objects loaded with it).
    if petition is not p:
        for field in p._meta.concrete_fields:
            setattr(petition, field.attname, getattr(p, field.attname))
        petition._state.fields_cache = dict(p._state.fields_cache)
    return p


def _transition_locked(petition, action, rule, by, note, data, written) -> Petition:
    with transaction.atomic():
        if action == "merge" and data.get("into") is not None:
            # Both rows, lowest id first: two merges crossing each other wait instead of deadlocking.
            list(
                Petition.objects.select_for_update(of=("self",))
                .filter(pk__in=[petition.pk, data["into"].pk])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        # Lock the row: a second actor waits here, then sees the new state and is refused.
        p = Petition.objects.select_for_update(of=("self",)).select_related("category").get(pk=petition.pk)
        rel = {"resident"} if data.pop("as_resident", False) else relations(by, p)
        if p.status not in rule.sources:
            raise PetitionError(
                _("This cannot be done now: the item is “%(status)s”.") % {"status": p.get_status_display()},
                code="illegal_transition",
            )
        if not rel & rule.who:
            raise PetitionError(_("You are not allowed to do this on this item."), code="forbidden")
        problem = _extra_check(action, p, by, rel)
        if problem:
            raise PetitionError(problem, code="refused")
        if rule.needs_note and not note:
            raise PetitionError(_("Please give a reason or describe what was done."), code="note_required")
        now = timezone.now()
        from_status = p.status
        handler = _HANDLERS[action]
        extra = handler(p, by=by, note=note, now=now, **data) or {}
        event = PetitionEvent.objects.create(
            petition=p,
            actor=by if by is not None and by.is_authenticated else None,
            action=action,
            from_status=from_status,
            to_status=p.status,
            note=note,
            data=extra.get("event_data", {}),
            public=action in PUBLIC_ACTIONS,
        )
        _store_photos(p, extra.get("photos", ()), written, event=event)
        p.save()
        logger.info(
            "petition=%s action=%s %s->%s by=%s", p.pk, action, from_status, p.status, getattr(by, "pk", None)
        )
        _queue_delivery()
    return p


def _store_photos(petition, contents, written, event=None):
    """Write the files and their rows; each written file is noted so a rollback can remove it."""
    for content in contents:
        photo = PetitionPhoto(petition=petition, event=event)
        photo.image.save("photo.jpg", content, save=False)
        written.append((photo.image.storage, photo.image.name))
        photo.save()


def _delete_files(written):
    """The transaction rolled back: the files written in it belong to no row, remove them."""
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not remove orphan photo %s", name, exc_info=True)
    written.clear()


def _require(value, message):
    if not value:
        raise PetitionError(message, code="missing")
    return value


def _h_accept(p, *, by, note, now, **_d):
    p.status = S.ACCEPTED
    p.accepted_at = now
    p.contacted_at = p.contacted_at or now
    _set_resolve_deadline(p, now)
    _schedule_sms(p, K.SMS_ACCEPTED, now)


def _h_decline(p, *, by, note, now, **_d):
    p.status = S.DECLINED
    p.decline_reason = note[:300]
    # The reason reaches the resident: that is the first contact (it counts in the response rate).
    p.contacted_at = p.contacted_at or now
    p.closed_at = now


def _assign(p, *, assignee=None, organisation=None, grid=None, now):
    if assignee is None and organisation is None and grid is None:
        raise PetitionError(_("Choose a person or an organisation to hand it to."), code="missing")
    if grid is not None:
        # Handing it to a grid: its grid leaders and workers see it and take it on.
        if grid.community_id != p.community_id:
            raise PetitionError(_("The grid is not in this item's community."), code="bad_target")
        if p.grid_id != grid.pk:
            p.grid = grid
            p.microgrid = None
    if organisation is not None:
        from governance.models import Organisation

        if (
            not Organisation.objects.dispatchable_for(p.community)
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
    _schedule(p, K.ASSIGNED, now, now)
    return {
        "event_data": {
            "assignee": getattr(assignee, "pk", None),
            "organisation": getattr(organisation, "pk", None),
            "grid": getattr(grid, "pk", None),
            "to": str(organisation or assignee or grid),
        }
    }


def _h_dispatch(p, *, by, note, now, assignee=None, organisation=None, grid=None, **_d):
    out = _assign(p, assignee=assignee, organisation=organisation, grid=grid, now=now)
    p.status = S.DISPATCHED
    return out


def _h_reassign(p, *, by, note, now, assignee=None, organisation=None, grid=None, **_d):
    out = _assign(p, assignee=assignee, organisation=organisation, grid=grid, now=now)
    p.status = S.DISPATCHED
    return out


# What staff write for the public board and the wish wall must not carry a mobile number, an ID number or
# an exact room (e.g. "3-2-501", "501室").
PERSONAL_DATA_PATTERNS = [
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),
    re.compile(r"\d+\s*-\s*\d+\s*-\s*\d+|\d{3,4}\s*(室|号房)"),
]


def _check_public_text(text):
    if any(pattern.search(text) for pattern in PERSONAL_DATA_PATTERNS):
        raise PetitionError(
            _("Public text must not contain a phone number, an ID number or a room number."),
            code="personal_data",
        )


def _h_publish_wish(p, *, by, note, now, **_d):
    if not p.public_summary:
        _check_public_text(note)
    p.wish_published = True
    p.public_summary = p.public_summary or note[:1000]


def _h_claim(p, *, by, note, now, **_d):
    p.assignee = by
    p.status = S.IN_PROGRESS
    _schedule(p, K.ASSIGNED, now, now)
    return {"event_data": {"assignee": by.pk, "to": str(by)}}


def _h_start(p, *, by, note, now, **_d):
    if p.assignee_id is None and p.assignee_org_id is None:
        p.assignee = by
    p.status = S.IN_PROGRESS
    p.contacted_at = p.contacted_at or now


def _h_send_back(p, *, by, note, now, **_d):
    p.status = S.ACCEPTED
    p.assignee = None
    p.assignee_org = None
    p.extension_requested_until = None


def _h_report_up(p, *, by, note, now, **_d):
    if p.escalation_level >= MAX_ESCALATION:
        raise PetitionError(_("This item is already with the street."), code="refused")
    p.escalation_level += 1
    if p.status in WORKING:
        p.status = S.ACCEPTED
        p.assignee = None
        p.assignee_org = None
    _schedule(p, K.REPORTED_UP, now, now)
    return {"event_data": {"level": p.escalation_level}}


def _h_request_extension(p, *, by, note, now, until=None, **_d):
    _require(until, _("Give the new date you need."))
    if p.resolve_due_at and until <= p.resolve_due_at:
        raise PetitionError(_("The new deadline must be later than the current one."), code="refused")
    p.extension_requested_until = until
    _schedule(p, K.EXTENSION_REQUESTED, now, now)
    return {"event_data": {"until": until.isoformat()}}


def _h_approve_extension(p, *, by, note, now, **_d):
    until = p.extension_requested_until
    p.extension_requested_until = None
    p.resolve_due_at = until
    _schedule_resolve(p)
    return {"event_data": {"until": until.isoformat()}}


def _h_reject_extension(p, *, by, note, now, **_d):
    p.extension_requested_until = None


def _h_suspend(p, *, by, note, now, **_d):
    p.suspended_from = p.status
    p.status = S.SUSPENDED


def _h_resume(p, *, by, note, now, **_d):
    p.status = p.suspended_from or S.ACCEPTED
    p.suspended_from = ""
    # The clock stopped while it was suspended: give back a full resolution period.
    if p.status in (S.ACCEPTED,) + WORKING:
        _set_resolve_deadline(p, now)


def _h_contact(p, *, by, note, now, **_d):
    p.contacted_at = p.contacted_at or now


def _h_annotate(p, *, by, note, now, **_d):
    return None


def _h_set_summary(p, *, by, note, now, summary="", **_d):
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
    _schedule(p, K.FOLLOW_UP_DUE, p.follow_up_due_at, p.follow_up_due_at)
    _schedule_sms(p, K.SMS_RESOLVED, now)
    return {"photos": cleaned}


def _h_resolve(p, *, by, note, now, photos=(), **_d):
    return _mark_resolved(p, by=by, note=note, now=now, photos=photos)


def _h_resolve_on_the_spot(p, *, by, note, now, photos=(), **_d):
    p.accepted_at = p.accepted_at or now
    p.contacted_at = p.contacted_at or now
    p.assignee = by
    return _mark_resolved(p, by=by, note=note, now=now, photos=photos)


def _record_follow_up(p, *, now, solved, satisfaction):
    if solved is None:
        raise PetitionError(_("Say whether the problem is solved."), code="missing")
    if satisfaction not in Petition.Satisfaction.values:
        raise PetitionError(_("Choose how satisfied the resident is."), code="missing")
    p.followed_up_at = now
    p.solved = bool(solved)
    p.satisfaction = satisfaction
    p.unreachable = False
    _schedule_sms(p, K.SMS_FOLLOWED_UP, now)
    if solved:
        p.status = S.CLOSED
        p.closed_at = now
        return
    p.not_solved_count += 1
    if p.not_solved_count >= NOT_SOLVED_LIMIT:
        p.status = S.REVIEW
        return
    # Back to whoever had it, with a fresh deadline.
    p.status = S.DISPATCHED
    p.resolved_at = None
    p.resolved_by = None
    p.resolved_on_time = None
    _set_resolve_deadline(p, now)
    if p.assignee_id is None and p.assignee_org_id is None:
        p.status = S.ACCEPTED


def _h_follow_up(p, *, by, note, now, solved=None, satisfaction="", **_d):
    _record_follow_up(p, now=now, solved=solved, satisfaction=satisfaction)
    return {"event_data": {"solved": bool(solved), "satisfaction": satisfaction}}


def _h_rate(p, *, by, note, now, solved=None, satisfaction="", **_d):
    _record_follow_up(p, now=now, solved=solved, satisfaction=satisfaction)
    return {"event_data": {"solved": bool(solved), "satisfaction": satisfaction, "by_resident": True}}


def _h_follow_up_unreachable(p, *, by, note, now, **_d):
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
    return {"event_data": {"attempt": days}}


def _h_review_close(p, *, by, note, now, **_d):
    p.status = S.CLOSED
    p.closed_at = now


def _h_review_redispatch(p, *, by, note, now, **_d):
    p.status = S.DISPATCHED if (p.assignee_id or p.assignee_org_id) else S.ACCEPTED
    p.not_solved_count = 0
    _set_resolve_deadline(p, now)


def _h_merge(p, *, by, note, now, into=None, **_d):
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
        action="merged_in",
        from_status=into.status,
        to_status=into.status,
        note=p.tracking_code,
        public=False,
    )
    return {"event_data": {"into": into.pk}}


_HANDLERS = {name: globals()[f"_h_{name}"] for name in RULES}


# --- Deadlines and the outbox -------------------------------------------------------------------------


def _set_resolve_deadline(p, now):
    c = p.category
    p.resolve_due_at = calendar.deadline(now, c.resolve_within, c.deadline_unit)
    _schedule_resolve(p)


def _schedule_resolve(p):
    lead = datetime.timedelta(hours=p.category.remind_before_hours)
    # A reminder that would be due at once (the lead is as long as the deadline) only repeats the notice
    # people get now; the overdue notice still comes.
    if p.resolve_due_at - lead > timezone.now():
        _schedule(p, K.RESOLVE_REMINDER, p.resolve_due_at, p.resolve_due_at - lead)
    _schedule(p, K.RESOLVE_OVERDUE, p.resolve_due_at, p.resolve_due_at)


def _schedule_sms(p, kind, now):
    if p.phone:
        _schedule(p, kind, now, now)


def _schedule(p, kind, deadline, due_at):
    Outbox.objects.bulk_create(
        [Outbox(petition_id=p.pk, kind=kind, deadline=deadline, due_at=due_at)], ignore_conflicts=True
    )


def _queue_delivery():
    """After commit, ask a worker to deliver what is due now. If the broker is down this logs and moves
    on: the beat sweep finds the rows later."""
    from .tasks import sweep_outbox

    def send_sweep():
        sweep_outbox.apply_async(retry=False)

    transaction.on_commit(send_sweep, robust=True)


# --- Submission ---------------------------------------------------------------------------------------


def petition_submit(
    *,
    kind,
    category,
    description,
    channel,
    building=None,
    household=None,
    location_text="",
    submitter=None,
    phone="",
    photos=(),
    by=None,
    community=None,
    submitter_name="",
    hotline_order_no="",
    phone_verified=False,
    is_xinfang=False,
) -> Petition:
    if category is None:
        # A fresh install without categories yet: the resident's request still gets in.
        category = category_fallback()
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Please describe what you need.")})
    if len(description) > 2000:
        raise ValidationError({"description": _("Please keep it under 2000 characters.")})
    if kind not in Petition.Kind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    if channel not in Petition.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    if channel == Petition.Channel.HOTLINE and not hotline_order_no.strip():
        raise ValidationError(
            {"hotline_order_no": _("Items from the 12345 hotline keep their work-order number.")}
        )
    if not category.active:
        raise ValidationError({"category": _("This category is no longer used.")})
    if household is not None:
        if building is not None and household.building_id != building.pk:
            raise ValidationError({"household": _("The dwelling is not in this building.")})
        building = household.building
    if building is not None:
        community = building.community
    if community is None:
        raise ValidationError({"building": _("Tell us the building or the community it concerns.")})
    if by is not None and channel != Petition.Channel.PUBLIC:
        rel_ok = (
            by.is_superuser
            or community.pk in by.scope.writable_community_ids
            or (building is not None and building.grid_id in by.scope.grid_ids)
            or (household is not None and household.microgrid_id in by.scope.microgrid_ids)
        )
        if not rel_ok:
            raise PetitionError(_("You can only record items for your own patch."), code="forbidden")
    cleaned = clean_photos(photos)
    written = []
    try:
        return _submit_locked(
            cleaned=cleaned,
            written=written,
            kind=kind,
            category=category,
            description=description,
            channel=channel,
            community=community,
            building=building,
            household=household,
            location_text=location_text,
            submitter=submitter,
            submitter_name=submitter_name,
            phone=phone,
            phone_verified=phone_verified,
            by=by,
            hotline_order_no=hotline_order_no,
            is_xinfang=is_xinfang,
        )
    except BaseException:
        _delete_files(written)
        raise


def _submit_locked(
    *,
    cleaned,
    written,
    kind,
    category,
    description,
    channel,
    community,
    building,
    household,
    location_text,
    submitter,
    submitter_name,
    phone,
    phone_verified,
    by,
    hotline_order_no,
    is_xinfang,
) -> Petition:
    now = timezone.now()
    with transaction.atomic():
        p = Petition(
            kind=kind,
            category=category,
            description=description,
            channel=channel,
            community=community,
            building=building,
            household=household,
            grid=building.grid if building is not None else None,
            microgrid=household.microgrid if household is not None else None,
            location_text=(location_text or "").strip()[:200],
            submitter=submitter if submitter is not None and submitter.is_authenticated else None,
            submitter_name=(submitter_name or "").strip()[:50],
            phone=phone or "",
            phone_verified=phone_verified,
            recorded_by=by,
            hotline_order_no=hotline_order_no.strip()[:40],
            is_xinfang=is_xinfang,
            accept_due_at=calendar.deadline(now, category.accept_within, category.deadline_unit),
            contact_due_at=now + datetime.timedelta(hours=category.contact_within_hours),
        )
        p.save()
        PetitionEvent.objects.create(
            petition=p,
            actor=by or p.submitter,
            action="submit",
            from_status="",
            to_status=p.status,
            data={"channel": channel},
            public=True,
        )
        _store_photos(p, cleaned, written)
        lead = datetime.timedelta(hours=category.remind_before_hours)
        # No reminder due at once: the new-item notice goes to the same people now.
        reminders = (
            [
                Outbox(
                    petition=p,
                    kind=K.ACCEPT_REMINDER,
                    deadline=p.accept_due_at,
                    due_at=p.accept_due_at - lead,
                )
            ]
            if p.accept_due_at - lead > now
            else []
        )
        Outbox.objects.bulk_create(
            [
                *reminders,
                Outbox(petition=p, kind=K.ACCEPT_OVERDUE, deadline=p.accept_due_at, due_at=p.accept_due_at),
                Outbox(
                    petition=p, kind=K.CONTACT_OVERDUE, deadline=p.contact_due_at, due_at=p.contact_due_at
                ),
                Outbox(petition=p, kind=K.NEW_ITEM, deadline=now, due_at=now),
            ],
            ignore_conflicts=True,
        )
        # The grid leader hears of it now; if the broker is down this only logs, and beat's sweep finds
        # the row later. The resident's answer does not wait for Redis beyond the 2 s timeout.
        _queue_delivery()
        logger.info("petition=%s submitted channel=%s code=%s", p.pk, channel, p.tracking_code)
    return p


def category_fallback():
    """The "other" category (其他) with the default deadlines, created when the public form is used before
    `manage.py petitions_default_categories` has run."""
    from .management.commands.petitions_default_categories import DEFAULTS
    from .models import Category

    name, unit, contact, accept, resolve, follow_up, private = DEFAULTS[-1]
    category, _created = Category.objects.get_or_create(
        name=name,
        defaults={
            "deadline_unit": unit,
            "contact_within_hours": contact,
            "accept_within": accept,
            "resolve_within": resolve,
            "follow_up_after_days": follow_up,
            "private": private,
            "position": len(DEFAULTS),
        },
    )
    if not category.active:
        category.active = True
        category.save(update_fields=["active"])
    return category


# Who may see a resident's full number to call them (first contact, follow-up visits).
PHONE_READERS = frozenset({"staff", "grid", "microgrid", "assignee"})


def petition_reveal_phone(*, petition, by) -> str:
    """The resident's full mobile number for someone who must call them; masked everywhere else. Each
    look is an internal event row, so the history shows who saw the number and when."""
    if not petition.phone:
        raise PetitionError(_("No phone number was left."), code="missing")
    if not relations(by, petition) & PHONE_READERS:
        raise PetitionError(_("You are not allowed to do this on this item."), code="forbidden")
    with transaction.atomic():
        PetitionEvent.objects.create(
            petition=petition,
            actor=by,
            action="reveal_phone",
            from_status=petition.status,
            to_status=petition.status,
            public=False,
        )
    logger.info("petition=%s phone revealed to user=%s", petition.pk, by.pk)
    return petition.phone


# --- Thin named wrappers ------------------------------------------------------------------------------


def petition_accept(*, petition, by, note=""):
    return petition_transition(petition=petition, action="accept", by=by, note=note)


def petition_decline(*, petition, by, note):
    return petition_transition(petition=petition, action="decline", by=by, note=note)


def petition_dispatch(*, petition, by, assignee=None, organisation=None, grid=None, note=""):
    """Hand the item to a person (party member, grid leader...), an organisation (department, volunteer
    team, co-building unit, property company...) and/or a grid."""
    return petition_transition(
        petition=petition,
        action="dispatch",
        by=by,
        note=note,
        assignee=assignee,
        organisation=organisation,
        grid=grid,
    )


def petition_reassign(*, petition, by, assignee=None, organisation=None, grid=None, note=""):
    return petition_transition(
        petition=petition,
        action="reassign",
        by=by,
        note=note,
        assignee=assignee,
        organisation=organisation,
        grid=grid,
    )


def petition_start(*, petition, by, note=""):
    return petition_transition(petition=petition, action="start", by=by, note=note)


def petition_resolve(*, petition, by, note, photos=()):
    return petition_transition(petition=petition, action="resolve", by=by, note=note, photos=photos)


def petition_resolve_on_the_spot(*, petition, by, note, photos=()):
    return petition_transition(
        petition=petition, action="resolve_on_the_spot", by=by, note=note, photos=photos
    )


def petition_follow_up(*, petition, by, solved, satisfaction, note=""):
    return petition_transition(
        petition=petition, action="follow_up", by=by, note=note, solved=solved, satisfaction=satisfaction
    )


def petition_follow_up_unreachable(*, petition, by, note=""):
    return petition_transition(petition=petition, action="follow_up_unreachable", by=by, note=note)


def petition_claim(*, petition, by):
    return petition_transition(petition=petition, action="claim", by=by)


def petition_merge(*, petition, into, by, note=""):
    return petition_transition(petition=petition, action="merge", by=by, note=note, into=into)


def petition_rate(*, petition, solved, satisfaction, note=""):
    """The resident's own follow-up from the tracking page (they hold the unguessable code)."""
    return petition_transition(
        petition=petition,
        action="rate",
        by=None,
        note=note,
        solved=solved,
        satisfaction=satisfaction,
        as_resident=True,
    )


def petition_bulk_dispatch(*, petitions, by, assignee=None, organisation=None, grid=None) -> tuple[int, list]:
    done, errors = 0, []
    for p in petitions:
        try:
            if p.status == S.SUBMITTED:
                petition_accept(petition=p, by=by)
            petition_dispatch(petition=p, by=by, assignee=assignee, organisation=organisation, grid=grid)
            done += 1
        except ValidationError as exc:
            errors.append((p, exc))
    return done, errors


# --- Access -------------------------------------------------------------------------------------------


def access_petition(user, pk) -> Petition:
    try:
        return (
            Petition.objects.visible_to(user)
            .select_related(
                "category", "community", "building", "household", "grid", "assignee", "assignee_org"
            )
            .get(pk=pk)
        )
    except (Petition.DoesNotExist, ValueError, TypeError):
        raise Http404


def access_by_tracking_code(code) -> Petition:
    code = (code or "").strip().upper()
    try:
        return Petition.objects.select_related("category", "building").get(tracking_code=code)
    except Petition.DoesNotExist:
        raise Http404


def recipients_at_level(petition, level):
    """Who supervises the item at an escalation level: grid people, community staff, street officials."""
    from accounts.models import RoleAssignment, User

    active = RoleAssignment.objects.active()
    if level <= 0 and petition.grid_id:
        q = active.filter(grid_id=petition.grid_id, role__in=[Role.GRID_LEADER, Role.GRID_WORKER])
        users = list(User.objects.filter(is_active=True, pk__in=q.values("user_id")))
        if users:
            return users
    if level <= 1:
        q = active.filter(community_id=petition.community_id, role=Role.COMMUNITY_STAFF)
        users = list(User.objects.filter(is_active=True, pk__in=q.values("user_id")))
        if users:
            return users
    q = active.filter(Q(street_id=petition.community.street_id), role=Role.STREET_OFFICIAL)
    return list(User.objects.filter(is_active=True, pk__in=q.values("user_id")))


def assignee_users(petition):
    users = []
    if petition.assignee_id:
        users.append(petition.assignee)
    if petition.assignee_org_id:
        users.extend(u for u in petition.assignee_org.members.filter(is_active=True) if u not in users)
    return users
