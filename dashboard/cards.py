"""The home-screen cards of the roles that do not work a patch: party members and volunteers,
merchants, community staff, officials above the community, residents.

Each builder reads through the owning app's querysets and selectors and runs a fixed number of
queries, whatever the number of rows (lists are cut to HOME_LIST, counts are separate queries).
A user with several roles gets each role's card.
"""

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.roles import Role
from config.paging import capped_count
from petitions.models import Petition
from visits.selectors import running_campaigns
from volunteers import selectors as volunteer_selectors
from volunteers.models import Coupon, Merchant, PartyPointRecord, SignUp

HOME_LIST = 5

HELPER_ROLES = frozenset({Role.PARTY_MEMBER, Role.VOLUNTEER})
STAFF_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY})
OFFICIAL_ROLES = frozenset({Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL})
GRID_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_LEADER, Role.MICROGRID_LEADER})
# The roles that work a patch (or the whole community) from the grid leader's home.
PATCH_ROLES = frozenset(
    {Role.GRID_WORKER, Role.GRID_LEADER, Role.MICROGRID_LEADER, Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY}
)


def helper_card(user) -> dict:
    """Party members and volunteers: the wishes they claimed and the items assigned to them, still open.
    Queries: 1 rows, 2 count (and 3 the party points sum for a party member)."""
    tasks = (
        Petition.objects.assigned_to(user).open().select_related("category").order_by("resolve_due_at", "pk")
    )
    card = {"tasks": list(tasks[:HOME_LIST]), "task_count": tasks.count(), "party_points": None}
    if user.has_role(Role.PARTY_MEMBER):
        card["party_points"] = (
            PartyPointRecord.objects.filter(member=user).aggregate(total=Sum("points"))["total"] or 0
        )
    return card


def volunteer_card(user) -> dict:
    """Hours, star level, points, coupons in hand and the activities signed up for.
    Queries: 1 profile, 2 balance, 3 coupons in hand, 4 upcoming sign-ups (with activity), 5 their count."""
    now = timezone.now()
    profile = volunteer_selectors.profile_of(user)
    community_id = profile.community_id if profile else (user.community_id or None)
    card = {
        "profile": profile,
        "balance": volunteer_selectors.balance_of(user, community_id) if community_id else 0,
        "coupon_count": Coupon.objects.filter(
            holder=user, status=Coupon.Status.ISSUED, valid_until__gt=now
        ).count(),
        "signups": [],
        "signup_count": 0,
    }
    if profile is not None:
        signups = (
            SignUp.objects.filter(
                volunteer=profile,
                status=SignUp.Status.ACTIVE,
                activity__ends_at__gte=now,
                activity__cancelled=False,
            )
            .select_related("activity")
            .order_by("activity__starts_at", "pk")
        )
        card["signups"] = list(signups[:HOME_LIST])
        card["signup_count"] = signups.count()
    return card


def merchant_card(user) -> dict:
    """The shops the user owns with this month's redemptions. Queries: 1 (shops with their counts)."""
    start, end = volunteer_selectors.month_bounds(timezone.localdate())
    tz = timezone.get_current_timezone()
    start_at = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    end_at = datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)
    redeemed = Q(
        offers__coupons__status=Coupon.Status.REDEEMED,
        offers__coupons__redeemed_at__gte=start_at,
        offers__coupons__redeemed_at__lt=end_at,
    )
    shops = (
        Merchant.objects.filter(owner=user)
        .annotate(
            month_redeemed=Count("offers__coupons", filter=redeemed),
            month_points=Sum("offers__coupons__points", filter=redeemed),
        )
        .order_by("pk")
    )
    return {"shops": list(shops), "month": start}


def staff_card(user) -> dict:
    """Community staff and branch secretaries: what waits on the workbench, each count capped (a
    district's backlog is "1000+"). Queries: 1 scope, 3 counts of at most COUNT_CAP rows each."""
    now = timezone.now()
    visible = Petition.objects.visible_to(user)
    return {
        "unassigned": capped_count(visible.unassigned()),
        "overdue": capped_count(visible.overdue(now)),
        "follow_up": capped_count(visible.awaiting_follow_up()),
    }


def official_card(user) -> dict:
    """Street and district officials read: running campaigns (their rankings are on each campaign's
    page). Queries: 1 rows, 2 count."""
    campaigns = (
        running_campaigns(user).select_related("grid", "community", "district").order_by("ends_on", "pk")
    )
    return {"campaigns": list(campaigns[:HOME_LIST]), "campaign_count": campaigns.count()}


def resident_card(user) -> dict:
    """The user's own requests and wishes, newest first, followed by their tracking codes.
    Queries: 1 rows, 2 count."""
    mine = Petition.objects.filter(submitter=user).select_related("category").order_by("-created_at", "-pk")
    return {"items": list(mine[:HOME_LIST]), "item_count": mine.count()}


def cards_for(user) -> dict:
    """Every card the user's roles give them, keyed by card name."""
    roles = user.scope.roles
    cards = {}
    if roles & GRID_ROLES:
        # Links only (no query): the wish wall, the alliance shops they inspect, their teams.
        cards["patch"] = {"inspects_shops": bool(roles & {Role.GRID_WORKER, Role.GRID_LEADER})}
    if roles & HELPER_ROLES:
        cards["helper"] = helper_card(user)
    if Role.VOLUNTEER in roles:
        cards["volunteer"] = volunteer_card(user)
    if Role.MERCHANT in roles:
        cards["merchant"] = merchant_card(user)
    if user.is_superuser or roles & STAFF_ROLES:
        cards["staff"] = staff_card(user)
    if roles & OFFICIAL_ROLES:
        cards["official"] = official_card(user)
    if Role.RESIDENT in roles:
        cards["resident"] = resident_card(user)
    return cards


def works_a_patch(user) -> bool:
    """Whether the grid leader's patch view (households, items, visits) belongs on this user's home.
    Officials above the community only read, so they get their own card instead."""
    return user.is_superuser or bool(user.scope.roles & PATCH_ROLES)
