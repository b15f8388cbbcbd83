"""一征三议两公开 as the state machine of a topic: each step moves it exactly one stage forward, is dated
with who took it (`TopicStep`), and is refused out of order. The vote's result is computed here."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of, may_run_meeting
from projects.models import Project
from projects.services import project_save

from ..models import Answer, Stage, Topic, TopicOption, TopicStep, VotingRule
from .errors import DeliberationError

MAX_OPTIONS = 10


@dataclass(frozen=True)
class VoteResult:
    quorum: bool
    passed: bool


def vote_result(*, entitled, present, votes_for, quorum_percent, majority_percent) -> VoteResult:
    """Quorum: at least quorum_percent of those entitled present (the default 50: exactly half counts).
    Majority: more than majority_percent of those present in favour (50: a tie does not pass)."""
    quorum = present * 100 >= entitled * quorum_percent
    return VoteResult(quorum=quorum, passed=quorum and votes_for * 100 > present * majority_percent)


def rule_for(community_id) -> tuple[int, int]:
    rule = VotingRule.objects.filter(community_id=community_id).first()
    if rule is None:
        return VotingRule.DEFAULT_QUORUM_PERCENT, VotingRule.DEFAULT_MAJORITY_PERCENT
    return rule.quorum_percent, rule.majority_percent


def _advance(topic, to, by, *, allowed=None):
    """Lock the topic, check the step is the next one and the user may take it; returns the locked row."""
    t = Topic.objects.select_for_update().get(pk=topic.pk)
    if not (allowed(t) if allowed else is_staff_of(by, t.community_id)):
        raise PermissionDenied
    if t.next_stage != to:
        nxt = Stage(t.next_stage).label if t.next_stage else _("none, the workflow is finished")
        raise DeliberationError(
            _("This step is out of order: the topic is at “%(stage)s”; the next step is “%(next)s”.")
            % {"stage": Stage(t.stage).label, "next": nxt}
        )
    return t


def _done(t, topic, to, by, fields):
    t.stage = to
    t.save(update_fields=["stage", *fields])
    TopicStep.objects.create(topic=t, stage=to, by=by)
    topic.__dict__.update({f: getattr(t, f) for f in ["stage", *fields]})
    return t


def _text(value, field, message):
    value = (value or "").strip()
    if not value:
        raise DeliberationError({field: message})
    return value


def topic_open_call(*, topic, question, deadline, by, now=None):
    """一征: the open call, answered through the public page until `deadline`."""
    now = now or timezone.now()
    with transaction.atomic():
        t = _advance(topic, Stage.SOLICITING, by)
        t.call_question = _text(question, "call_question", _("Write the question residents answer."))
        if deadline is None or deadline <= now:
            raise DeliberationError({"call_deadline": _("The deadline must be in the future.")})
        t.call_deadline = deadline
        return _done(t, topic, Stage.SOLICITING, by, ["call_question", "call_deadline"])


def answer_submit(*, topic, text, name="", now=None) -> Answer:
    """A resident's answer to the open call (public, no account)."""
    now = now or timezone.now()
    text = _text(text, "text", _("Write your opinion."))
    with transaction.atomic():
        t = Topic.objects.select_for_update().get(pk=topic.pk)
        if t.stage != Stage.SOLICITING or not t.call_deadline or t.call_deadline < now:
            raise DeliberationError(_("This call for opinions is closed."))
        return Answer.objects.create(topic=t, text=text[:1000], name=(name or "").strip()[:50])


def topic_propose(*, topic, proposal, options, by):
    """党组织提议: the branch's proposal, with its options (one option, the proposal itself, if none)."""
    with transaction.atomic():
        t = _advance(topic, Stage.PROPOSED, by)
        t.proposal = _text(proposal, "proposal", _("Write the branch's proposal."))
        options = [o.strip() for o in options or [] if o and o.strip()]
        if len(options) > MAX_OPTIONS:
            raise DeliberationError({"options": _("At most %(n)s options.") % {"n": MAX_OPTIONS}})
        if len(set(options)) != len(options):
            raise DeliberationError({"options": _("Two options are the same.")})
        if any(len(o) > 200 for o in options):
            raise DeliberationError({"options": _("An option is at most 200 characters.")})
        options = options or [_("Adopt the proposal")]
        TopicOption.objects.bulk_create(
            TopicOption(topic=t, position=i, text=text) for i, text in enumerate(options)
        )
        return _done(t, topic, Stage.PROPOSED, by, ["proposal"])


def topic_deliberate(*, topic, opinion, by):
    """两委商议: the opinion of the two committees."""
    with transaction.atomic():
        t = _advance(topic, Stage.DELIBERATED, by)
        t.committee_opinion = _text(opinion, "committee_opinion", _("Write the committees' opinion."))
        return _done(t, topic, Stage.DELIBERATED, by, ["committee_opinion"])


def _count(value, field):
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise DeliberationError({field: _("Enter a whole number.")}) from None
    if n < 0:
        raise DeliberationError({field: _("A count cannot be negative.")})
    return n


