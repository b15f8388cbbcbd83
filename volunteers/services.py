"""Every write of the volunteers app: profiles, teams, activities, attendance and hours, merchants and
inspections, the points ledger, offers and coupons.

Ledger rules: points move only in balanced transactions; the pool is the only account allowed
below zero; earning is pool → person, exchanging for a coupon person → escrow, redemption escrow →
merchant (or → pool for the community's own offers), expiry escrow → pool.
"""

import logging
import secrets
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from celery import signature
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import belongs_to, is_staff_of, may_reveal
from accounts.roles import Role
from governance.models import Organisation
from petitions.antispam import _lock_key as lock_rate_limit_key  # the public form's per-key lock
from petitions.models import RateLimitHit

from .models import (
    Account,
    Activity,
    Attendance,
    AuditedExport,
    Coupon,
    DutyInspection,
    Entry,
    HourRecord,
    Merchant,
    Offer,
    PartyPointRecord,
    PointAward,
    PointRule,
    SignUp,
    Team,
    Transaction,
    VolunteerProfile,
)
from .querysets import COUPON_CODE_DIGITS

logger = logging.getLogger("linli.volunteers")

CHECKIN_SALT = "volunteers.checkin"
# The activity page shows a new code every 30 seconds; a code is accepted for two minutes.
CHECKIN_ROTATE_SECONDS = 30
CHECKIN_MAX_AGE = 120
MAX_HOURS_PER_RECORD = Decimal("24")


# --- Access helpers --------------------------------------------------------------------------------


def _require(condition, message):
    if not condition:
        raise ValidationError(message)


# --- Volunteers and teams --------------------------------------------------------------------------


@transaction.atomic
def volunteer_register(*, user, community, skills="", availability="", resident=None, by) -> VolunteerProfile:
    _require(by == user or is_staff_of(by, community.pk), _("You may not register this volunteer."))
    _require(belongs_to(user, community.pk), _("The volunteer does not belong to this community."))
    _require(
        not VolunteerProfile.objects.filter(user=user).exists(),
        _("This person is already a registered volunteer."),
    )
    return VolunteerProfile.objects.create(
        user=user, community=community, skills=skills, availability=availability, resident=resident
    )


def _check_team(team, by) -> None:
    """The rules a team obeys when created and when changed (the admin and the pages share them)."""
    _require(is_staff_of(by, team.community_id), _("Only community staff may create volunteer teams."))
    _require(
        not team.area_id or team.area.community_id == team.community_id,
        _("The residential area is not in this community."),
    )


@transaction.atomic
def team_save(*, team, by) -> Team:
    """Create or change a team and keep its dispatch target (governance.Organisation of kind
    volunteer_team) in step: the target carries the team's name, and its members include the team's
    current leader, so whoever leads the team sees the items dispatched to it."""
    _check_team(team, by)
    if team.pk is None:
        organisation = Organisation.objects.create(
            name=team.name,
            kind=Organisation.Kind.VOLUNTEER_TEAM,
            community_id=team.community_id,
            contact_name=str(team.leader),
        )
        organisation.members.add(team.leader)
        team.organisation = organisation
        team.save()
        return team
    old = Team.objects.select_for_update().get(pk=team.pk)
    _require(is_staff_of(by, old.community_id), _("Only community staff may create volunteer teams."))
    team.save()
    if team.organisation_id:
        organisation = Organisation.objects.select_for_update().get(pk=team.organisation_id)
        organisation.name = team.name
        if old.leader_id != team.leader_id:
            organisation.contact_name = str(team.leader)
            organisation.members.add(team.leader)
            # The old leader stays only if they also serve in the team as a member.
            if not team.members.filter(user_id=old.leader_id).exists():
                organisation.members.remove(old.leader_id)
        organisation.save(update_fields=["name", "contact_name"])
    return team


def team_create(*, name, kind, community, leader, area=None, by) -> Team:
    """A new team and the dispatch target that stands for it (see `team_save`)."""
    team = Team(name=name, kind=kind, community=community, area=area, leader=leader)
    return team_save(team=team, by=by)


@transaction.atomic
def team_add_member(*, team, volunteer, by) -> None:
    _require(
        by == team.leader or is_staff_of(by, team.community_id), _("Only the team leader may add members.")
    )
    _require(volunteer.community_id == team.community_id, _("The volunteer belongs to another community."))
    team.members.add(volunteer)
    if team.organisation:
        team.organisation.members.add(volunteer.user)


