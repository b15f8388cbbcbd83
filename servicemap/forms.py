from django import forms

from .models import Kind, ServicePoint


class ServicePointForm(forms.ModelForm):
    class Meta:
        model = ServicePoint
        fields = [
            "kind",
            "name",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "phone",
            "note",
            "active",
        ]
        widgets = {
            "latitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longitude": forms.TextInput(attrs={"inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Alliance merchants come from the merchant register, never typed in here.
        self.fields["kind"].choices = [
            c for c in self.fields["kind"].choices if c[0] != Kind.ALLIANCE_MERCHANT
        ]
