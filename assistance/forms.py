"""The case page's forms: request input mapped once to the services' arguments."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.forms import PlainMessagesMixin
from governance.models import Organisation
from grids.models import Household, Resident
from petitions.inputs import petitions_from_codes
from visits.models import Visit
from volunteers.models import Team

from .models import Case, LedgerEntry


class EntryForm(PlainMessagesMixin, forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=LedgerEntry.Direction.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0.01, max_digits=12, decimal_places=2)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200)


class ReverseForm(PlainMessagesMixin, forms.Form):
    note = forms.CharField(label=_("Why it is reversed"), max_length=200)


class MilestoneDoneForm(PlainMessagesMixin, forms.Form):
    note = forms.CharField(label=_("How it was reached"), max_length=200, required=False)


class MilestoneForm(PlainMessagesMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=100)
    due_on = forms.DateField(
        label=_("Planned date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class VisitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.visited_on:%Y-%m-%d} · {obj.get_outcome_display()} · {obj.situation[:30]}"


class CaseForm(PlainMessagesMixin, forms.ModelForm):
    """A case for staff: the person or dwelling is named by the dwelling's code (and the person's name),
    never chosen from a list of every resident; new milestones one per line."""

    household_code = forms.CharField(label=_("Dwelling code"), max_length=40)
    resident_name = forms.CharField(
        label=_("Person (name, in that dwelling)"),
        max_length=50,
        required=False,
        help_text=_("Leave empty for a case of the whole household."),
    )
    petition_codes = forms.CharField(
        label=_("Linked wishes and requests"),
        required=False,
        help_text=_("Their tracking codes, separated by commas."),
    )
    visits = VisitChoiceField(
        label=_("Linked visits"),
        queryset=Visit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Visits to this dwelling from the visit diary."),
    )
    new_milestones = forms.CharField(
        label=_("New milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in order; they are added after the existing ones."),
    )

    class Meta:
        model = Case
        fields = [
            "title",
            "situation",
            "plan",
            "status",
            "companion",
            "team",
            "unit",
            "published",
            "public_summary",
        ]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 3}),
            "public_summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.instance
        if case.pk:
            community_ids = [case.community_id]
            self.fields["household_code"].initial = (
                case.household.code
                if case.household_id
                else (case.resident.household.code if case.resident and case.resident.household_id else "")
            )
            self.fields["resident_name"].initial = case.resident.name if case.resident_id else ""
            home_id = case.household_id or (case.resident.household_id if case.resident_id else None)
            self.fields["visits"].queryset = Visit.objects.filter(household_id=home_id).order_by(
                "-visited_on", "-pk"
            )
            self.fields["visits"].initial = list(case.visits.values_list("pk", flat=True))
            self.fields["petition_codes"].initial = ", ".join(
                case.petitions.order_by("pk").values_list("tracking_code", flat=True)
            )
        else:
            del self.fields["visits"]  # the dwelling is known once the case is saved
            community_ids = list(user.scope.writable_community_ids) if not user.is_superuser else None
        self.community_ids = community_ids
        self.user = user
        self.petitions = None

        def scoped(qs, path):
            return qs if community_ids is None else qs.filter(**{f"{path}__in": community_ids})

        self.fields["companion"].queryset = scoped(User.objects.filter(is_active=True), "community").order_by(
            "display_name", "username"
        )
        self.fields["team"].queryset = scoped(Team.objects.all(), "community").order_by("name")
        self.fields["unit"].queryset = scoped(
            Organisation.objects.filter(kind=Organisation.Kind.CO_BUILDING_UNIT, active=True), "community"
        ).order_by("name")
        self.order_fields(["title", "household_code", "resident_name"])

    def clean(self):
        data = super().clean()
        try:
            self.petitions = petitions_from_codes(self.user, data.get("petition_codes"))
        except ValidationError as exc:
            self.add_error(None, exc)
        code = (data.get("household_code") or "").strip()
        if not code:
            return data
        households = Household.objects.select_related("building")
        if self.community_ids is not None:
            households = households.filter(building__community__in=self.community_ids)
        household = households.filter(code=code).first()
        if household is None:
            self.add_error("household_code", _("No dwelling with this code in your community."))
            return data
        self.household = household
        self.resident = None
        name = (data.get("resident_name") or "").strip()
        if name:
            self.resident = Resident.objects.filter(household=household, name=name).order_by("pk").first()
            if self.resident is None:
                self.add_error("resident_name", _("Nobody of this name lives in that dwelling."))
        return data

    def milestone_titles(self):
        lines = (self.cleaned_data.get("new_milestones") or "").splitlines()
        return [line.strip()[:100] for line in lines if line.strip()]