@transaction.atomic
def activity_create(
    *,
    team,
    title,
    starts_at,
    ends_at,
    place,
    capacity,
    description="",
    recorded_afterwards=False,
    by,
) -> Activity:
    """Publish an activity before it ends; or, for staff only and marked as such, record one that has
    already taken place (补录往期活动), whose attendance is then recorded afterwards."""
    _require(
        by == team.leader or is_staff_of(by, team.community_id),
        _("Only the team leader may publish activities."),
    )
    _require(ends_at > starts_at, _("An activity must end after it starts."))
    _require(capacity and capacity > 0, _("An activity needs at least one place."))
    if recorded_afterwards:
        _require(is_staff_of(by, team.community_id), _("Only community staff may record a past activity."))
        _require(
            ends_at <= timezone.now(),
            _("Only an activity that has already ended can be recorded afterwards."),
        )
    else:
        _require(
            ends_at > timezone.now(),
            _(
                "This activity would end in the past. To enter one that has already taken place, "
                "community staff record it as a past activity."
            ),
        )
    return Activity.objects.create(
        team=team,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        capacity=capacity,
        description=description,
        recorded_afterwards=recorded_afterwards,
    )


def _locked_activity(activity_id) -> Activity:
    return Activity.objects.select_for_update().select_related("team").get(pk=activity_id)


@transaction.atomic
def activity_sign_up(*, activity, volunteer, by) -> SignUp:
    """Take one place. The activity row is locked, so concurrent sign-ups queue and the count holds."""
    _require(by == volunteer.user, _("You can only sign yourself up."))
    activity = _locked_activity(activity.pk)
    _require(
        volunteer.community_id == activity.team.community_id, _("This activity is for another community.")
    )
    _require(not activity.cancelled, _("This activity was cancelled."))
    _require(activity.ends_at > timezone.now(), _("This activity is over."))
    _require(
        not activity.signups.filter(volunteer=volunteer, status=SignUp.Status.ACTIVE).exists(),
        _("You have already signed up."),
    )
    _require(activity.signed_up < activity.capacity, _("This activity is full."))
    signup = SignUp.objects.create(activity=activity, volunteer=volunteer)
    Activity.objects.filter(pk=activity.pk).update(signed_up=activity.signed_up + 1)
    return signup


@transaction.atomic
def activity_cancel_sign_up(*, activity, volunteer, by) -> None:
    _require(by == volunteer.user, _("You can only cancel your own sign-up."))
    activity = _locked_activity(activity.pk)
    signup = activity.signups.filter(volunteer=volunteer, status=SignUp.Status.ACTIVE).first()
    _require(signup is not None, _("You are not signed up for this activity."))
    _require(
        not activity.attendances.filter(volunteer=volunteer).exists(),
        _("You have already checked in; ask the team leader."),
    )
    signup.status, signup.cancelled_at = SignUp.Status.CANCELLED, timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    Activity.objects.filter(pk=activity.pk).update(signed_up=activity.signed_up - 1)


# --- Check-in, check-out and hours -----------------------------------------------------------------


def checkin_token(activity) -> str:
    """A signed, time-stamped code for the activity's rotating QR code."""
    return signing.TimestampSigner(salt=CHECKIN_SALT).sign(str(activity.pk))


def checkin_token_activity(token) -> Activity:
    try:
        activity_id = signing.TimestampSigner(salt=CHECKIN_SALT).unsign(token, max_age=CHECKIN_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("This check-in code has expired. Scan the code shown now."))
    except signing.BadSignature:
        raise ValidationError(_("This check-in code is not valid."))
    return Activity.objects.select_related("team").get(pk=int(activity_id))


@transaction.atomic
def attendance_scan(*, token, by) -> Attendance:
    """A volunteer scanned the activity's code: check in, or check out if already on site."""
    activity = checkin_token_activity(token)
    volunteer = VolunteerProfile.objects.filter(user=by).first()
    _require(volunteer is not None, _("Register as a volunteer first."))
    open_here = Attendance.objects.filter(
        activity=activity, volunteer=volunteer, checked_out_at__isnull=True
    ).first()
    if open_here:
        return attendance_check_out(attendance=open_here, by=by)
    return attendance_check_in(activity=activity, volunteer=volunteer, by=by, method=Attendance.Method.QR)


@transaction.atomic
def attendance_check_in(*, activity, volunteer, by, method=Attendance.Method.LEADER, at=None) -> Attendance:
    """Check a signed-up volunteer in. The team leader may do it for a volunteer without a smartphone."""
    at = at or timezone.now()
    activity = _locked_activity(activity.pk)
    if method == Attendance.Method.LEADER:
        _require(by == activity.team.leader, _("Only the team leader may check volunteers in."))
    else:
        _require(by == volunteer.user, _("You can only check yourself in."))
    _require(
        activity.signups.filter(volunteer=volunteer, status=SignUp.Status.ACTIVE).exists(),
        _("Sign up for this activity before checking in."),
    )
    _require(
        activity.starts_at - timedelta(hours=1) <= at <= activity.ends_at,
        _("Check-in is open from an hour before the activity until it ends."),
    )
    _require(
        not Attendance.objects.filter(activity=activity, volunteer=volunteer).exists(),
        _("This volunteer has already checked in to this activity."),
    )
    # Lock the volunteer's profile so two check-ins of the same person cannot overlap.
    VolunteerProfile.objects.select_for_update().get(pk=volunteer.pk)
    overlapping = Attendance.objects.filter(volunteer=volunteer, checked_in_at__lte=at).filter(
        checked_out_at__isnull=True
    ) | Attendance.objects.filter(volunteer=volunteer, checked_in_at__lte=at, checked_out_at__gt=at)
    _require(not overlapping.exists(), _("This volunteer is already checked in at another activity."))
    return Attendance.objects.create(
        activity=activity, volunteer=volunteer, checked_in_at=at, method=method, recorded_by=by
    )


