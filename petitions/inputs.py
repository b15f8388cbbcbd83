"""Request data → the keyword arguments of an action, one mapper for the workbench, the API and the phone
pages: the same targets accepted (only people, organisations and grids the user may hand work to), the
same tracking-code rule and the same translated errors."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from governance.models import Organisation
from grids.models import Community, Grid

from .models import Petition
from .selectors import normalise_tracking_code


def dispatch_targets(user):
    """Whom the user may hand work to: people, organisations and grids of the communities they work in."""
    communities = user.scope.writable_community_ids | user.scope.member_community_ids
    if user.is_superuser:
        communities = set(Community.objects.values_list("pk", flat=True))
    return {
        "people": User.objects.filter(is_active=True, community_id__in=communities).order_by("username")[
            :200
        ],
        "organisations": Organisation.objects.filter(active=True, community_id__in=communities)[:200],
        "target_grids": Grid.objects.filter(community_id__in=communities).only("pk", "name")[:200],
    }


def _target(model_pk, qs):
    if model_pk in (None, ""):
        return None
    try:
        return qs.get(pk=model_pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(_("Unknown person or organisation.")) from None


def dispatch_kwargs(user, data, targets=None):
    """assignee / organisation / grid ids → objects, each among the user's dispatch targets."""
    targets = targets or dispatch_targets(user)
    return {
        "assignee": _target(data.get("assignee"), User.objects.filter(pk__in=targets["people"].values("pk"))),
        "organisation": _target(
            data.get("organisation"),
            Organisation.objects.filter(pk__in=[o.pk for o in targets["organisations"]]),
        ),
        "grid": _target(
            data.get("grid"), Grid.objects.filter(pk__in=[g.pk for g in targets["target_grids"]])
        ),
    }


def action_kwargs(user, action, data) -> dict:
    """The kwargs of petition_transition (besides petition, action and by) for `action`, from data already
    typed by a form or serializer (ids as ints, `until` a datetime, `solved` True/False/None)."""
    kwargs = {"note": data.get("note") or ""}
    if action in ("dispatch", "reassign"):
        kwargs.update(dispatch_kwargs(user, data))
    elif action == "request_extension":
        kwargs["until"] = data.get("until")
    elif action == "follow_up":
        kwargs["solved"] = data.get("solved")
        kwargs["satisfaction"] = data.get("satisfaction") or ""
    elif action == "merge":
        into = (
            Petition.objects.visible_to(user)
            .with_tracking_code(normalise_tracking_code(data.get("into")))
            .first()
        )
        if into is None:
            raise ValidationError(_("No item with this tracking code in your area."))
        kwargs["into"] = into
    elif action in ("resolve", "resolve_on_the_spot"):
        kwargs["photos"] = data.get("photos") or ()
    elif action == "set_summary":
        kwargs["summary"] = data.get("summary") or ""
    return kwargs


_CODE_SPLIT = re.compile(r"[,，、;；\s]+")


def petitions_from_codes(user, text) -> list:
    """The requests or wishes named by tracking codes (separated by commas, spaces or lines), among those
    the user may see; unknown codes are one error naming them, on the `petition_codes` field."""
    found, missing = [], []
    for code in filter(None, _CODE_SPLIT.split(text or "")):
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
