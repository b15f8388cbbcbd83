"""The case page's forms: request input mapped once to the services' arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import PlainMessagesMixin

from .models import LedgerEntry


class EntryForm(PlainMessagesMixin, forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=LedgerEntry.Direction.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0.01, max_digits=12, decimal_places=2)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200)


class ReverseForm(PlainMessagesMixin, forms.Form):
    note = forms.CharField(label=_("Why it is reversed"), max_length=200)


class MilestoneForm(PlainMessagesMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=100)
    due_on = forms.DateField(
        label=_("Planned date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
