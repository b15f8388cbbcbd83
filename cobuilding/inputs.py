"""Request input mapped once to the services' arguments: the pages and the API accept the same things
with the same messages."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from petitions.models import Petition
from petitions.selectors import normalise_tracking_code

_SPLIT = re.compile(r"[,，、;；\s]+")


def petitions_from_codes(user, text) -> list:
    """The requests or wishes named by tracking codes (separated by commas or spaces), among those the
    user may see; an unknown code is an error naming it."""
    found, missing = [], []
    for code in filter(None, _SPLIT.split(text or "")):
        petition = Petition.objects.visible_to(user).with_tracking_code(normalise_tracking_code(code)).first()
        (found.append(petition) if petition else missing.append(code))
    if missing:
        raise ValidationError(
            {
                "petition_codes": _("No request has these tracking codes: %(codes)s.")
                % {"codes": "、".join(missing)}
            }
        )
    return list(dict.fromkeys(found))
