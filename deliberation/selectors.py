"""Reads of deliberation. Every read starts from `visible_to(user)`; outside the patch an object is a 404."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.scoping import get_in_scope_or_404
from grids.models import Community, ResidentialArea

from .models import Meeting, ResolutionTask, Stage, Topic

PAGE_SIZE = 20


def access_topic(user, pk) -> Topic:
    return get_in_scope_or_404(
        Topic.objects.visible_to(user).select_related("community", "area", "project"), pk
    )


def access_meeting(user, pk) -> Meeting:
    return get_in_scope_or_404(Meeting.objects.visible_to(user).select_related("community", "host"), pk)


def access_task(user, pk) -> ResolutionTask:
    return get_in_scope_or_404(ResolutionTask.objects.visible_to(user).select_related("topic", "owner"), pk)


def topic_list(user, *, stage="", page=1):
    qs = (
        Topic.objects.visible_to(user)
        .select_related("community", "area")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-created_at", "-pk")
    )
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    return Paginator(qs, PAGE_SIZE).get_page(page)


def meeting_list(user, *, page=1):
    qs = (
        Meeting.objects.visible_to(user)
        .select_related("community", "host")
        .annotate(attendance_count=Count("attendances", distinct=True))
        .order_by("-starts_at", "-pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def task_list(user, *, page=1):
    """Open tasks first, nearest deadline first: the owner's own, and every task of a community for its staff."""
    qs = (
        ResolutionTask.objects.visible_to(user)
        .select_related("topic", "owner")
        .order_by(F("done_at").asc(nulls_first=True), "deadline", "pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def topic_detail(topic):
    """What the topic page shows besides the topic: its steps, options, tasks, requests and meetings."""
    return {
        "steps": list(topic.steps.select_related("by")),
        "options": list(topic.options.all()),
        "answers": list(topic.answers.all()[:200]),
        "answer_count": topic.answers.count(),
        "tasks": list(topic.tasks.select_related("owner")),
        "petitions": list(topic.petitions.select_related("category").order_by("-created_at")[:50]),
        "meetings": list(topic.meetings.order_by("-starts_at")[:20]),
    }


def meeting_detail(meeting):
    return {
        "attendances": list(meeting.attendances.all()),
        "files": list(meeting.files.all()),
        "agenda": list(meeting.topics.prefetch_related("options").order_by("pk")),
    }


def public_place(kind, pk):
    """The area (or community) of a public disclosure page, or 404."""
    model = {"areas": ResidentialArea, "communities": Community}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


def public_disclosures(place, *, page=1):
    """Topics of an area (or of a whole community) whose resolution is published, with only the public
    fields and the public minutes of the meeting that voted."""
    qs = Topic.objects.disclosed()
    qs = qs.filter(area=place) if isinstance(place, ResidentialArea) else qs.filter(community=place)
    qs = (
        qs.select_related("vote_meeting")
        .only(
            "title",
            "resolution",
            "resolution_published_at",
            "result",
            "result_published_at",
            "vote_meeting__title",
            "vote_meeting__starts_at",
            "vote_meeting__minutes",
            "vote_meeting__minutes_internal",
        )
        .prefetch_related(Prefetch("options", to_attr="option_rows"))
        .order_by("-resolution_published_at", "-pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def public_call(token) -> Topic:
    return get_object_or_404(Topic.objects.select_related("community", "area"), call_token=token)
