"""Creating and editing topics, from requests, a visit or staff; the link to requests is written on both sides."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of
from petitions.services import petition_record_deliberation

from ..models import Topic, VotingRule
from .errors import DeliberationError


def _check_places(topic, petitions):
    if topic.area_id and topic.area.community_id != topic.community_id:
        raise DeliberationError({"area": _("This residential area belongs to another community.")})
    if topic.visit_id and topic.visit.household.building.community_id != topic.community_id:
        raise DeliberationError({"visit": _("This visit was made in another community.")})
    for petition in petitions:
        if petition.community_id != topic.community_id:
            raise DeliberationError(
                {
                    "petitions": _("Request %(code)s belongs to another community.")
                    % {"code": petition.tracking_code}
                }
            )


def topic_save(*, topic: Topic, by, petitions=None) -> Topic:
    """Create or edit a topic. `petitions` (optional) are linked to it; each newly linked request gets a
    "taken to deliberation" step in its history."""
    petitions = list(petitions or [])
    if not topic.community_id or not is_staff_of(by, topic.community_id):
        raise PermissionDenied
    if topic.pk:
        saved = Topic.objects.only("community_id").get(pk=topic.pk)
        if saved.community_id != topic.community_id:
            raise DeliberationError({"community": _("A topic cannot move to another community.")})
    topic.title = (topic.title or "").strip()
    if not topic.title:
        raise DeliberationError({"title": _("Give the topic a title.")})
    _check_places(topic, petitions)
    if petitions:
        topic.source = Topic.Source.PETITION
    elif topic.visit_id:
        topic.source = Topic.Source.VISIT
    with transaction.atomic():
        if not topic.pk:
            topic.created_by = by
        topic.save()
        linked = set(topic.petitions.values_list("pk", flat=True))
        new = [p for p in petitions if p.pk not in linked]
        topic.petitions.add(*new)
        for petition in new:
            petition_record_deliberation(petition=petition, topic_id=topic.pk, title=topic.title, by=by)
    return topic


def voting_rule_save(*, rule: VotingRule, by) -> VotingRule:
    if not is_staff_of(by, rule.community_id):
        raise PermissionDenied
    if not 1 <= rule.quorum_percent <= 100:
        raise DeliberationError({"quorum_percent": _("The quorum is a percentage from 1 to 100.")})
    if not 0 <= rule.majority_percent < 100:
        raise DeliberationError({"majority_percent": _("The majority is a percentage from 0 to 99.")})
    with transaction.atomic():
        rule.save()
    return rule
