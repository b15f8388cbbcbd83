from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import PlainMessagesMixin

from .columns import FIELDS


class UploadForm(PlainMessagesMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Work-order file (.xlsx or .csv)"))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class MappingForm(forms.Form):
    """One choice per header of the file: which field of a work order it holds, or none."""

    def __init__(self, *args, headers, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not imported)"))] + [(f.key, f.label) for f in FIELDS]
        self.headers = [h for h in headers if h]
        for i, header in enumerate(self.headers):
            self.fields[f"col{i}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )

    def mapping(self):
        return {h: self.cleaned_data[f"col{i}"] for i, h in enumerate(self.headers)}
