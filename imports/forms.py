from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import PlainMessagesMixin

from . import kinds


class UploadForm(PlainMessagesMixin, forms.Form):
    # Blank is the registry (the form's first use, and older links).
    kind = forms.ChoiceField(label=_("What the file holds"), required=False)
    community = forms.ModelChoiceField(label=_("Community"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds.all_kinds()]
        self.fields["community"].queryset = communities

    def clean_kind(self):
        return self.cleaned_data.get("kind") or "registry"


class MappingForm(forms.Form):
    """One choice per header of the file: which field it holds, or none."""

    def __init__(self, *args, headers, mapping, fields, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not imported)"))] + [(f.key, f.label) for f in fields]
        self.headers = [h for h in headers if h]
        for i, header in enumerate(self.headers):
            self.fields[f"col{i}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )

    def mapping(self):
        return {h: self.cleaned_data[f"col{i}"] for i, h in enumerate(self.headers)}
