from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import PartyMember, PartyOrganisation
from grids.models import Community
from projects.models import Project

from .models import Agreement, CoBuildingUnit, Need, ReportedMember, Resource, UnitEvent


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


class UnitForm(forms.ModelForm):
    """A unit and the name of its organisation; the community is chosen only when it is created."""

    name = forms.CharField(label=_("Name of the unit"), max_length=100)
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())

    class Meta:
        model = CoBuildingUnit
        fields = ["unit_type", "party_organisation", "address", "joined_on"]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance
        if unit.pk:
            del self.fields["community"]
            self.fields["name"].initial = unit.organisation.name
            community_ids = [unit.community_id]
        else:
            communities = Community.objects.editable_by(user).order_by("code")
            self.fields["community"].queryset = communities
            self.fields["community"].empty_label = None
            community_ids = communities.values("pk")
        self.fields["party_organisation"].queryset = PartyOrganisation.objects.filter(
            community__in=community_ids
        ).order_by("level", "name")
        self.order_fields(["name", "community"])


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "signed_on", "ends_on", "projects", "note"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["projects"].queryset = Project.objects.filter(community=unit.community_id).order_by(
            "-starts_on", "pk"
        )
        self.fields["projects"].widget.attrs["size"] = 6


class ReportedMemberForm(forms.ModelForm):
    class Meta:
        model = ReportedMember
        fields = ["member", "reported_on"]
        widgets = {"reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        # In-service members of the community not yet reporting to another unit (and this one's own).
        members = PartyMember.objects.filter(organisation__community=unit.community_id, in_service=True)
        members = members.filter(Q(cobuilding_report__isnull=True) | Q(cobuilding_report=self.instance.pk))
        self.fields["member"].queryset = members.select_related("resident").order_by("resident__name", "pk")


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{timezone.localtime(obj.starts_at):%Y-%m-%d} {obj.title} · {obj.team.name}"


class UnitEventForm(forms.ModelForm):
    """An event the unit held: one of its community's activities, what kind of event it was and the part
    the unit took. `activities` is the queryset offered (selectors.event_activity_choices)."""

    class Meta:
        model = UnitEvent
        fields = ["activity", "kind", "role"]
        field_classes = {"activity": ActivityChoiceField}

    def __init__(self, *args, unit, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["activity"].queryset = activities
        self.fields["activity"].help_text = _(
            "An activity not listed yet: publish it (or record it afterwards) for the team that ran it first."
        )
        self.fields["kind"].required = True
        self.fields["kind"].help_text = ""
