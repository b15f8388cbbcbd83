"""The ledger's forms: its filter (read by the page and its export alike) and the milestone and status
forms the staff page and the phone share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.admin_mixins import add_service_errors
from config.forms import PlainMessagesMixin
from petitions.forms import MultipleFileInput, MultiplePhotoField

from . import services
from .models import Milestone, Project


class LedgerFilterForm(PlainMessagesMixin, forms.Form):
    community = forms.TypedChoiceField(label=_("Community"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(
        label=_("Party organisation"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    overdue = forms.BooleanField(label=_("Only with overdue milestones"), required=False)
    q = forms.CharField(label=_("Project name"), required=False, max_length=50)

    def __init__(self, data, *, communities, organisations):
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["community"].choices = everything + [(c.pk, c.name) for c in communities]
        self.fields["organisation"].choices = everything + [
            (o.pk, f"{o.community.name} · {o.name}" if len(communities) > 1 else o.name)
            for o in organisations
        ]
        self.fields["status"].choices = everything + Project.Status.choices
        self.fields["kind"].choices = everything + Project.Kind.choices

    def filters(self) -> dict:
        """The keyword arguments of selectors.ledger_projects; an invalid filter is dropped, not an error."""
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "community": d["community"],
            "organisation": d["organisation"],
            "status": d["status"],
            "kind": d["kind"],
            "overdue": d["overdue"],
            "search": d["q"].strip(),
        }


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput(attrs={"multiple": True})

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


class MilestoneRecordForm(PlainMessagesMixin, forms.Form):
    """Add evidence to a milestone, or mark it done with it: one form on the staff page and the phone."""

    photos = MultiplePhotoField(label=_("Photos"), required=False)
    files = MultipleFileField(label=_("Files"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    mark_done = forms.BooleanField(label=_("This milestone is done"), required=False)
    done_on = forms.DateField(
        label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def save(self, *, milestone, by):
        """Call the service; its refusal lands on this form (returns None) instead of raising."""
        d = self.cleaned_data
        try:
            if d["mark_done"]:
                return services.milestone_complete(
                    milestone=milestone,
                    done_on=d["done_on"],
                    note=d["note"],
                    photos=d["photos"],
                    files=d["files"],
                    by=by,
                )
            return services.milestone_add_evidence(
                milestone=milestone, note=d["note"], photos=d["photos"], files=d["files"], by=by
            )
        except ValidationError as exc:
            add_service_errors(self, exc)
            return None


class MilestoneForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


class StatusForm(PlainMessagesMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Project.Status.choices)
    status_note = forms.CharField(label=_("Note"), required=False, max_length=200)
    open_milestones_confirmed = forms.BooleanField(
        label=_("Done although some milestones are not"), required=False
    )
