"""The project ledger in the scoped admin: projects and milestones are written through the services; the
evidence and the reminders are only shown here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from accounts.admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ServiceSaveMixin

from . import services
from .models import Evidence, Milestone, Project


class MilestoneInline(ScopedInlineMixin, TabularInline):
    model = Milestone
    read_only = True
    extra = 0
    fields = ["title", "due_on", "done_on", "done_by"]
    readonly_fields = fields
    show_change_link = True


class ProjectForm(forms.ModelForm):
    open_milestones_confirmed = forms.BooleanField(
        label=_("Done although some milestones are not"),
        required=False,
        help_text=_("Only when marking the project done: say why in the status note."),
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "kind",
            "organisation",
            "area",
            "responsible",
            "description",
            "starts_on",
            "due_on",
            "budget",
            "funding_source",
            "status",
            "status_note",
            "petitions",
            "published",
            "public_summary",
        ]


@admin.register(Project)
class ProjectAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    form = ProjectForm
    list_display = ["name", "kind", "organisation", "community", "status", "starts_on", "due_on", "published"]
    list_filter = ["status", "kind", "published", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["organisation", "community"]
    autocomplete_fields = ["organisation", "area", "responsible", "petitions"]
    show_full_result_count = False
    service_saves_m2m = True
    inlines = [MilestoneInline]
    readonly_fields = ["community", "completed_on"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "name",
                        "kind",
                        "organisation",
                        "community",
                        "area",
                        "responsible",
                        "description",
                    ]
                },
            ),
            (_("Dates and money"), {"fields": ["starts_on", "due_on", "budget", "funding_source"]}),
        ]
        if obj is not None:
            # A new project is planned; its status changes afterwards, through project_set_status.
            fieldsets.append(
                (
                    _("Status"),
                    {"fields": ["status", "status_note", "open_milestones_confirmed", "completed_on"]},
                )
            )
        return [
            *fieldsets,
            (_("Links"), {"fields": ["petitions"]}),
            (_("Public page"), {"fields": ["published", "public_summary"]}),
        ]

    def service_save(self, request, obj, form, change):
        status = obj.status
        services.project_save(project=obj, petitions=form.cleaned_data.get("petitions"), by=request.user)
        if change and status != obj.status:
            services.project_set_status(
                project=obj,
                status=status,
                note=form.cleaned_data.get("status_note", ""),
                open_milestones_confirmed=form.cleaned_data.get("open_milestones_confirmed", False),
                by=request.user,
            )


class EvidenceInline(ScopedInlineMixin, TabularInline):
    model = Evidence
    read_only = True
    extra = 0
    fields = ["kind", "original_name", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Milestone)
class MilestoneAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["title", "project", "due_on", "done_on"]
    list_filter = ["done_on"]
    search_fields = ["title", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    fields = ["project", "title", "due_on", "done_on", "done_by", "note"]
    readonly_fields = ["done_on", "done_by", "note"]
    show_full_result_count = False
    inlines = [EvidenceInline]

    def service_save(self, request, obj, form, change):
        services.milestone_save(milestone=obj, by=request.user)
