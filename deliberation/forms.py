"""Forms of the deliberation pages. They only type and check the input; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.admin_mixins import visible_users
from config.forms import PlainMessagesMixin
from governance.models import PartyOrganisation
from grids.models import Community, ResidentialArea

from .models import Meeting, ResolutionTask, Stage, Topic, VotingRule


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TopicForm(PlainMessagesMixin, forms.ModelForm):
    petition_codes = forms.CharField(
        label=_("Tracking codes of the requests it comes from"),
        required=False,
        max_length=400,
        help_text=_("Separate several codes with spaces."),
    )

    class Meta:
        model = Topic
        fields = ["community", "area", "title", "description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.editable_by(user).order_by("code")
        self.fields["area"].queryset = ResidentialArea.objects.editable_by(user).order_by("code")
        if self.instance.pk:  # a topic stays in its community; more requests may be linked
            self.fields["community"].disabled = True
            self.fields["petition_codes"].label = _("Link more requests (tracking codes)")


class MeetingForm(PlainMessagesMixin, forms.ModelForm):
    invited = forms.MultipleChoiceField(
        label=_("Invited parties"),
        choices=Meeting.Party.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["community", "kind", "title", "starts_at", "place", "host", "topics", "invited"]
        widgets = {"starts_at": DateTimeInput(), "topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.editable_by(user).order_by("code")
        self.fields["host"].queryset = (
            visible_users(user, write=True).filter(is_active=True).order_by("username")
        )
        self.fields["topics"].queryset = (
            Topic.objects.editable_by(user).exclude(stage=Stage.RESULT_PUBLISHED).order_by("-created_at")
        )
        if self.instance.pk:  # a meeting stays in its community
            self.fields["community"].disabled = True
            # Its own agenda stays choosable even once a topic's result is published.
            self.fields["topics"].queryset = (
                Topic.objects.editable_by(user)
                .filter(~Q(stage=Stage.RESULT_PUBLISHED) | Q(pk__in=self.instance.topics.values("pk")))
                .order_by("-created_at")
            )
            self.initial.setdefault("invited", self.instance.invited)


class VotingRuleForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = VotingRule
        fields = ["quorum_percent", "majority_percent"]


class TaskForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = ResolutionTask
        fields = ["title", "owner", "deadline"]
        widgets = {"deadline": DateTimeInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            visible_users(user, write=True).filter(is_active=True).order_by("username")
        )


class AnswerForm(PlainMessagesMixin, forms.Form):
    text = forms.CharField(label=_("Your opinion"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("Name (optional)"), max_length=50, required=False)
    captcha_token = forms.CharField(required=False)
    captcha_answer = forms.CharField(label=_("Please answer"), max_length=4)
    website = forms.CharField(required=False)  # honeypot


class AttendForm(PlainMessagesMixin, forms.Form):
    """A resident without an account: name and the phone's last 4 digits."""

    name = forms.CharField(label=_("Your name"), max_length=50)
    phone_last4 = forms.CharField(label=_("Last 4 digits of your mobile phone"), min_length=4, max_length=4)


class TickForm(PlainMessagesMixin, forms.Form):
    name = forms.CharField(label=_("Attendee's name"), max_length=50)
    phone_last4 = forms.CharField(label=_("Last 4 digits of the mobile phone"), max_length=4, required=False)


class MinutesForm(PlainMessagesMixin, forms.Form):
    minutes = forms.CharField(label=_("Minutes"), max_length=10000, required=False, widget=forms.Textarea)
    internal = forms.BooleanField(label=_("Minutes are internal"), required=False)


class FileForm(forms.Form):
    file = forms.FileField(label=_("Photo or attachment"))


class OpenProjectForm(PlainMessagesMixin, forms.Form):
    """Which party organisation of the community carries the resolution out, and by when."""

    organisation = forms.ModelChoiceField(
        label=_("Party organisation"), queryset=PartyOrganisation.objects.none()
    )
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, community_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = PartyOrganisation.objects.filter(community_id=community_id)