def _hours_between(start, end) -> Decimal:
    return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"), ROUND_DOWN)


def _service_span(activity, checked_in_at, checked_out_at):
    """The time on site that counts: the overlap of [check-in, check-out] with the activity's own time
    (arriving early or leaving late adds nothing). Empty (start == end) when they do not meet."""
    start = max(checked_in_at, activity.starts_at)
    end = max(min(checked_out_at, activity.ends_at), start)
    return start, end


@transaction.atomic
def attendance_check_out(*, attendance, by, at=None) -> Attendance:
    """Check out and propose the hours on site within the activity's time (travel is not counted), so the
    leader only confirms them."""
    at = at or timezone.now()
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("activity__team", "volunteer")
        .get(pk=attendance.pk)
    )
    _require(
        by in (attendance.volunteer.user, attendance.activity.team.leader),
        _("Only the volunteer or the team leader may check out."),
    )
    _require(attendance.checked_out_at is None, _("Already checked out."))
    _require(at > attendance.checked_in_at, _("Check-out must come after check-in."))
    attendance.checked_out_at = at
    attendance.save(update_fields=["checked_out_at"])
    _propose_hours(attendance)
    return attendance


def _propose_hours(attendance) -> HourRecord:
    started, ended = _service_span(attendance.activity, attendance.checked_in_at, attendance.checked_out_at)
    return HourRecord.objects.create(
        volunteer=attendance.volunteer,
        activity=attendance.activity,
        attendance=attendance,
        hours=min(_hours_between(started, ended), MAX_HOURS_PER_RECORD),
        started_at=started,
        ended_at=ended,
    )


@transaction.atomic
def attendance_record_afterwards(*, activity, volunteer, checked_in_at, checked_out_at, by) -> Attendance:
    """For a past activity recorded afterwards: the leader or staff enter who came and when (from the
    sign-in sheet); the volunteer counts as signed up and the hours are proposed for the leader."""
    activity = _locked_activity(activity.pk)
    _require(activity.recorded_afterwards, _("Attendance is recorded afterwards only for past activities."))
    _require(
        by == activity.team.leader or is_staff_of(by, activity.team.community_id),
        _("Only the team leader or community staff may record attendance."),
    )
    _require(
        volunteer.community_id == activity.team.community_id, _("This activity is for another community.")
    )
    _require(checked_out_at > checked_in_at, _("Check-out must come after check-in."))
    _require(
        checked_in_at < activity.ends_at and checked_out_at > activity.starts_at,
        _("The times on site must fall within the activity."),
    )
    _require(
        not Attendance.objects.filter(activity=activity, volunteer=volunteer).exists(),
        _("This volunteer has already checked in to this activity."),
    )
    if not activity.signups.filter(volunteer=volunteer, status=SignUp.Status.ACTIVE).exists():
        _require(activity.signed_up < activity.capacity, _("This activity is full."))
        SignUp.objects.create(activity=activity, volunteer=volunteer)
        Activity.objects.filter(pk=activity.pk).update(signed_up=activity.signed_up + 1)
    attendance = Attendance.objects.create(
        activity=activity,
        volunteer=volunteer,
        checked_in_at=checked_in_at,
        checked_out_at=checked_out_at,
        method=Attendance.Method.LEADER,
        recorded_by=by,
    )
    _propose_hours(attendance)
    return attendance


@transaction.atomic
def hours_export_audited(*, by, reason, communities, row_count) -> AuditedExport:
    """Log an hours export with clear ID numbers and phones (for the national system's import) before it
    is handed out: only roles that may reveal personal data, with a reason, like a single reveal."""
    if not may_reveal(by):
        raise PermissionDenied(_("Your role may not reveal personal data."))
    reason = (reason or "").strip()
    _require(2 <= len(reason) <= 200, _("Say why you need the ID numbers and phones (2 to 200 characters)."))
    return AuditedExport.objects.create(
        user=by,
        reason=reason,
        scope="、".join(str(community) for community in communities)[:500],
        row_count=row_count,
    )


def _parse_hours(hours) -> Decimal:
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Enter the hours as a number."))
    _require(value >= 0, _("Hours cannot be negative."))
    _require(value <= MAX_HOURS_PER_RECORD, _("One record cannot exceed 24 hours."))
    return value


