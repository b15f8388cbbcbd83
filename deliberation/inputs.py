"""Request data → the keyword arguments of a workflow step, one mapper for the staff pages, the host's
phone pages and the API: the same fields, the same translated errors."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import Meeting, Stage
from .services import DeliberationError


def _datetime(value, field):
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        parsed = parse_datetime((value or "").strip().replace(" ", "T"))
    if parsed is None:
        raise DeliberationError({field: _("Please enter a date and time.")})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _lines(value):
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return (value or "").splitlines()


def vote_counts(topic, data):
    """{option id: (for, against, abstain)}: from the API's "counts" list, or a page's for_<id> fields."""
    counts = {}
    rows = data.get("counts")
    if isinstance(rows, list):
        for row in rows:
            try:
                counts[int(row.get("option"))] = (row.get("for"), row.get("against"), row.get("abstain"))
            except (AttributeError, TypeError, ValueError):
                raise DeliberationError(_("Enter the counts of every option.")) from None
        return counts
    for option in topic.options.all():
        counts[option.pk] = tuple(data.get(f"{k}_{option.pk}") for k in ("for", "against", "abstain"))
    return counts


def vote_meeting(user, topic, pk):
    if pk in (None, ""):
        return None
    meeting = Meeting.objects.visible_to(user).filter(pk=pk if str(pk).isdigit() else 0).first()
    if meeting is None:
        raise DeliberationError({"vote_meeting": _("Unknown meeting.")})
    return meeting


def step_kwargs(user, topic, stage, data) -> dict:
    """The kwargs of `services.topic_step` (besides topic, stage and by) for `stage`."""
    if stage == Stage.SOLICITING:
        return {
            "question": data.get("question"),
            "deadline": _datetime(data.get("deadline"), "call_deadline"),
        }
    if stage == Stage.PROPOSED:
        return {"proposal": data.get("proposal"), "options": _lines(data.get("options"))}
    if stage == Stage.DELIBERATED:
        return {"opinion": data.get("opinion")}
    if stage == Stage.VOTED:
        return {
            "entitled": data.get("entitled"),
            "present": data.get("present"),
            "counts": vote_counts(topic, data),
            "meeting": vote_meeting(user, topic, data.get("meeting")),
        }
    if stage == Stage.RESOLUTION_PUBLISHED:
        return {"resolution": data.get("resolution")}
    if stage == Stage.RESULT_PUBLISHED:
        return {"result": data.get("result")}
    raise DeliberationError(_("Unknown step."))
