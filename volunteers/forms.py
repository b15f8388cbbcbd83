from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import PlainMessagesMixin
from grids.forms import RevealForm
from grids.models import Community

from .models import FRONT_DOOR_DUTIES, PointRule, VolunteerProfile


class RegisterForm(PlainMessagesMixin, forms.Form):
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)


class HoursForm(PlainMessagesMixin, forms.Form):
    # Negative values reach the service, which refuses them with its own message; the form only parses.
    hours = forms.DecimalField(label=_("Hours"), max_digits=7, decimal_places=2)


class CorrectionForm(HoursForm):
    note = forms.CharField(label=_("Reason for the correction"), max_length=200)


class RedeemForm(PlainMessagesMixin, forms.Form):
    # The QR code's long token, or the 8-digit code the holder reads out.
    token = forms.CharField(
        label=_("Coupon code"),
        max_length=64,
        help_text=_("Scan the QR code, or type the 8-digit code shown under it."),
    )
    bill_amount = forms.DecimalField(
        label=_("Bill amount (yuan)"),
        max_digits=9,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
    )


class InspectionForm(PlainMessagesMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FRONT_DOOR_DUTIES:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.order_fields([name for name, _label in FRONT_DOOR_DUTIES] + ["note"])


class MonthForm(PlainMessagesMixin, forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], required=False)


class ActivityForm(PlainMessagesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recorded_afterwards = forms.BooleanField(
        label=_("Past activity recorded afterwards"),
        required=False,
        help_text=_("Only for an activity that has already taken place; its attendance is entered next."),
    )

    def __init__(self, *args, may_record_past=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_record_past:  # staff only (the service refuses anyone else)
            del self.fields["recorded_afterwards"]


class PastAttendanceForm(PlainMessagesMixin, forms.Form):
    """Who came to a past activity recorded afterwards, and when (from the sign-in sheet)."""

    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=VolunteerProfile.objects.none())
    checked_in_at = forms.DateTimeField(
        label=_("Checked in at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    checked_out_at = forms.DateTimeField(
        label=_("Checked out at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = team.members.select_related("user")


class AwardForm(PlainMessagesMixin, forms.Form):
    rule = forms.ModelChoiceField(label=_("Points rule"), queryset=None)
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=None)
    memo = forms.CharField(label=_("What was done"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = user.scope.writable_community_ids
        self.fields["rule"].queryset = PointRule.objects.filter(
            community__in=communities, kind=PointRule.Kind.ACTION, active=True
        )
        self.fields["volunteer"].queryset = VolunteerProfile.objects.filter(
            community__in=communities
        ).select_related("user")


class TopUpForm(PlainMessagesMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=1_000_000)
    source = forms.CharField(label=_("Funded by"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(pk__in=user.scope.writable_community_ids)


class OfferForm(PlainMessagesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    value = forms.DecimalField(label=_("Worth (yuan)"), max_digits=8, decimal_places=2, min_value=0)
    min_spend = forms.DecimalField(
        label=_("Minimum spend (yuan)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("For a coupon such as 10 yuan off a bill of 50: the bill must reach this amount."),
    )
    points_cost = forms.IntegerField(label=_("Points it costs"), min_value=1)
    quantity = forms.IntegerField(label=_("How many (stock)"), min_value=1, max_value=100000)
    valid_until = forms.DateTimeField(
        label=_("Valid until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ExportReasonForm(RevealForm):
    """The reveal form's reason (2 to 200 characters, logged) for the export with clear ID numbers and
    phones; no field to choose: the import needs both."""

    field = None