def _hourly_points(community_id, hours: Decimal) -> int:
    rule = PointRule.objects.filter(
        community_id=community_id, kind=PointRule.Kind.PER_HOUR, active=True
    ).first()
    return int((hours * rule.points).to_integral_value(ROUND_DOWN)) if rule else 0


def _earn_for_hours(record, by) -> None:
    community_id = record.activity.team.community_id
    points = _hourly_points(community_id, record.hours)
    if points > 0:
        person = person_account(community_id=community_id, user=record.volunteer.user)
        ledger_post(
            community_id=community_id,
            kind=Transaction.Kind.EARN_HOURS,
            movements=[(pool_account(community_id), -points), (person, points)],
            by=by,
            memo=str(record.activity),
            hour_record=record,
        )


@transaction.atomic
def hours_confirm(*, record, by, hours=None) -> HourRecord:
    """The team's leader, and only they, confirms proposed hours (adjusting them if needed)."""
    record = (
        HourRecord.objects.select_for_update()
        .select_related("activity__team", "volunteer__user")
        .get(pk=record.pk)
    )
    _require(by == record.activity.team.leader, _("Only the leader of this team may confirm hours."))
    _require(record.status == HourRecord.Status.PROPOSED, _("These hours are already confirmed."))
    if hours is not None:
        record.hours = _parse_hours(hours)
    record.status, record.confirmed_by, record.confirmed_at = HourRecord.Status.CONFIRMED, by, timezone.now()
    record.save(update_fields=["hours", "status", "confirmed_by", "confirmed_at"])
    _add_profile_hours(record.volunteer_id, record.hours)
    _earn_for_hours(record, by)
    # By name, not by importing volunteers.tasks: the tasks call these services, so importing them here
    # would be a cycle. A registered task's signature still runs through its own apply_async.
    notice = signature("volunteers.notify_hours_confirmed", args=(record.pk,))
    transaction.on_commit(notice.delay, robust=True)
    return record


def _add_profile_hours(profile_id, delta) -> None:
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile_id)
    profile.confirmed_hours += delta
    profile.save(update_fields=["confirmed_hours"])


@transaction.atomic
def hours_correct(*, record, hours, by, note="") -> HourRecord:
    """Correct confirmed hours: a reversing record and a new one; the original stays, marked corrected.
    Points follow: the new hours earn first, then the old earning is reversed (person → pool)."""
    record = (
        HourRecord.objects.select_for_update()
        .select_related("activity__team", "volunteer__user")
        .get(pk=record.pk)
    )
    _require(by == record.activity.team.leader, _("Only the leader of this team may correct hours."))
    _require(
        record.status == HourRecord.Status.CONFIRMED and record.kind == HourRecord.Kind.SERVICE,
        _("Only confirmed hours can be corrected."),
    )
    hours = _parse_hours(hours)
    _require(note.strip(), _("Say why the hours are corrected."))
    now = timezone.now()
    common = dict(
        volunteer=record.volunteer,
        activity=record.activity,
        attendance=record.attendance,
        started_at=record.started_at,
        ended_at=record.ended_at,
        corrects=record,
        note=note,
        status=HourRecord.Status.CONFIRMED,
        confirmed_by=by,
        confirmed_at=now,
    )
    HourRecord.objects.create(kind=HourRecord.Kind.REVERSAL, hours=-record.hours, **common)
    new = HourRecord.objects.create(kind=HourRecord.Kind.SERVICE, hours=hours, **common)
    record.status = HourRecord.Status.SUPERSEDED
    record.save(update_fields=["status"])
    _add_profile_hours(record.volunteer_id, hours - record.hours)
    _earn_for_hours(new, by)
    community_id = record.activity.team.community_id
    person = person_account(community_id=community_id, user=record.volunteer.user)
    earned = sum(
        Entry.objects.filter(transaction__hour_record=record, account=person).values_list("amount", flat=True)
    )
    if earned:
        try:
            ledger_post(
                community_id=community_id,
                kind=Transaction.Kind.REVERSAL,
                movements=[(person, -earned), (pool_account(community_id), earned)],
                by=by,
                memo=note,
                hour_record=record,
            )
        except ValidationError:
            raise ValidationError(
                _(
                    "The volunteer has already spent the points of these hours; the correction cannot lower them."
                )
            )
    return new


# --- Points ledger ---------------------------------------------------------------------------------


def _get_or_create_account(**lookup) -> Account:
    try:
        with transaction.atomic():
            return Account.objects.get_or_create(**lookup)[0]
    except IntegrityError:  # created by a concurrent request between our get and create
        return Account.objects.get(**lookup)


def pool_account(community_id) -> Account:
    return _get_or_create_account(community_id=community_id, kind=Account.Kind.POOL)


def escrow_account(community_id) -> Account:
    return _get_or_create_account(community_id=community_id, kind=Account.Kind.ESCROW)