def topic_vote(*, topic, entitled, present, counts, by, meeting=None):
    """居民会议决议: `counts` maps each option's id to (for, against, abstain). The meeting's host may record
    it for a meeting with the topic on its agenda. The outcome is computed with the community's rule."""

    def allowed(t):
        if is_staff_of(by, t.community_id):
            return True
        return meeting is not None and may_run_meeting(by, meeting)

    with transaction.atomic():
        t = _advance(topic, Stage.VOTED, by, allowed=allowed)
        if meeting is not None:
            if meeting.community_id != t.community_id:
                raise DeliberationError({"vote_meeting": _("This meeting is in another community.")})
            if not meeting.topics.filter(pk=t.pk).exists():
                raise DeliberationError({"vote_meeting": _("This topic is not on the meeting's agenda.")})
        entitled = _count(entitled, "entitled")
        present = _count(present, "present")
        if entitled < 1:
            raise DeliberationError({"entitled": _("At least one person must be entitled to vote.")})
        if present > entitled:
            raise DeliberationError({"present": _("More people present than entitled to vote.")})
        quorum_percent, majority_percent = rule_for(t.community_id)
        options = list(t.options.all())
        any_passed = False
        for option in options:
            row = counts.get(option.pk)
            if row is None:
                raise DeliberationError(_("Enter the counts of every option."))
            f, a, b = (_count(v, "counts") for v in row)
            if f + a + b > present:
                raise DeliberationError(
                    {"counts": _("“%(option)s”: more votes than people present.") % {"option": option.text}}
                )
            result = vote_result(
                entitled=entitled,
                present=present,
                votes_for=f,
                quorum_percent=quorum_percent,
                majority_percent=majority_percent,
            )
            option.votes_for, option.votes_against, option.votes_abstain = f, a, b
            option.passed = result.passed
            any_passed |= result.passed
        TopicOption.objects.bulk_update(options, ["votes_for", "votes_against", "votes_abstain", "passed"])
        quorum = vote_result(
            entitled=entitled,
            present=present,
            votes_for=0,
            quorum_percent=quorum_percent,
            majority_percent=majority_percent,
        ).quorum
        t.entitled, t.present, t.vote_meeting = entitled, present, meeting
        t.quorum_percent, t.majority_percent = quorum_percent, majority_percent
        t.outcome = (
            Topic.Outcome.PASSED
            if any_passed
            else Topic.Outcome.REJECTED
            if quorum
            else Topic.Outcome.NO_QUORUM
        )
        fields = ["entitled", "present", "vote_meeting", "quorum_percent", "majority_percent", "outcome"]
        return _done(t, topic, Stage.VOTED, by, fields)


def topic_publish_resolution(*, topic, resolution, by, now=None):
    """决议公开: only a vote that passed gives a resolution to publish."""
    with transaction.atomic():
        t = _advance(topic, Stage.RESOLUTION_PUBLISHED, by)
        if t.outcome != Topic.Outcome.PASSED:
            raise DeliberationError(_("The vote did not pass: there is no resolution to publish."))
        t.resolution = _text(resolution, "resolution", _("Write the resolution to publish."))
        t.resolution_published_at = now or timezone.now()
        return _done(t, topic, Stage.RESOLUTION_PUBLISHED, by, ["resolution", "resolution_published_at"])


def topic_publish_result(*, topic, result, by, now=None):
    """实施结果公开: what carrying out the resolution achieved."""
    with transaction.atomic():
        t = _advance(topic, Stage.RESULT_PUBLISHED, by)
        t.result = _text(result, "result", _("Write the result to publish."))
        t.result_published_at = now or timezone.now()
        return _done(t, topic, Stage.RESULT_PUBLISHED, by, ["result", "result_published_at"])


def topic_open_project(*, topic, organisation, due_on, by, responsible=None) -> Project:
    """A published resolution is carried out as a party-building project: it takes the topic's title,
    area and requests, and the topic links to it (once)."""
    with transaction.atomic():
        t = Topic.objects.select_for_update().get(pk=topic.pk)
        if not t.resolution_published_at:
            raise DeliberationError(
                _("Publish the resolution first: a project carries out a published resolution.")
            )
        if t.project_id:
            raise DeliberationError(_("This resolution is already carried out by a project."))
        if organisation is None or organisation.community_id != t.community_id:
            raise DeliberationError(_("Choose a party organisation of the topic's community."))
        project = Project(
            name=t.title[: Project._meta.get_field("name").max_length],
            kind=Project.Kind.SERVICE,
            organisation=organisation,
            area=t.area,
            responsible=responsible,
            starts_on=timezone.localdate(),
            due_on=due_on,
        )
        project_save(project=project, by=by, petitions=list(t.petitions.all()))
        t.project = project
        t.save(update_fields=["project"])
        topic.project = project
        return project


def topic_link_project(*, topic, project, by) -> Project:
    """A published resolution carried out by a project already in the community's ledger."""
    with transaction.atomic():
        t = Topic.objects.select_for_update().get(pk=topic.pk)
        if not is_staff_of(by, t.community_id):
            raise PermissionDenied
        if not t.resolution_published_at:
            raise DeliberationError(
                _("Publish the resolution first: a project carries out a published resolution.")
            )
        if t.project_id:
            raise DeliberationError(_("This resolution is already carried out by a project."))
        if project.community_id != t.community_id:
            raise DeliberationError(_("Choose a project of the topic's community."))
        t.project = project
        t.save(update_fields=["project"])
        topic.project = project
        return project


STEP_SERVICES = {
    Stage.SOLICITING: topic_open_call,
    Stage.PROPOSED: topic_propose,
    Stage.DELIBERATED: topic_deliberate,
    Stage.VOTED: topic_vote,
    Stage.RESOLUTION_PUBLISHED: topic_publish_resolution,
    Stage.RESULT_PUBLISHED: topic_publish_result,
}


def topic_step(*, topic, stage, by, **kwargs):
    """Take the step named `stage` (the pages and the API name the step they post)."""
    if stage not in STEP_SERVICES:
        raise DeliberationError(_("Unknown step."))
    return STEP_SERVICES[stage](topic=topic, by=by, **kwargs)
