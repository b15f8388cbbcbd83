from django import forms

from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    """The user's own channels; the view hands the cleaned choices to notification_preference_update."""

    class Meta:
        model = NotificationPreference
        fields = ["email", "wechat", "sms"]
        widgets = {field: forms.RadioSelect for field in fields}