def person_account(*, community_id, user) -> Account:
    return _get_or_create_account(community_id=community_id, kind=Account.Kind.PERSON, user=user)


def funding_account(community_id) -> Account:
    return _get_or_create_account(community_id=community_id, kind=Account.Kind.FUNDING)


def merchant_account(merchant) -> Account:
    return _get_or_create_account(
        community_id=merchant.community_id, kind=Account.Kind.MERCHANT, merchant=merchant
    )


@transaction.atomic
def ledger_post(
    *, community_id, kind, movements, by=None, memo="", hour_record=None, coupon=None, funded=False
) -> Transaction:
    """Post one balanced transaction. Accounts are locked in id order (no deadlocks between two posts);
    a movement that would take any account but the pool (and the funding account) below zero refuses the
    whole transaction. `funded`: the pool too must stay at or above zero (paid from funded top-ups)."""
    totals: dict[int, int] = {}
    for account, amount in movements:
        _require(account.community_id == community_id, _("Points cannot move between communities."))
        totals[account.pk] = totals.get(account.pk, 0) + int(amount)
    totals = {pk: amount for pk, amount in totals.items() if amount}
    _require(totals, _("A transaction must move some points."))
    _require(sum(totals.values()) == 0, _("A transaction must balance."))
    locked = list(Account.objects.select_for_update().filter(pk__in=totals).order_by("pk"))
    for account in locked:
        account.balance += totals[account.pk]
        if account.kind == Account.Kind.POOL:
            _require(
                not funded or account.balance >= 0,
                _("The community pool has not enough funded points: record a funded top-up first."),
            )
        else:
            _require(account.kind == Account.Kind.FUNDING or account.balance >= 0, _("Not enough points."))
    txn = Transaction.objects.create(
        kind=kind,
        community_id=community_id,
        memo=memo[:200],
        created_by=by,
        hour_record=hour_record,
        coupon=coupon,
    )
    Entry.objects.bulk_create(
        Entry(transaction=txn, account_id=pk, amount=amount) for pk, amount in totals.items()
    )
    for account in locked:
        Account.objects.filter(pk=account.pk).update(balance=account.balance)
    return txn


@transaction.atomic
def points_award_action(*, rule, user, by, memo="") -> PointAward:
    """Points for an approved action (a micro-wish fulfilled, a patrol reported...) by a rule staff set.
    Never to oneself; paid from the funded pool; above the approval threshold it waits for a second staff
    member (points_award_decide). Every award is a PointAward row, for the audit list."""
    _require(is_staff_of(by, rule.community_id), _("Only community staff may award points."))
    _require(rule.kind == PointRule.Kind.ACTION and rule.active, _("This rule cannot be used for awards."))
    _require(belongs_to(user, rule.community_id), _("This person belongs to another community."))
    _require(user != by, _("You cannot award points to yourself."))
    award = PointAward.objects.create(
        community_id=rule.community_id,
        rule=rule,
        recipient=user,
        points=rule.points,
        memo=memo or rule.name,
        status=PointAward.Status.PENDING,
        requested_by=by,
    )
    if rule.points > settings.VOLUNTEERS_AWARD_APPROVAL_THRESHOLD:
        return award
    return _pay_award(award, by)


def _pay_award(award, by) -> PointAward:
    award.transaction = ledger_post(
        community_id=award.community_id,
        kind=Transaction.Kind.EARN_ACTION,
        movements=[
            (pool_account(award.community_id), -award.points),
            (person_account(community_id=award.community_id, user=award.recipient), award.points),
        ],
        by=award.requested_by,
        memo=award.memo,
        funded=True,
    )
    award.status = PointAward.Status.PAID
    if by != award.requested_by:
        award.decided_by, award.decided_at = by, timezone.now()
    award.save()
    return award


@transaction.atomic
def points_award_decide(*, award, approve, by) -> PointAward:
    """A second staff member approves (the points move) or refuses an award waiting for approval."""
    award = PointAward.objects.select_for_update().select_related("recipient").get(pk=award.pk)
    _require(is_staff_of(by, award.community_id), _("Only community staff may approve awards."))
    _require(award.status == PointAward.Status.PENDING, _("This award has already been decided."))
    _require(
        by not in (award.requested_by, award.recipient),
        _("A second person must approve this award: not the one who asked, nor the one who receives it."),
    )
    if approve:
        return _pay_award(award, by)
    award.status, award.decided_by, award.decided_at = PointAward.Status.REFUSED, by, timezone.now()
    award.save(update_fields=["status", "decided_by", "decided_at"])
    return award


