"""Volunteers (profiles, teams, activities, sign-ups, attendance, hours), the merchant alliance
(merchants, front-door duties and their inspections), the points ledger and offers/coupons.

Points are a double-entry ledger: a Transaction is a set of Entries whose amounts sum to zero; each Account
caches its balance, updated under a row lock by `volunteers.services` in the same database transaction.
Hours follow the same rule: a correction posts a reversing HourRecord and a new one, never an edit.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.pii import mask_phone
from grids.validators import validate_phone

from .querysets import (
    AccountQuerySet,
    ActivityQuerySet,
    CommunityScopedQuerySet,
    CouponQuerySet,
    HourRecordQuerySet,
    MerchantQuerySet,
    OfferQuerySet,
    ProfileQuerySet,
    TeamQuerySet,
    TransactionQuerySet,
)

# Reference star levels from hours recorded here (national volunteer record rules); the official level is
# applied for by the volunteer. (minimum hours, stars), highest first.
STAR_THRESHOLDS = [(1500, 5), (1000, 4), (600, 3), (300, 2), (100, 1)]


def star_level(hours) -> int:
    hours = Decimal(hours or 0)
    for minimum, stars in STAR_THRESHOLDS:
        if hours >= minimum:
            return stars
    return 0


class VolunteerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        on_delete=models.PROTECT,
        related_name="volunteer_profile",
    )
    resident = models.ForeignKey(
        "grids.Resident", verbose_name=_("Resident"), null=True, blank=True, on_delete=models.SET_NULL
    )
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    skills = models.CharField(_("Skills"), max_length=200, blank=True)
    availability = models.CharField(_("Availability"), max_length=200, blank=True)
    # Cached sum of confirmed HourRecords, updated under a row lock by the hour services.
    confirmed_hours = models.DecimalField(_("Confirmed hours"), max_digits=9, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("Registered at"), auto_now_add=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("Volunteer")
        verbose_name_plural = _("Volunteer")
        ordering = ["pk"]

    def __str__(self):
        return str(self.user)

    @property
    def star_level(self) -> int:
        return star_level(self.confirmed_hours)

    @property
    def stars(self) -> str:
        return "★" * self.star_level


class Team(models.Model):
    class Kind(models.TextChoices):
        DISSUASION = "dissuasion", _("Dissuasion squad")
        PATROL = "patrol", _("Safety patrol")
        MEDIATION = "mediation", _("Mediators")
        PUBLICITY = "publicity", _("Publicity")
        STEWARDS = "stewards", _("Neighbourhood stewards")
        OTHER = "other", _("Other")

    name = models.CharField(_("Name"), max_length=100)
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "grids.ResidentialArea",
        verbose_name=_("Residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Leader"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        VolunteerProfile, verbose_name=_("Members"), blank=True, related_name="teams"
    )
    # The dispatch target for requests (governance.Organisation of kind volunteer_team).
    organisation = models.OneToOneField(
        "governance.Organisation",
        verbose_name=_("Handling organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_team",
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("Volunteer team")
        verbose_name_plural = _("Volunteer team")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Activity(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("Team"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("Title"), max_length=100)
    starts_at = models.DateTimeField(_("Starts at"))
    ends_at = models.DateTimeField(_("Ends at"))
    place = models.CharField(_("Place"), max_length=200)
    capacity = models.PositiveIntegerField(_("Places"))
    description = models.TextField(_("Description"), blank=True)
    # Cached number of active sign-ups, changed only while the activity row is locked.
    signed_up = models.PositiveIntegerField(_("Signed up"), default=0)
    cancelled = models.BooleanField(_("Cancelled"), default=False)
    # 补录往期活动: staff entered an activity that had already taken place (from a paper sign-in sheet);
    # its attendance is recorded afterwards too. Every other activity is published before it ends.
    recorded_afterwards = models.BooleanField(_("Past activity recorded afterwards"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Activity")
        verbose_name_plural = _("Activity")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(signed_up__lte=models.F("capacity")), name="activity_within_capacity"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.signed_up, 0)


class SignUp(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Signed up")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, verbose_name=_("Activity"), on_delete=models.PROTECT, related_name="signups"
    )
    volunteer = models.ForeignKey(
        VolunteerProfile, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="signups"
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("Signed up at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("Cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sign-up")
        verbose_name_plural = _("Sign-up")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                condition=Q(status="active"),
                name="signup_once_per_activity",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.activity}"


class Attendance(models.Model):
    """One check-in (and later check-out) of a volunteer at an activity. Hours exclude travel: only the
    time between check-in and check-out on site counts."""

    class Method(models.TextChoices):
        QR = "qr", _("Scanned the activity's QR code")
        LEADER = "leader", _("Checked in by the team leader")

    activity = models.ForeignKey(
        Activity, verbose_name=_("Activity"), on_delete=models.PROTECT, related_name="attendances"
    )
    volunteer = models.ForeignKey(
        VolunteerProfile, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("Checked in at"))
    checked_out_at = models.DateTimeField(_("Checked out at"), null=True, blank=True)
    method = models.CharField(_("Method"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Attendance")
        verbose_name_plural = _("Attendance")
        ordering = ["checked_in_at", "pk"]
        constraints = [
            # A volunteer is on site at one activity at a time.
            models.UniqueConstraint(
                fields=["volunteer"], condition=Q(checked_out_at__isnull=True), name="attendance_one_open"
            ),
            models.UniqueConstraint(fields=["activity", "volunteer"], name="attendance_once_per_activity"),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.activity}"


class HourRecord(models.Model):
    """Service hours: proposed from attendance, confirmed by the team leader. Never edited after
    confirmation: a correction posts a reversing record (negative hours) and a new one."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        SUPERSEDED = "superseded", _("Corrected")

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        REVERSAL = "reversal", _("Reversal")

    volunteer = models.ForeignKey(
        VolunteerProfile, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="hour_records"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("Activity"), on_delete=models.PROTECT, related_name="hour_records"
    )
    attendance = models.ForeignKey(
        Attendance,
        verbose_name=_("Attendance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    hours = models.DecimalField(_("Hours"), max_digits=7, decimal_places=2)
    started_at = models.DateTimeField(_("Service started"))
    ended_at = models.DateTimeField(_("Service ended"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("Corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    note = models.CharField(_("Note"), max_length=200, blank=True)
    proposed_at = models.DateTimeField(_("Proposed at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)

    objects = HourRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("Hour record")
        verbose_name_plural = _("Hour record")
        ordering = ["started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="reversal") | Q(hours__gte=0), name="hourrecord_service_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.activity} · {self.hours}"


# --- Merchant alliance ---------------------------------------------------------------------------


class Merchant(models.Model):
    class Category(models.TextChoices):
        FOOD = "food", _("Food and drink")
        GROCERY = "grocery", _("Grocery")
        SERVICES = "services", _("Everyday services")
        HEALTH = "health", _("Pharmacy and health")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "grids.ResidentialArea",
        verbose_name=_("Residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shop_name = models.CharField(_("Shop name"), max_length=100)
    owner_name = models.CharField(_("Owner"), max_length=50)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shops",
    )
    phone = models.CharField(_("Phone"), max_length=11, blank=True, validators=[validate_phone])
    address = models.CharField(_("Address"), max_length=200)
    category = models.CharField(_("Category"), max_length=20, choices=Category.choices)
    alliance_member = models.BooleanField(_("Alliance member"), default=True)
    # 门前五包: all five duties are signed together (cleanliness, order, greening, safety, facilities).
    duties_signed_on = models.DateField(_("Front-door duties signed on"), null=True, blank=True)

    objects = MerchantQuerySet.as_manager()

    class Meta:
        verbose_name = _("Merchant")
        verbose_name_plural = _("Merchant")
        ordering = ["shop_name", "pk"]

    def __str__(self):
        return self.shop_name

    @property
    def phone_masked(self):
        return mask_phone(self.phone)


FRONT_DOOR_DUTIES = [
    ("cleanliness", _("Cleanliness")),
    ("order", _("Order")),
    ("greening", _("Greening")),
    ("safety", _("Safety")),
    ("facilities", _("Facilities")),
]


class DutyInspection(models.Model):
    """A grid leader's monthly front-door-duty (门前五包) check of one shop: each duty met or not."""

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("Merchant"), on_delete=models.PROTECT, related_name="inspections"
    )
    month = models.DateField(_("Month"), help_text=_("The first day of the month inspected."))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Inspector"), on_delete=models.PROTECT, related_name="+"
    )
    cleanliness = models.BooleanField(_("Cleanliness"))
    order = models.BooleanField(_("Order"))
    greening = models.BooleanField(_("Greening"))
    safety = models.BooleanField(_("Safety"))
    facilities = models.BooleanField(_("Facilities"))
    note = models.CharField(_("Note"), max_length=200, blank=True)
    inspected_at = models.DateTimeField(_("Inspected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Front-door duty inspection")
        verbose_name_plural = _("Front-door duty inspection")
        ordering = ["-month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "month", "inspector"], name="inspection_once_a_month"
            ),
        ]

    def __str__(self):
        return f"{self.merchant} · {self.month:%Y-%m}"

    @property
    def duties_met(self) -> int:
        return sum(bool(getattr(self, name)) for name, _label in FRONT_DOOR_DUTIES)


# --- Points ledger -------------------------------------------------------------------------------


class Account(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        MERCHANT = "merchant", _("Merchant")
        POOL = "pool", _("Community pool")
        ESCROW = "escrow", _("Escrow")
        # Where funded top-ups come from (money or goods the community set aside): below zero by the total
        # funded, so the ledger stays balanced.
        FUNDING = "funding", _("Funding")

    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices)
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="point_accounts",
    )
    merchant = models.OneToOneField(
        Merchant,
        verbose_name=_("Merchant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    # Cached sum of this account's entries; changed only under select_for_update by the ledger service.
    balance = models.BigIntegerField(_("Balance"), default=0)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("Points account")
        verbose_name_plural = _("Points account")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="account_one_per_person"),
            models.UniqueConstraint(
                fields=["community", "kind"],
                condition=Q(kind__in=["pool", "escrow", "funding"]),
                name="account_one_pool_escrow",
            ),
            # Only the community pool and the funding account may go below zero.
            models.CheckConstraint(
                condition=Q(kind__in=["pool", "funding"]) | Q(balance__gte=0), name="account_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(kind="person", user__isnull=False, merchant__isnull=True))
                | Q(kind="merchant", merchant__isnull=False, user__isnull=True)
                | Q(kind__in=["pool", "escrow", "funding"], user__isnull=True, merchant__isnull=True),
                name="account_owner_matches_kind",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.PERSON:
            return f"{self.user}"
        if self.kind == self.Kind.MERCHANT:
            return f"{self.merchant}"
        return f"{self.community} · {self.get_kind_display()}"


class ImmutableModel(models.Model):
    """Ledger rows are written once: no update, no delete."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Ledger records cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger records cannot be deleted."))


class Transaction(ImmutableModel):
    class Kind(models.TextChoices):
        EARN_HOURS = "earn_hours", _("Earned for service hours")
        EARN_ACTION = "earn_action", _("Earned for an approved action")
        REVERSAL = "reversal", _("Reversal of a correction")
        EXCHANGE = "exchange", _("Exchanged for a coupon")
        REDEEM = "redeem", _("Coupon redeemed")
        EXPIRE = "expire", _("Expired")
        TOPUP = "topup", _("Funded top-up")

    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    memo = models.CharField(_("Memo"), max_length=200, blank=True)
    hour_record = models.ForeignKey(
        HourRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    coupon = models.ForeignKey(
        "Coupon", null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("By"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Points transaction")
        verbose_name_plural = _("Points transaction")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A coupon moves points at most once per kind (exchange, redeem, expire): a second redemption or
            # a second expiry sweep fails here even if the status check were bypassed.
            models.UniqueConstraint(
                fields=["coupon", "kind"],
                condition=Q(coupon__isnull=False),
                name="transaction_once_per_coupon",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class Entry(ImmutableModel):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(_("Points"))

    class Meta:
        verbose_name = _("Ledger entry")
        verbose_name_plural = _("Ledger entry")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero")]

    def __str__(self):
        return f"{self.account} {self.amount:+d}"


class PointRule(models.Model):
    """How many points an hour of confirmed service, or an approved action, earns. Set by staff."""

    class Kind(models.TextChoices):
        PER_HOUR = "per_hour", _("Per confirmed service hour")
        ACTION = "action", _("Approved action")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=100)
    points = models.PositiveIntegerField(_("Points"))
    active = models.BooleanField(_("Active"), default=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Points rule")
        verbose_name_plural = _("Points rule")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"], condition=Q(kind="per_hour", active=True), name="pointrule_one_hourly"
            )
        ]

    def __str__(self):
        return self.name


class PointAward(models.Model):
    """Every award of points for an approved action, kept for the audit list. Above
    VOLUNTEERS_AWARD_APPROVAL_THRESHOLD points an award waits for a second staff member's approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        PAID = "paid", _("Awarded")
        REFUSED = "refused", _("Refused")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        PointRule, verbose_name=_("Points rule"), on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Volunteer"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveIntegerField(_("Points"))
    memo = models.CharField(_("What was done"), max_length=200, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("Requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Approved or refused by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Points award")
        verbose_name_plural = _("Points awards")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipient=models.F("requested_by")), name="award_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=Q(status="paid", transaction__isnull=False)
                | Q(status__in=["pending", "refused"], transaction__isnull=True),
                name="award_paid_has_transaction",
            ),
            # The second person is a second person.
            models.CheckConstraint(
                condition=~Q(status="paid", decided_by=models.F("requested_by")),
                name="award_approved_by_another",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} +{self.points}"


class PartyPointRecord(models.Model):
    """Party members' points (党员积分): a separate score, not a ledger account, and never spent."""

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Party member"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.IntegerField(_("Points"))
    reason = models.CharField(_("Reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party member points")
        verbose_name_plural = _("Party member points")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.member} {self.points:+d}"


# --- Offers and coupons ----------------------------------------------------------------------------


class Offer(models.Model):
    class Kind(models.TextChoices):
        COUPON = "coupon", _("Love coupon (discount on a bill)")
        GOODS = "goods", _("Goods from the points shop")

    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty for the community's own offers (points shop goods, community-funded coupons).
    merchant = models.ForeignKey(
        Merchant,
        verbose_name=_("Merchant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices, default=Kind.COUPON)
    title = models.CharField(_("Title"), max_length=100)
    description = models.CharField(_("Description"), max_length=300, blank=True)
    value = models.DecimalField(_("Worth (yuan)"), max_digits=8, decimal_places=2)
    # "50 off 10" (满50减10): the bill must reach this before the coupon can be used.
    min_spend = models.DecimalField(
        _("Minimum spend (yuan)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a coupon such as 10 yuan off a bill of 50: the bill must reach this amount."),
    )
    points_cost = models.PositiveIntegerField(_("Points it costs"))
    quantity = models.PositiveIntegerField(_("How many (stock)"))
    issued = models.PositiveIntegerField(_("Taken"), default=0)
    valid_until = models.DateTimeField(_("Valid until"))
    active = models.BooleanField(_("Active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("Offer")
        verbose_name_plural = _("Offer")
        ordering = ["valid_until", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(issued__lte=models.F("quantity")), name="offer_within_stock"),
            models.CheckConstraint(condition=Q(points_cost__gt=0), name="offer_costs_points"),
        ]

    def __str__(self):
        return self.title

    @property
    def left(self) -> int:
        return max(self.quantity - self.issued, 0)


class Coupon(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Valid")
        REDEEMED = "redeemed", _("Redeemed")
        EXPIRED = "expired", _("Expired")

    offer = models.ForeignKey(
        Offer, verbose_name=_("Offer"), on_delete=models.PROTECT, related_name="coupons"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Holder"), on_delete=models.PROTECT, related_name="coupons"
    )
    # Unguessable: 192 random bits, the only thing the QR code carries.
    token = models.CharField(_("Token"), max_length=64, unique=True, editable=False)
    # What the holder reads out when the QR code cannot be scanned (like a pickup code): 8 digits, unique
    # among coupons not yet redeemed; guessing is held back by a per-merchant limit on failed lookups.
    code = models.CharField(_("Redemption code"), max_length=8, null=True, editable=False)
    points = models.PositiveIntegerField(_("Points held in escrow"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    valid_until = models.DateTimeField(_("Valid until"))
    issued_at = models.DateTimeField(_("Taken at"), auto_now_add=True)
    redeemed_at = models.DateTimeField(_("Redeemed at"), null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Redeemed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bill_amount = models.DecimalField(
        _("Bill amount (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    expired_at = models.DateTimeField(_("Expired at"), null=True, blank=True)

    objects = CouponQuerySet.as_manager()

    class Meta:
        verbose_name = _("Coupon")
        verbose_name_plural = _("Coupon")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(status="redeemed"), name="coupon_code_unique_unredeemed"
            ),
        ]

    def __str__(self):
        return f"{self.offer} · {self.holder}"

    @property
    def code_display(self) -> str:
        """The code in two groups of four, easier to read out: 1234 5678."""
        return f"{self.code[:4]} {self.code[4:]}" if self.code else ""


class AuditedExport(models.Model):
    """Every export that carries clear ID numbers and phones (the national volunteer system's import):
    who, when, why, for which communities and how many rows. The masked export needs no entry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Exported by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("Reason"), max_length=200)
    scope = models.CharField(_("Communities"), max_length=500)
    row_count = models.PositiveIntegerField(_("Rows"))
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Audited export")
        verbose_name_plural = _("Audited export")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M} · {self.row_count}"
