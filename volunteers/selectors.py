"""Reads that span models: access helpers, the merchant's statement and rating, exports."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404

from accounts.scoping import get_in_scope_or_404

from .models import (
    FRONT_DOOR_DUTIES,
    Account,
    Activity,
    Coupon,
    DutyInspection,
    Entry,
    HourRecord,
    Merchant,
    Offer,
    PointAward,
    Transaction,
    VolunteerProfile,
)


def access_activity(user, pk) -> Activity:
    return get_in_scope_or_404(
        Activity.objects.visible_to(user).select_related("team__leader", "team__community"), pk
    )


def access_merchant(user, pk) -> Merchant:
    return get_in_scope_or_404(Merchant.objects.visible_to(user).select_related("community"), pk)


def access_offer(user, pk) -> Offer:
    return get_in_scope_or_404(Offer.objects.visible_to(user).select_related("merchant"), pk)


def access_award(user, pk) -> PointAward:
    return get_in_scope_or_404(PointAward.objects.visible_to(user), pk)


def awards_for_audit(user):
    """Every award in the user's communities, newest first, with who asked, who decided and for whom."""
    return PointAward.objects.visible_to(user).select_related(
        "community", "rule", "recipient", "requested_by", "decided_by"
    )


def access_hour_record(user, pk) -> HourRecord:
    return get_in_scope_or_404(
        HourRecord.objects.visible_to(user).select_related("activity__team", "volunteer__user"), pk
    )


def access_coupon_by_token(user, token) -> Coupon:
    coupon = (
        Coupon.objects.visible_to(user)
        .select_related("offer__merchant", "holder")
        .filter(token=str(token)[:64])
        .first()
    )
    if coupon is None:
        raise Http404
    return coupon


def profile_of(user) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(user=user).select_related("community").first()


def balance_of(user, community_id) -> int:
    account = Account.objects.filter(kind=Account.Kind.PERSON, user=user, community_id=community_id).first()
    return account.balance if account else 0


def month_bounds(month: datetime.date):
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def merchant_statement(merchant, month: datetime.date) -> dict:
    """Coupons redeemed at the shop in a month: how many, the points received, the discount given and
    the bills they were used on. One query."""
    start, end = month_bounds(month)
    totals = Coupon.objects.filter(
        offer__merchant=merchant,
        status=Coupon.Status.REDEEMED,
        redeemed_at__date__gte=start,
        redeemed_at__date__lt=end,
    ).aggregate(count=Count("pk"), points=Sum("points"), value=Sum("offer__value"), bills=Sum("bill_amount"))
    return {
        "month": start,
        "count": totals["count"] or 0,
        "points": totals["points"] or 0,
        "value": totals["value"] or Decimal("0.00"),
        "bills": totals["bills"] or Decimal("0.00"),
    }


RATINGS = [(Decimal("4.5"), "A"), (Decimal("3.5"), "B"), (Decimal("0"), "C")]


def merchant_rating(merchant, month: datetime.date) -> dict:
    """The monthly rating from the grid leaders' front-door-duty inspections: the average number of the
    five duties met (A ≥ 4.5, B ≥ 3.5, else C). None when nobody inspected the shop that month."""
    start, _end = month_bounds(month)
    duties = [name for name, _label in FRONT_DOOR_DUTIES]
    rows = DutyInspection.objects.filter(merchant=merchant, month=start)
    agg = rows.aggregate(n=Count("pk"), **{name: Count("pk", filter=Q(**{name: True})) for name in duties})
    if not agg["n"]:
        return {"month": start, "inspections": 0, "score": None, "grade": None}
    met = sum(agg[name] for name in duties)
    score = (Decimal(met) / agg["n"]).quantize(Decimal("0.1"))
    grade = next(grade for minimum, grade in RATINGS if score >= minimum)
    return {"month": start, "inspections": agg["n"], "score": score, "grade": grade}


def volunteer_totals(*, community_ids, start, end) -> dict:
    """For statistics pages (e.g. the dashboard): confirmed hours (corrections netted), active volunteers,
    points issued (pool → people, net of corrections) and points redeemed at shops or the points shop, in
    [start, end). Three queries."""
    hour_totals = HourRecord.objects.filter(
        volunteer__community__in=community_ids,
        status__in=[HourRecord.Status.CONFIRMED, HourRecord.Status.SUPERSEDED],
        confirmed_at__gte=start,
        confirmed_at__lt=end,
    ).aggregate(
        total=Sum("hours"),
        # Active: served (had service hours confirmed) in the period.
        active=Count("volunteer", distinct=True, filter=Q(kind=HourRecord.Kind.SERVICE)),
    )
    hours = hour_totals["total"] or Decimal("0")
    entries = Entry.objects.filter(
        transaction__community__in=community_ids,
        transaction__created_at__gte=start,
        transaction__created_at__lt=end,
    )
    # Net of corrections: what left the pool for earnings, less what reversals brought back.
    from_pool = entries.filter(
        account__kind="pool",
        transaction__kind__in=[
            Transaction.Kind.EARN_HOURS,
            Transaction.Kind.EARN_ACTION,
            Transaction.Kind.REVERSAL,
        ],
    ).aggregate(total=Sum("amount"))["total"]
    issued = -(from_pool or 0)
    redeemed = entries.filter(transaction__kind=Transaction.Kind.REDEEM, amount__gt=0).aggregate(
        total=Sum("amount")
    )["total"]
    return {
        "hours": hours,
        "active_volunteers": hour_totals["active"],
        "points_issued": issued or 0,
        "points_redeemed": redeemed or 0,
    }