@transaction.atomic
def points_top_up(*, community, points, source, by) -> Transaction:
    """Record points the community funded (money or goods set aside) into its pool: awards are paid from it."""
    _require(is_staff_of(by, community.pk), _("Only community staff may top up the pool."))
    try:
        points = int(points)
    except (TypeError, ValueError):
        points = 0
    _require(points > 0, _("A top-up must add a positive number of points."))
    source = (source or "").strip()
    _require(source, _("Say where the funding comes from."))
    return ledger_post(
        community_id=community.pk,
        kind=Transaction.Kind.TOPUP,
        movements=[(funding_account(community.pk), -points), (pool_account(community.pk), points)],
        by=by,
        memo=source,
    )


@transaction.atomic
def point_rule_save(*, rule, by) -> PointRule:
    """Create or change a points rule. A community has one active per-hour rule: an active one retires
    the others."""
    if rule.pk:
        old = PointRule.objects.get(pk=rule.pk)
        _require(is_staff_of(by, old.community_id), _("Only community staff may set points rules."))
    _require(is_staff_of(by, rule.community_id), _("Only community staff may set points rules."))
    _require(rule.points and int(rule.points) > 0, _("A rule must give a positive number of points."))
    if rule.kind == PointRule.Kind.PER_HOUR and rule.active:
        PointRule.objects.filter(community_id=rule.community_id, kind=rule.kind, active=True).exclude(
            pk=rule.pk
        ).update(active=False)
    rule.save()
    return rule


def point_rule_create(*, community, kind, name, points, by) -> PointRule:
    return point_rule_save(rule=PointRule(community=community, kind=kind, name=name, points=points), by=by)


@transaction.atomic
def party_points_record(*, community, member, points, reason, by) -> PartyPointRecord:
    """党员积分: a score kept apart from the ledger; it is never an account and cannot be spent."""
    _require(is_staff_of(by, community.pk), _("Only community staff may record party member points."))
    _require(member.has_role(Role.PARTY_MEMBER), _("This person is not a party member."))
    _require(reason.strip(), _("Give a reason."))
    return PartyPointRecord.objects.create(
        community=community, member=member, points=int(points), reason=reason, recorded_by=by
    )


# --- Merchants --------------------------------------------------------------------------------------


@transaction.atomic
def merchant_save(*, merchant, by) -> Merchant:
    """Register or change a shop of the community (the admin and the staff pages share these rules)."""
    if merchant.pk:
        old = Merchant.objects.get(pk=merchant.pk)
        _require(is_staff_of(by, old.community_id), _("Only community staff may register merchants."))
    _require(is_staff_of(by, merchant.community_id), _("Only community staff may register merchants."))
    _require(
        not merchant.area_id or merchant.area.community_id == merchant.community_id,
        _("The residential area is not in this community."),
    )
    merchant.full_clean()
    merchant.save()
    return merchant


def merchant_create(
    *,
    community,
    shop_name,
    owner_name,
    address,
    category,
    phone="",
    area=None,
    owner=None,
    alliance_member=True,
    by,
) -> Merchant:
    merchant = Merchant(
        community=community,
        shop_name=shop_name,
        owner_name=owner_name,
        address=address,
        category=category,
        phone=phone,
        area=area,
        owner=owner,
        alliance_member=alliance_member,
    )
    return merchant_save(merchant=merchant, by=by)


@transaction.atomic
def merchant_sign_duties(*, merchant, by, on=None) -> Merchant:
    """Record that the shop signed the five front-door duties (门前五包)."""
    _require(
        by == merchant.owner or is_staff_of(by, merchant.community_id), _("You may not sign for this shop.")
    )
    merchant.duties_signed_on = on or timezone.localdate()
    merchant.save(update_fields=["duties_signed_on"])
    return merchant


@transaction.atomic
def duty_inspection_record(*, merchant, month, by, note="", **duties) -> DutyInspection:
    """A grid leader's (or worker's, or staff's) monthly check of the five duties of one shop."""
    in_community = merchant.community_id in by.scope.member_community_ids
    _require(
        is_staff_of(by, merchant.community_id)
        or (in_community and by.has_role(Role.GRID_LEADER, Role.GRID_WORKER)),
        _("Only the community's grid leaders may inspect this shop."),
    )
    month = month.replace(day=1)
    _require(month <= timezone.localdate(), _("You cannot inspect a month that has not started."))
    try:
        with transaction.atomic():
            return DutyInspection.objects.create(
                merchant=merchant,
                month=month,
                inspector=by,
                note=note,
                **{
                    name: bool(duties.get(name))
                    for name in ("cleanliness", "order", "greening", "safety", "facilities")
                },
            )
    except IntegrityError:
        raise ValidationError(_("You have already inspected this shop this month."))


# --- Offers and coupons -----------------------------------------------------------------------------


