"""Deliberation in the scoped admin. Saves go through the services; the workflow's steps are taken on the
topic's page (in order, each dated), so here they are read-only."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from accounts.admin_mixins import ScopedAdminMixin, ServiceSaveMixin

from . import services
from .models import Meeting, ResolutionTask, Topic, VotingRule

WORKFLOW_FIELDS = [
    "stage",
    "call_question",
    "call_deadline",
    "proposal",
    "committee_opinion",
    "vote_meeting",
    "entitled",
    "present",
    "quorum_percent",
    "majority_percent",
    "outcome",
    "resolution",
    "resolution_published_at",
    "result",
    "result_published_at",
]


@admin.register(Topic)
class TopicAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "community", "area", "source", "stage", "created_at"]
    list_filter = ["stage", "source", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["community", "area"]
    autocomplete_fields = ["petitions", "visit"]
    readonly_fields = ["source", *WORKFLOW_FIELDS]
    fields = ["community", "area", "title", "description", "petitions", "visit", "source", *WORKFLOW_FIELDS]
    service_saves_m2m = True
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.topic_save(topic=obj, petitions=form.cleaned_data.get("petitions"), by=request.user)


@admin.register(Meeting)
class MeetingAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "kind", "community", "starts_at", "place", "host"]
    list_filter = ["kind", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "place"]
    list_select_related = ["community", "host"]
    filter_horizontal = ["topics"]
    fields = [
        "community",
        "kind",
        "title",
        "starts_at",
        "place",
        "host",
        "topics",
        "invited",
        "minutes",
        "minutes_internal",
    ]
    service_saves_m2m = True
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.meeting_save(meeting=obj, topics=form.cleaned_data.get("topics"), by=request.user)


@admin.register(ResolutionTask)
class ResolutionTaskAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "topic", "owner", "deadline", "escalation_level", "done_at"]
    list_filter = ["escalation_level"]
    search_fields = ["title", "topic__title"]
    list_select_related = ["topic", "owner"]
    readonly_fields = ["escalation_level", "done_at", "done_note"]
    fields = ["topic", "title", "owner", "deadline", "escalation_level", "done_at", "done_note"]
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        services.task_save(task=obj, by=request.user)


@admin.register(VotingRule)
class VotingRuleAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["community", "quorum_percent", "majority_percent"]
    list_select_related = ["community"]

    def service_save(self, request, obj, form, change):
        services.voting_rule_save(rule=obj, by=request.user)
