"""Plain wording for the errors of the public and phone forms.

Django's own messages are written for programmers ("Ensure this value has at least 4 characters (it has
3)"); residents and grid leaders read these instead. Messages a form or validator sets itself are kept."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Codes the field itself raises: replaced where the field still has Django's default text.
PLAIN_MESSAGES = {
    "required": _("Please fill this in."),
    "invalid_choice": _("Please choose one of the options."),
}
# Codes raised by the validators a field adds for its limits (field attribute = code); the field's message
# of the same code replaces the validator's.
PLAIN_LIMIT_MESSAGES = {
    "min_length": _("Please write at least %(limit_value)d characters."),
    "max_length": _("Please write at most %(limit_value)d characters (now %(show_value)d)."),
    "min_value": _("Please enter %(limit_value)s or more."),
    "max_value": _("Please enter %(limit_value)s or less."),
    "max_digits": _("Please enter at most %(max)s digits."),
    "decimal_places": _("Please enter at most %(max)s digits after the decimal point."),
}
# The validator codes behind an attribute where the two differ.
_LIMIT_CODES = {"decimal_places": "max_decimal_places"}

# "invalid" says what was expected, so it depends on the kind of field (the first match wins).
PLAIN_INVALID = [
    (forms.IntegerField, _("Please enter a whole number.")),
    (forms.DecimalField, _("Please enter a number.")),
    (forms.FloatField, _("Please enter a number.")),
    (forms.DateTimeField, _("Please enter a date and time.")),
    (forms.DateField, _("Please enter a date.")),
    (forms.TimeField, _("Please enter a time.")),
]
PLAIN_INVALID_OTHER = _("This does not look right. Please check it.")


def _django_defaults(field) -> dict:
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def plain_error_messages(field) -> None:
    """Give one field the plain messages, where it still has Django's default wording."""
    defaults = _django_defaults(field)
    messages = field.error_messages
    for code, text in PLAIN_MESSAGES.items():
        if code in messages and messages[code] is defaults.get(code):
            messages[code] = text
    for attribute, text in PLAIN_LIMIT_MESSAGES.items():
        code = _LIMIT_CODES.get(attribute, attribute)
        if getattr(field, attribute, None) is not None and code not in messages:
            messages[code] = text
    if "invalid" in messages and messages["invalid"] is defaults.get("invalid"):
        messages["invalid"] = next(
            (t for cls, t in PLAIN_INVALID if isinstance(field, cls)), PLAIN_INVALID_OTHER
        )


class PlainMessagesMixin:
    """Put first in a form's bases: every field, also those a form adds in its own __init__, gets the plain
    messages when the form is cleaned."""

    def full_clean(self):
        for field in self.fields.values():
            plain_error_messages(field)
        super().full_clean()