def _check_offer_publication(offer, by) -> None:
    """Who may publish an offer, and what a new offer needs."""
    if offer.merchant_id:
        merchant = offer.merchant
        _require(merchant.community_id == offer.community_id, _("The merchant belongs to another community."))
        _require(merchant.alliance_member, _("Only alliance members may publish love coupons."))
        _require(
            by == merchant.owner or is_staff_of(by, offer.community_id),
            _("You may not publish offers for this shop."),
        )
        _require(offer.kind == Offer.Kind.COUPON, _("Goods are offered by the community's points shop."))
    else:
        _require(is_staff_of(by, offer.community_id), _("Only community staff may publish community offers."))
    _require(int(offer.points_cost) > 0, _("An offer must cost some points."))
    _require(int(offer.quantity) > 0, _("An offer needs a quantity."))
    _require(offer.valid_until > timezone.now(), _("The offer must be valid in the future."))


def _check_offer_amounts(offer) -> None:
    """What a published or edited offer must keep: a worth, and a minimum spend not below it."""
    _require(Decimal(offer.value) >= 0, _("The worth cannot be negative."))
    _require(
        offer.min_spend in (None, "") or Decimal(offer.min_spend) >= Decimal(offer.value),
        _("The minimum spend cannot be lower than the coupon's worth."),
    )


@transaction.atomic
def offer_save(*, offer, by) -> Offer:
    """Publish an offer (a shop's love coupon or the points shop's goods), or edit one: its shop,
    community and points cost stay, and stock never drops below what was already taken."""
    _check_offer_amounts(offer)
    if offer.pk is None:
        _check_offer_publication(offer, by)
        offer.issued = 0
        offer.save()
        return offer
    current = Offer.objects.select_for_update().get(pk=offer.pk)
    _require(is_staff_of(by, current.community_id), _("Only community staff may publish community offers."))
    _require(offer.quantity >= current.issued, _("The stock cannot be lower than what was already taken."))
    _require(offer.points_cost == current.points_cost, _("The points cost cannot change once published."))
    offer.community_id, offer.merchant_id, offer.issued = (
        current.community_id,
        current.merchant_id,
        current.issued,
    )
    offer.save()
    return offer


def offer_create(
    *,
    community,
    title,
    value,
    points_cost,
    quantity,
    valid_until,
    kind=Offer.Kind.COUPON,
    merchant=None,
    description="",
    min_spend=None,
    by,
) -> Offer:
    offer = Offer(
        community=community,
        merchant=merchant,
        kind=kind,
        title=title,
        description=description,
        value=value,
        min_spend=min_spend,
        points_cost=points_cost,
        quantity=quantity,
        valid_until=valid_until,
    )
    return offer_save(offer=offer, by=by)


COUPON_CODE_ATTEMPTS = 10
# Failed lookups one redeeming account may make in the window before it has to wait: typing errors pass,
# running through the 10^8 codes does not. Counted in the database (petitions' RateLimitHit).
REDEEM_FAILURES_ALLOWED = 10
REDEEM_FAILURE_WINDOW = timedelta(minutes=10)


def new_coupon_code() -> str:
    return f"{secrets.randbelow(10**COUPON_CODE_DIGITS):0{COUPON_CODE_DIGITS}d}"


def _create_coupon(*, offer, holder) -> Coupon:
    """A coupon with a fresh token and 8-digit code; a code an unredeemed coupon already holds (the
    constraint refuses it) is drawn again."""

    def create():
        return Coupon.objects.create(
            offer=offer,
            holder=holder,
            token=secrets.token_urlsafe(24),
            code=new_coupon_code(),
            points=offer.points_cost,
            valid_until=offer.valid_until,
        )

    for _attempt in range(COUPON_CODE_ATTEMPTS - 1):
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            continue
    return create()


