from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from config.forms import PlainMessagesMixin
from grids import forms as grids_forms
from grids.models import Community, District, Grid
from visits.models import Visit
from visits.selectors import co_visitor_choices, residents_of

from . import items


class DateInput(forms.DateInput):
    """A native date picker: its value must be ISO whatever the locale's display format is."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VisitForm(PlainMessagesMixin, forms.Form):
    visited_on = forms.DateField(label=_("Visit date"), widget=DateInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Visit.Outcome.choices, widget=forms.RadioSelect, initial=Visit.Outcome.MET
    )
    residents_met = forms.ModelMultipleChoiceField(
        label=_("Residents met"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    co_visitors = forms.ModelMultipleChoiceField(
        label=_("Visited together with"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    others_met = forms.IntegerField(label=_("Other people met"), min_value=0, max_value=50, initial=0)
    topics = forms.MultipleChoiceField(
        label=_("Topics raised"),
        choices=Visit.Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    situation = forms.CharField(
        label=_("Situation found"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    item_description = forms.CharField(
        label=_("Raise a request from this visit"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty when nothing needs to be handled."),
    )
    item_category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)

    def __init__(self, *args, household, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["residents_met"].queryset = residents_of(household).order_by("name", "pk")
        self.fields["co_visitors"].queryset = co_visitor_choices(household, user)
        self.fields["item_category"].queryset = items.categories(household.building.community_id)

    def clean(self):
        data = super().clean()
        if data.get("item_description") and not data.get("item_category"):
            self.add_error("item_category", _("Choose a category for the request."))
        return data

    def raise_item(self):
        data = self.cleaned_data
        if not data.get("item_description"):
            return None
        return {"description": data["item_description"], "category": data["item_category"]}


class SearchForm(PlainMessagesMixin, forms.Form):
    q = forms.CharField(
        label=_("Building, room, name or last 4 digits of a phone"), required=False, max_length=50
    )


class RevealForm(PlainMessagesMixin, grids_forms.RevealForm):
    """On the phone the field is chosen by the button pressed, and the question is put plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].widget = forms.HiddenInput()
        self.fields["reason"].label = _("Why do you need to see it?")


class CampaignForm(PlainMessagesMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    patch = forms.ChoiceField(label=_("Patch"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        communities = Community.objects.filter(pk__in=user.scope.writable_community_ids)
        if user.is_superuser:
            communities = Community.objects.all()
        for community in communities.order_by("code"):
            choices.append(
                (f"community:{community.pk}", _("Whole community: %(name)s") % {"name": community})
            )
        for grid in Grid.objects.filter(community__in=communities).order_by("code"):
            choices.append((f"grid:{grid.pk}", str(grid)))
        districts = District.objects.none()
        if user.is_superuser or Role.DISTRICT_OFFICIAL in user.scope.roles:
            districts = District.objects.visible_to(user)
        for district in districts.order_by("code"):
            choices.append((f"district:{district.pk}", _("Whole district: %(name)s") % {"name": district}))
        self.fields["patch"].choices = choices

    def patch_kwargs(self):
        kind, pk = self.cleaned_data["patch"].split(":")
        model = {"community": Community, "grid": Grid, "district": District}[kind]
        return {kind: model.objects.get(pk=pk)}


class ItemActionForm(PlainMessagesMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)
    solved = forms.TypedChoiceField(
        label=_("Solved?"),
        required=False,
        choices=[("yes", _("Solved")), ("no", _("Not solved"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].choices = items.satisfactions().choices


class OnBehalfForm(PlainMessagesMixin, forms.Form):
    resident = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, required=False)
    item_category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    description = forms.CharField(
        label=_("What is the request?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_of(household).order_by("name", "pk")
        self.fields["item_category"].queryset = items.categories(household.building.community_id)
