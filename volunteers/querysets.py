"""Read-only filters for volunteers, merchants, points and coupons. Querysets never write."""

from django.db.models import Q

from accounts.roles import Role
from grids.querysets import ScopedQuerySet

# A coupon's redemption code, read out when its QR code cannot be scanned.
COUPON_CODE_DIGITS = 8


class MemberScopedQuerySet(ScopedQuerySet):
    """Things every member of a community may see (activities, teams, offers, alliance merchants).

    Staff see their communities through the usual Scope; volunteers, merchants, party members and residents
    see the communities they belong to (Scope.member_community_ids), read-only.
    """

    MEMBER_PATH = "community"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        condition = user.scope.q(**self.SCOPE_PATHS)
        if user.scope.member_community_ids:
            condition |= Q(**{f"{self.MEMBER_PATH}__in": user.scope.member_community_ids})
        return self.filter(condition)


class ProfileQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def visible_to(self, user):
        # A volunteer sees their own profile; staff see their communities'.
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(**self.SCOPE_PATHS) | Q(user=user))


class TeamQuerySet(MemberScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}


class ActivityQuerySet(MemberScopedQuerySet):
    SCOPE_PATHS = {"community": "team__community"}
    MEMBER_PATH = "team__community"

    def upcoming(self, now):
        return self.filter(ends_at__gte=now, cancelled=False)


class HourRecordQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "volunteer__community"}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            user.scope.q(**self.SCOPE_PATHS) | Q(volunteer__user=user) | Q(activity__team__leader=user)
        )

    def confirmed(self):
        return self.filter(status="confirmed")

    def proposed(self):
        return self.filter(status="proposed")


class MerchantQuerySet(MemberScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        # Grid leaders inspect the shops of their community; owners see their own shop.
        condition = user.scope.q(**self.SCOPE_PATHS) | Q(owner=user)
        if user.scope.roles & {Role.GRID_LEADER, Role.GRID_WORKER, Role.MICROGRID_LEADER}:
            condition |= Q(community__in=user.scope.member_community_ids)
        return self.filter(condition)

    def in_alliance(self):
        return self.filter(alliance_member=True)


class OfferQuerySet(MemberScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def available(self, now):
        return self.filter(active=True, valid_until__gt=now)


class CouponQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "offer__community"}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(**self.SCOPE_PATHS) | Q(holder=user) | Q(offer__merchant__owner=user))

    def due_to_expire(self, now):
        return self.filter(status="issued", valid_until__lte=now)

    def entered(self, value):
        """The coupon a scanned or typed code names: the QR code's long token, or the 8-digit code (spaces
        allowed). A code is held again only after its coupon was redeemed, so the newest comes first."""
        value = str(value or "").strip()
        digits = "".join(value.split())
        if len(digits) == COUPON_CODE_DIGITS and digits.isdigit():
            return self.filter(code=digits).order_by("-issued_at", "-pk")
        return self.filter(token=value[:64])


class AccountQuerySet(ScopedQuerySet):
    SCOPE_PATHS = {"community": "community"}

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.q(**self.SCOPE_PATHS) | Q(user=user) | Q(merchant__owner=user))


class CommunityScopedQuerySet(ScopedQuerySet):
    """Rows that carry their own `community` and are seen by that community's staff only: points rules and
    party members' points. Volunteers and merchants see their own points through their Account."""

    SCOPE_PATHS = {"community": "community"}


class TransactionQuerySet(CommunityScopedQuerySet):
    """Ledger transactions: each belongs to the community whose accounts it moves points between."""
