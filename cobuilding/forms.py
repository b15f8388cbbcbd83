from django import forms
from django.utils.translation import gettext_lazy as _

from grids.models import Community

from .models import CoBuildingUnit, Need, Resource


class NeedForm(forms.ModelForm):
    petition_codes = forms.CharField(
        label=_("From requests or wishes"),
        required=False,
        help_text=_("Tracking codes, separated by commas; several are grouped into one need."),
    )

    class Meta:
        model = Need
        fields = ["community", "title", "kind", "quantity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.editable_by(user).order_by("code")
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = [
            "unit",
            "title",
            "kind",
            "quantity",
            "measure",
            "available",
            "available_from",
            "available_until",
            "availability_note",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            CoBuildingUnit.objects.editable_by(user)
            .select_related("organisation")
            .order_by("organisation__name")
        )


class ConfirmForm(forms.Form):
    resource = forms.ModelChoiceField(label=_("Resource"), queryset=Resource.objects.none())
    project = forms.ModelChoiceField(
        label=_("Extend the project"),
        queryset=None,
        required=False,
        empty_label=_("Create a new project"),
    )

    def __init__(self, *args, resources, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        self.fields["project"].queryset = projects
