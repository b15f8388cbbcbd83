"""Forms of the registry admin. They validate with the same rules the services apply; saving goes through
`grids.services`. Raw phone and ID numbers are write-only fields: never shown back, only their masks."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from accounts.models import RevealLog

from . import services
from .models import Household, Residence, Resident
from .validators import validate_phone


class ResidentAdminForm(forms.ModelForm):
    id_number_new = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Never shown again once saved. Leave empty to keep the stored number."),
    )
    phone_new = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("Leave empty to keep the stored number."),
    )
    kind = forms.ChoiceField(label=_("Population type"), choices=Residence.Kind.choices, initial="hukou")
    relation = forms.ChoiceField(
        label=_("Relation to head"), choices=Residence.Relation.choices, initial="other"
    )
    moved_in = forms.DateField(label=_("Moved in"), initial=timezone.localdate)

    class Meta:
        model = Resident
        fields = ["name", "gender", "birth_date", "id_type", "household", "tags", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moves go through the "move resident" page, which keeps the history.
            for name in ("kind", "relation", "moved_in"):
                self.fields.pop(name, None)
        elif "household" in self.fields:
            self.fields["household"].required = True

    def clean_phone_new(self):
        phone = self.cleaned_data["phone_new"].strip()
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        number = cleaned.get("id_number_new", "").strip()
        if not number and self.instance.pk and self.instance.id_number_encrypted:
            stored = Resident.objects.get(pk=self.instance.pk)
            number = stored.reveal_id_number()  # checked against the new data, never displayed
        try:
            _, birth, gender = services.check_id_number(
                id_type=cleaned.get("id_type"),
                id_number=number,
                birth_date=cleaned.get("birth_date"),
                gender=cleaned.get("gender", ""),
                resident=self.instance,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = "id_number_new" if field == "id_number" else field
                for message in messages:
                    self.add_error(target if target in self.fields else None, message)
            return cleaned
        cleaned["birth_date"], cleaned["gender"] = birth, gender
        return cleaned

    def service_fields(self):
        cd = self.cleaned_data
        fields = {"name": cd["name"], "gender": cd.get("gender", ""), "birth_date": cd.get("birth_date")}
        fields["notes"] = cd.get("notes", "")
        if cd.get("phone_new"):
            fields["phone"] = cd["phone_new"]
        return fields


def _date_input():
    return UnfoldAdminTextInputWidget(attrs={"type": "date"})


class DwellingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.address


class ResidentMoveForm(forms.Form):
    to_household = DwellingChoiceField(
        label=_("New dwelling"),
        queryset=Household.objects.none(),
        required=False,
        help_text=_("Leave empty when the resident moved out of the community."),
        widget=UnfoldAdminSelectWidget,
    )
    on = forms.DateField(label=_("Date of the move"), initial=timezone.localdate, widget=_date_input())
    kind = forms.ChoiceField(
        label=_("Population type"),
        choices=[("", "—"), *Residence.Kind.choices],
        required=False,
        widget=UnfoldAdminSelectWidget,
    )
    relation = forms.ChoiceField(
        label=_("Relation to head"),
        choices=[("", "—"), *Residence.Relation.choices],
        required=False,
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_household"].queryset = Household.objects.editable_by(user).select_related("building")


class RevealForm(forms.Form):
    """What to unmask and why, for every reveal page (registry, admin, phone); `resident_reveal` checks the
    role and writes the log."""

    field = forms.ChoiceField(label=_("What to reveal"), choices=RevealLog.Field.choices)
    reason = forms.CharField(
        label=_("Reason"),
        min_length=2,
        max_length=200,
        help_text=_("Every reveal is written to the audit log with this reason."),
    )


class AdminRevealForm(RevealForm):
    """The same form in the admin's widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].widget = UnfoldAdminSelectWidget(choices=self.fields["field"].choices)
        self.fields["reason"].widget = UnfoldAdminTextInputWidget(attrs=self.fields["reason"].widget.attrs)


class RecodeForm(forms.Form):
    new_code = forms.CharField(label=_("New code"), max_length=32, widget=UnfoldAdminTextInputWidget)
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=UnfoldAdminTextInputWidget)


class HouseholdAdminForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["code", "building", "unit", "floor", "room", "use", "microgrid", "head"]

    def clean_head(self):
        # The same rule household_save applies, shown on the field instead of failing the save.
        head = self.cleaned_data.get("head")
        if head is not None and (not self.instance.pk or head.household_id != self.instance.pk):
            raise ValidationError(_("The head of household must live in this dwelling."))
        return head
