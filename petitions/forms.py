"""Forms: the public request form (also used by the API so both apply the same checks) and staff actions."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.forms import PlainMessagesMixin
from grids.models import Building, Community
from grids.validators import validate_phone

from . import antispam
from .models import Category, PendingPhoto, Petition, PetitionEvent
from .photos import MAX_PHOTOS, check_photos
from .services import DESTRUCTIVE_ACTIONS
from .services.pending import new_photo_key, photo_key_from, photo_key_token


def find_building(value):
    value = (value or "").strip()
    if not value or len(value) > 32:
        return None
    return (
        Building.objects.select_related("community", "grid").filter(Q(qr_token=value) | Q(code=value)).first()
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most 3 photos."))
        # Size and header only: the service decodes them once the anti-spam checks have passed.
        return check_photos(files)


class PublicPetitionForm(PlainMessagesMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=Petition.Kind.choices, initial="request", widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    building = forms.CharField(label=_("Building code"), max_length=32, required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.order_by("name"),
        required=False,
        help_text=_("Only needed when you did not come from a building's QR code."),
    )
    location_text = forms.CharField(label=_("Where exactly? (optional)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What do you need?"),
        max_length=2000,
        min_length=4,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
    )
    photos = MultiplePhotoField(label=_("Photos (up to 3)"), required=False)
    name = forms.CharField(label=_("How should we address you? (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Mobile phone (optional, for updates by SMS)"),
        max_length=11,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    phone_code = forms.CharField(
        label=_("SMS code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    captcha_token = forms.CharField(widget=forms.HiddenInput)
    captcha_answer = forms.CharField(
        label=_("Answer"), max_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    # Invisible to people (hidden by CSS and aria), filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, ip="", community_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ip = ip
        # The shared categories, and the community's own once the building or community is known.
        if community_id is None:
            community_id = self._community_hint()
        self.fields["category"].queryset = Category.objects.offered_in(community_id)
        token, question = antispam.new_challenge()
        self.question = question
        # A fresh question every time the form is shown (a bound form keeps the submitted token until
        # it is re-rendered, when the view replaces it).
        self.fields["captcha_token"].initial = token
        self.fields["captcha_answer"].label = _("Anti-spam check: %(question)s") % {"question": question}
        # No categories configured yet (a fresh install): the field is left out and the service files the
        # request under "other", rather than showing a list nobody can choose from.
        self.no_categories = not self.fields["category"].queryset.exists()
        if self.no_categories:
            self.fields["category"].required = False
        # The key the photos chosen in this form are kept under between its posts (services.pending).
        self.photo_key = photo_key_from(self.data.get("photo_key")) or new_photo_key()
        self.photo_key_token = photo_key_token(self.photo_key)

    def _community_hint(self):
        community = str(self.data.get("community") or "")
        if community.isdigit():
            return int(community)
        building = find_building(self.data.get("building") or self.initial.get("building"))
        return building.community_id if building else None

    def fresh_token(self):
        data = self.data.copy()
        data["captcha_token"] = self.fields["captcha_token"].initial
        data["captcha_answer"] = ""
        self.data = data

    def clean_building(self):
        value = self.cleaned_data.get("building", "").strip()
        if not value:
            return None
        building = find_building(value)
        if building is None:
            raise ValidationError(
                _("We do not know this building code. Check the QR code or leave it empty.")
            )
        return building

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if photos and len(photos) + PendingPhoto.objects.kept_for(self.photo_key).count() > MAX_PHOTOS:
            raise ValidationError(_("At most 3 photos. Remove a kept photo first."))
        return photos

    def new_photos(self):
        """This post's photos, checked by size and header, also when the rest of the form was not
        validated (an SMS code asked for); [] with the refusal on the field when they fail."""
        if "photos" not in self.cleaned_data and not self.has_error("photos"):
            try:
                self.cleaned_data["photos"] = self.fields["photos"].clean(self["photos"].data)
                self.cleaned_data["photos"] = self.clean_photos()
            except ValidationError as exc:
                self.add_error("photos", exc)
        return self.cleaned_data.get("photos") or []

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("Your request could not be sent."), code="honeypot")
        problem = antispam.check_challenge(data.get("captcha_token"), data.get("captcha_answer"))
        if problem:
            self.add_error("captcha_answer", problem)
        if not data.get("building") and not data.get("community") and "building" not in self.errors:
            self.add_error("community", _("Choose your community, or scan your building's QR code."))
        phone = data.get("phone")
        # Checked last: a wrong answer elsewhere must not use up the resident's code.
        if phone and not self.errors and not antispam.verify_phone_code(phone, data.get("phone_code")):
            self.add_error("phone_code", _("The SMS code is wrong or expired. Ask for a new code."))
        if not self.errors:
            if antispam.rate_limited("submit_ip", self.ip):
                raise ValidationError(_("Too many requests from this network. Please try again later."))
            if phone and antispam.rate_limited("submit_phone", phone):
                raise ValidationError(
                    _("Too many requests from this phone today. Please try again tomorrow.")
                )
        return data


# What staff record at the desk, on the phone or in a meeting: every channel but the public page.
STAFF_CHANNELS = [(v, label) for v, label in Petition.Channel.choices if v != Petition.Channel.PUBLIC]


class StaffEntryForm(PlainMessagesMixin, forms.Form):
    """An item staff record for a resident: any kind (request, wish, suggestion) from any channel."""

    kind = forms.ChoiceField(
        label=_("What is it?"), choices=Petition.Kind.choices, initial="request", widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(label=_("Received through"), choices=STAFF_CHANNELS, initial="walk_in")
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    building = forms.CharField(label=_("Building code (optional)"), max_length=32, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000})
    )
    location_text = forms.CharField(label=_("Where exactly? (optional)"), max_length=200, required=False)
    submitter_name = forms.CharField(label=_("Resident's name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Resident's mobile phone (optional)"),
        max_length=11,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    hotline_order_no = forms.CharField(label=_("12345 work-order number"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.filter(pk__in=Community.objects.editable_by(user).values("pk"))
        self.fields["community"].queryset = communities.order_by("name")
        # Shared and the user's communities' own; the service checks the one chosen fits the community.
        self.fields["category"].queryset = Category.objects.shared_or_in(communities.values("pk")).filter(
            active=True
        )

    def clean_building(self):
        value = self.cleaned_data.get("building", "").strip()
        if not value:
            return None
        building = find_building(value)
        if building is None:
            raise ValidationError(_("We do not know this building code."))
        return building


class PhoneCodeForm(PlainMessagesMixin, forms.Form):
    phone = forms.CharField(max_length=11, validators=[validate_phone])


class ActionForm(forms.Form):
    """One form for every staff action; the service decides what is required for which action."""

    action = forms.CharField(max_length=32)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee = forms.IntegerField(required=False)
    organisation = forms.IntegerField(required=False)
    grid = forms.IntegerField(required=False)
    until = forms.DateTimeField(label=_("New deadline"), required=False)
    solved = forms.TypedChoiceField(
        label=_("Solved?"),
        choices=[("", "—"), ("yes", _("Solved")), ("no", _("Not solved"))],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=[("", "—"), *Petition.Satisfaction.choices], required=False
    )
    into = forms.CharField(label=_("Tracking code to merge into"), max_length=16, required=False)
    summary = forms.CharField(
        label=_("Public summary"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultiplePhotoField(label=_("Photos (up to 3)"), required=False)
    # Ticked on the page (or set by its confirm dialog) for the destructive actions only.
    confirm = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in DESTRUCTIVE_ACTIONS and not data.get("confirm"):
            raise ValidationError(
                _("Nothing was changed: tick “%(confirm)s” first.") % {"confirm": confirm_label(action)},
                code="unconfirmed",
            )
        return data


def confirm_label(action) -> str:
    """The words of the box that confirms a destructive action, e.g. 确认不予受理."""
    return _("Confirm: %(action)s") % {"action": PetitionEvent.Action(action).label}


class WorkbenchFilterForm(forms.Form):
    """The workbench's search and filters (GET). Its ledger export reads the same period and area, so a
    field typed wrong is named once, with the same words, on both."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
    grid = forms.IntegerField(label=_("Grid"), required=False, min_value=1)
    community = forms.IntegerField(label=_("Community"), required=False, min_value=1)
    start = forms.DateField(label=_("Received from"), required=False)
    end = forms.DateField(label=_("Received until"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The valid filters (a field typed wrong is left out: its error is shown instead)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name in self.cleaned_data}


class RateForm(PlainMessagesMixin, forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Solved")), ("no", _("Not solved"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Petition.Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
