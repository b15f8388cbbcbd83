from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FRONT_DOOR_DUTIES


class RegisterForm(forms.Form):
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)


class HoursForm(forms.Form):
    # Negative values reach the service, which refuses them with its own message; the form only parses.
    hours = forms.DecimalField(label=_("Hours"), max_digits=7, decimal_places=2)


class CorrectionForm(HoursForm):
    note = forms.CharField(label=_("Reason for the correction"), max_length=200)


class RedeemForm(forms.Form):
    token = forms.CharField(label=_("Coupon code"), max_length=64)
    bill_amount = forms.DecimalField(
        label=_("Bill amount (yuan)"),
        max_digits=9,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
    )


class InspectionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FRONT_DOOR_DUTIES:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.order_fields([name for name, _label in FRONT_DOOR_DUTIES] + ["note"])


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], required=False)