@transaction.atomic
def coupon_take(*, offer, by) -> Coupon:
    """Exchange points for a coupon: person → escrow, one unit of stock taken, under the offer's row lock."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _require(belongs_to(by, offer.community_id), _("This offer is for another community."))
    _require(offer.active, _("This offer has been withdrawn."))
    _require(offer.valid_until > timezone.now(), _("This offer has expired."))
    _require(offer.issued < offer.quantity, _("None left."))
    coupon = _create_coupon(offer=offer, holder=by)
    ledger_post(
        community_id=offer.community_id,
        kind=Transaction.Kind.EXCHANGE,
        movements=[
            (person_account(community_id=offer.community_id, user=by), -offer.points_cost),
            (escrow_account(offer.community_id), offer.points_cost),
        ],
        by=by,
        memo=offer.title,
        coupon=coupon,
    )
    Offer.objects.filter(pk=offer.pk).update(issued=offer.issued + 1)
    return coupon


def _parse_money(amount) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Enter the bill amount in yuan."))
    _require(Decimal(0) < value < Decimal("1000000"), _("Enter the bill amount in yuan."))
    return value


class _FailedLookup(Exception):
    def __init__(self, message):
        self.message = message


def coupon_redeem(*, token, by, bill_amount=None) -> Coupon:
    """The shop (or, for the points shop, community staff) redeems a coupon once: escrow → merchant.
    `token` is the QR code's token or the 8-digit code. Lookups that find no coupon of the shop count
    against the redeeming account; past the allowance it must wait, whatever it types."""
    key = f"coupon_redeem:{by.pk}"
    with transaction.atomic():
        # One redemption at a time per account, so simultaneous guesses cannot all pass the count.
        lock_rate_limit_key(key)
        failures = RateLimitHit.objects.filter(
            key=key, created_at__gte=timezone.now() - REDEEM_FAILURE_WINDOW
        ).count()
        _require(
            failures < REDEEM_FAILURES_ALLOWED,
            _("Too many wrong coupon codes. Wait ten minutes, or scan the coupon's QR code."),
        )
        try:
            with transaction.atomic():
                return _redeem(token=token, by=by, bill_amount=bill_amount)
        except _FailedLookup as failed:
            RateLimitHit.objects.create(key=key)
            message = failed.message
    raise ValidationError(message)


def _redeem(*, token, by, bill_amount) -> Coupon:
    coupon = (
        Coupon.objects.entered(token)
        .select_for_update(of=("self",))
        .select_related("offer__merchant")
        .first()
    )
    if coupon is None:
        raise _FailedLookup(_("No coupon has this code."))
    offer = coupon.offer
    if offer.merchant_id:
        if by != offer.merchant.owner:
            raise _FailedLookup(_("This coupon is for another shop."))
    elif not is_staff_of(by, offer.community_id):
        raise _FailedLookup(_("Only community staff may redeem points shop items."))
    _require(coupon.status != Coupon.Status.REDEEMED, _("This coupon has already been used."))
    # Checked here, not left to the expiry sweep, which may not have run yet.
    _require(
        coupon.status == Coupon.Status.ISSUED and coupon.valid_until > timezone.now(),
        _("This coupon has expired."),
    )
    bill = _parse_money(bill_amount) if offer.kind == Offer.Kind.COUPON else None
    if bill is not None and offer.min_spend is not None:
        _require(
            bill >= offer.min_spend,
            _("This coupon needs a bill of at least %(amount)s yuan.") % {"amount": offer.min_spend},
        )
    to = merchant_account(offer.merchant) if offer.merchant_id else pool_account(offer.community_id)
    ledger_post(
        community_id=offer.community_id,
        kind=Transaction.Kind.REDEEM,
        movements=[(escrow_account(offer.community_id), -coupon.points), (to, coupon.points)],
        by=by,
        memo=offer.title,
        coupon=coupon,
    )
    coupon.status, coupon.redeemed_at, coupon.redeemed_by, coupon.bill_amount = (
        Coupon.Status.REDEEMED,
        timezone.now(),
        by,
        bill,
    )
    coupon.save(update_fields=["status", "redeemed_at", "redeemed_by", "bill_amount"])
    return coupon


@transaction.atomic
def coupon_expire(*, coupon_id, now=None) -> bool:
    """Mark one lapsed coupon expired and return its escrow to the pool. False if there was nothing to do."""
    now = now or timezone.now()
    coupon = Coupon.objects.select_for_update(of=("self",)).select_related("offer").get(pk=coupon_id)
    if coupon.status != Coupon.Status.ISSUED or coupon.valid_until > now:
        return False
    community_id = coupon.offer.community_id
    ledger_post(
        community_id=community_id,
        kind=Transaction.Kind.EXPIRE,
        movements=[
            (escrow_account(community_id), -coupon.points),
            (pool_account(community_id), coupon.points),
        ],
        memo=coupon.offer.title,
        coupon=coupon,
    )
    coupon.status, coupon.expired_at = Coupon.Status.EXPIRED, now
    coupon.save(update_fields=["status", "expired_at"])
    return True


# --- Points expiry ---------------------------------------------------------------------------------


def points_expiry_days() -> int | None:
    """Whether points expire is a setting (VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS, read from the environment by
    config/settings/base.py); by default (None) they never do."""
    return settings.VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS


@transaction.atomic
def account_expire_points(*, account_id, now=None) -> int:
    """When points expire: whatever part of a person's balance was not earned within the period goes back
    to the pool (person → pool). Running twice expires nothing more. Returns the points expired."""
    days = points_expiry_days()
    if not days:
        return 0
    now = now or timezone.now()
    account = Account.objects.select_for_update().get(pk=account_id, kind=Account.Kind.PERSON)
    recent = sum(
        Entry.objects.filter(
            account=account,
            amount__gt=0,
            transaction__created_at__gte=now - timedelta(days=days),
            transaction__kind__in=[Transaction.Kind.EARN_HOURS, Transaction.Kind.EARN_ACTION],
        ).values_list("amount", flat=True)
    )
    lapsed = account.balance - recent
    if lapsed <= 0:
        return 0
    ledger_post(
        community_id=account.community_id,
        kind=Transaction.Kind.EXPIRE,
        movements=[(account, -lapsed), (pool_account(account.community_id), lapsed)],
        memo=_("Points not used within %(days)s days") % {"days": days},
    )
    return lapsed
