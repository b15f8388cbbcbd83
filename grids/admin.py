"""The registry in the admin: territory, dwellings and residents, scoped to the user's places.

Saves go through `grids.services`; codes are read-only once given and change through the "recode" page;
residents move through the "move" page; phone and ID numbers are shown masked and revealed (logged) on a
POST-only page.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from accounts.admin_mixins import (
    FilteredListActionsMixin,
    PhoneSearchAdminMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    ServiceSaveMixin,
    add_service_errors,
)
from accounts.permissions import may_reveal
from cards.admin import BuildingCardAdminMixin

from . import exports, pii, selectors, services
from .forms import AdminRevealForm, HouseholdAdminForm, RecodeForm, ResidentAdminForm, ResidentMoveForm
from .models import (
    Building,
    CodeChange,
    Community,
    District,
    Grid,
    Household,
    MicroGrid,
    Residence,
    Resident,
    ResidentialArea,
    ResidentTag,
    Street,
)


def _form_page(model_admin, request, obj, *, form, title, submit_label, **extra):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": obj,
        "title": title,
        "form": form,
        "submit_label": submit_label,
        "back_url": reverse(
            f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_change", args=[obj.pk]
        ),
        **extra,
    }
    return TemplateResponse(request, "grids/admin/action_form.html", context)


def _export_list(model_admin, request, build):
    """The list button's export: the changelist's rows (scope, ?q=, filters, ordering) on one sheet."""
    try:
        rows = model_admin.changelist_rows(request)
    except IncorrectLookupParameters:
        # A filter that names nothing: back to the list, which says so (like Django's changelist).
        changelist = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
        return redirect(f"{changelist}?{ERROR_FLAG}=1")
    return build(rows)


# --- Territory -------------------------------------------------------------------------------


class PlaceAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    """Common to every level: search by name or code, the code fixed once given, a recode page."""

    search_fields = ["name", "code"]
    list_display = ["name", "code"]
    readonly_fields = ["code_history"]
    allow_delete = True
    actions_detail = ["recode"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code"] if obj is not None else fields

    def service_save(self, request, obj, form, change):
        services.place_save(place=obj, by=request.user)

    @admin.display(description=_("Code history"))
    def code_history(self, obj):
        if obj is None or not obj.pk:
            return "—"
        rows = CodeChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("changed_by")
        return (
            format_html_join(
                "",
                "<div>{} → {} · {} · {} · {}</div>",
                ((c.old_code, c.new_code, c.reason, c.changed_by or "", c.changed_at.date()) for c in rows),
            )
            or "—"
        )

    @action(description=_("Change the code"), url_path="recode", icon="edit", permissions=["change"])
    def recode(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = RecodeForm(request.POST or None, initial={"new_code": obj.code})
        if request.method == "POST" and form.is_valid():
            try:
                services.place_recode(
                    place=obj,
                    new_code=form.cleaned_data["new_code"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The code was changed; the old code is kept in its history."))
                return redirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
                )
        return _form_page(
            self,
            request,
            obj,
            form=form,
            title=_("Change the code of %(place)s") % {"place": obj},
            submit_label=_("Change the code"),
            intro=_("Codes change only when boundaries are redrawn. The old code is kept in the history."),
        )


class AdministratorOnlyMixin:
    """Districts and streets are set up by the administrator; staff of a community only look at them."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(District)
class DistrictAdmin(AdministratorOnlyMixin, PlaceAdmin):
    pass


@admin.register(Street)
class StreetAdmin(AdministratorOnlyMixin, PlaceAdmin):
    list_display = ["name", "code", "district"]
    list_select_related = ["district"]


@admin.register(Community)
class CommunityAdmin(PlaceAdmin):
    list_display = ["name", "code", "street"]
    list_select_related = ["street"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(PlaceAdmin):
    list_display = ["name", "code", "community", "property_company"]
    list_select_related = ["community"]
    list_filter = [("community", admin.RelatedOnlyFieldListFilter)]


@admin.register(Grid)
class GridAdmin(PlaceAdmin):
    list_display = ["name", "code", "community"]
    list_select_related = ["community"]
    list_filter = [("community", admin.RelatedOnlyFieldListFilter)]


@admin.register(MicroGrid)
class MicroGridAdmin(PlaceAdmin):
    list_display = ["name", "code", "grid"]
    list_select_related = ["grid"]
    autocomplete_fields = ["grid"]


@admin.register(Building)
class BuildingAdmin(BuildingCardAdminMixin, PlaceAdmin):
    list_display = ["name", "code", "area", "grid", "unit_count", "floor_count"]
    list_select_related = ["area", "grid"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter), ("grid", admin.RelatedOnlyFieldListFilter)]
    autocomplete_fields = ["area", "grid", "leader"]
    # The token is issued and replaced through the contact card actions, never typed.
    exclude = ["qr_token"]
    actions = BuildingCardAdminMixin.card_actions
    actions_detail = [*PlaceAdmin.actions_detail, *BuildingCardAdminMixin.card_actions_detail]


# --- Dwellings -------------------------------------------------------------------------------


class CoverageFilter(admin.SimpleListFilter):
    title = _("Grid coverage")
    parameter_name = "coverage"

    def lookups(self, request, model_admin):
        return [("uncovered", _("Not covered by any grid")), ("covered", _("Covered"))]

    def queryset(self, request, queryset):
        if self.value() == "uncovered":
            return queryset.uncovered()
        if self.value() == "covered":
            return queryset.exclude(building__grid__isnull=True)
        return queryset


class CurrentResidentInline(ScopedInlineMixin, TabularInline):
    """The people living in a dwelling now. Read-only: moves go through the resident's "move" page."""

    model = Residence
    verbose_name = _("Current resident")
    verbose_name_plural = _("Current residents")
    fields = ["resident", "kind", "relation", "moved_in"]
    readonly_fields = fields
    read_only = True
    extra = 0
    can_delete = False
    hide_title = True

    def get_queryset(self, request):
        return super().get_queryset(request).current().select_related("resident")


@admin.register(Household)
class HouseholdAdmin(ServiceSaveMixin, FilteredListActionsMixin, ScopedAdminMixin, ModelAdmin):
    form = HouseholdAdminForm
    list_display = ["code", "building", "unit", "room", "use", "grid_name", "resident_count"]
    list_filter = [
        ("building__area", admin.RelatedOnlyFieldListFilter),
        ("building", admin.RelatedOnlyFieldListFilter),
        ("building__grid", admin.RelatedOnlyFieldListFilter),
        "use",
        CoverageFilter,
    ]
    search_fields = ["code", "room"]
    # The resident-count annotation groups rows, which drops Meta.ordering: keep pages stable.
    ordering = ["code"]
    list_select_related = ["building__grid"]
    show_full_result_count = False
    autocomplete_fields = ["building", "microgrid", "head"]
    inlines = [CurrentResidentInline]
    allow_delete = True
    actions = ["export_xlsx"]
    actions_list = ["export_list"]
    actions_list_follow_filters = ["export_list"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_residents=Count("residences", filter=Q(residences__moved_out__isnull=True)))
        )

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    @admin.display(description=_("Grid"), ordering="building__grid__name")
    def grid_name(self, obj):
        return obj.building.grid.name if obj.building.grid_id else _("Not covered")

    @admin.display(description=_("Residents"), ordering="current_residents")
    def resident_count(self, obj):
        return obj.current_residents

    def service_save(self, request, obj, form, change):
        services.household_save(household=obj, by=request.user)

    @admin.action(description=_("Export the selected dwellings (xlsx)"))
    def export_xlsx(self, request, queryset):
        return exports.households_xlsx(queryset)

    @action(description=_("Export the list (xlsx)"), url_path="export", icon="download")
    def export_list(self, request):
        """The rows the list shows (scope, search, filters, ordering), every page of them, on one sheet."""
        return _export_list(self, request, exports.households_xlsx)


# --- Residents -------------------------------------------------------------------------------


class TagFilter(admin.SimpleListFilter):
    """Tags the user may see; sensitive ones are neither listed nor filterable without the role."""

    title = _("Tags")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [(str(t.pk), t.name) for t in selectors.tags_visible_to(request.user)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            allowed = selectors.tags_visible_to(request.user).filter(pk=self.value())
            return queryset.filter(tags__in=allowed)
        return queryset


class PopulationTypeFilter(admin.SimpleListFilter):
    """户籍 / 常住 / 流动, read from the resident's current residence."""

    title = _("Population type")
    parameter_name = "population"

    def lookups(self, request, model_admin):
        return Residence.Kind.choices

    def queryset(self, request, queryset):
        if self.value() in Residence.Kind.values:
            current = Residence.objects.current().filter(kind=self.value())
            return queryset.filter(pk__in=current.values("resident_id"))
        return queryset


class ResidenceHistoryInline(ScopedInlineMixin, TabularInline):
    model = Residence
    verbose_name = _("Residence record")
    verbose_name_plural = _("Residence history")
    fields = ["household", "kind", "relation", "moved_in", "moved_out"]
    readonly_fields = fields
    read_only = True
    extra = 0
    can_delete = False
    hide_title = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("household__building")


@admin.register(Resident)
class ResidentAdmin(
    PhoneSearchAdminMixin, ServiceSaveMixin, FilteredListActionsMixin, ScopedAdminMixin, ModelAdmin
):
    form = ResidentAdminForm
    # Tags are set by the service (keeping sensitive tags the user cannot see); inlines are read-only.
    service_saves_m2m = True
    list_display = ["name", "gender", "age", "phone_display", "id_number_masked", "household", "tag_list"]
    list_filter = [
        TagFilter,
        PopulationTypeFilter,
        ("household__building__area", admin.RelatedOnlyFieldListFilter),
        ("household__building", admin.RelatedOnlyFieldListFilter),
        ("household__building__grid", admin.RelatedOnlyFieldListFilter),
        "gender",
        "id_type",
    ]
    search_fields = ["name"]
    search_help_text = _("Name, or the last 4 digits of the mobile phone")
    list_select_related = ["household__building"]
    show_full_result_count = False
    autocomplete_fields = ["household"]
    inlines = [ResidenceHistoryInline]
    actions = ["export_xlsx"]
    actions_list = ["export_list"]
    actions_list_follow_filters = ["export_list"]
    actions_detail = ["reveal", "move"]

    def get_fieldsets(self, request, obj=None):
        personal = ["name", "gender", "birth_date", "id_type", "id_number_new", "phone_new", "tags", "notes"]
        if obj is None:
            return [
                (None, {"fields": personal}),
                (_("Dwelling"), {"fields": ["household", "kind", "relation", "moved_in"]}),
            ]
        return [
            (None, {"fields": ["phone_display", "id_number_masked", "household"]}),
            (_("Personal data"), {"fields": personal}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["phone_display", "id_number_masked", "household"] if obj is not None else []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("tags", queryset=selectors.tags_visible_to(request.user), to_attr="visible_tags")
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["queryset"] = selectors.tags_visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("Mobile phone"))
    def phone_display(self, obj):
        return obj.phone_masked or "—"

    @admin.display(description=_("Tags"))
    def tag_list(self, obj):
        return "、".join(t.name for t in getattr(obj, "visible_tags", [])) or "—"

    @admin.display(description=_("Age"))
    def age(self, obj):
        return obj.age if obj.age is not None else "—"

    def service_save(self, request, obj, form, change):
        fields = form.service_fields()
        cd = form.cleaned_data
        if change:
            services.resident_update(
                resident=obj,
                by=request.user,
                id_type=cd["id_type"],
                id_number=cd["id_number_new"] or None,
                tags=cd["tags"],
                **fields,
            )
            obj.refresh_from_db()
        else:
            created = services.resident_create(
                by=request.user,
                household=cd["household"],
                kind=cd["kind"],
                relation=cd["relation"],
                moved_in=cd["moved_in"],
                id_type=cd["id_type"],
                id_number=cd["id_number_new"],
                tags=cd["tags"],
                **fields,
            )
            obj.pk = created.pk
            obj._state.adding = False

    def has_reveal_permission(self, request, obj=None):
        return may_reveal(request.user)

    @admin.action(description=_("Export the selected residents (xlsx)"))
    def export_xlsx(self, request, queryset):
        return exports.residents_xlsx(queryset, visible_tags=selectors.tags_visible_to(request.user))

    @action(description=_("Export the list (xlsx)"), url_path="export", icon="download")
    def export_list(self, request):
        """The rows the list shows (scope, search, filters, ordering), every page of them, on one sheet."""
        visible_tags = selectors.tags_visible_to(request.user)
        return _export_list(
            self, request, lambda rows: exports.residents_xlsx(rows, visible_tags=visible_tags)
        )

    @action(
        description=_("Reveal phone / ID number"),
        url_path="reveal",
        icon="visibility",
        permissions=["reveal"],
    )
    def reveal(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = AdminRevealForm(request.POST or None)
        revealed = ""
        if request.method == "POST" and form.is_valid():
            try:
                revealed = services.resident_reveal(
                    resident=obj,
                    field=form.cleaned_data["field"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
                revealed = revealed or "—"
            except ValidationError as error:
                add_service_errors(form, error)
        response = _form_page(
            self,
            request,
            obj,
            form=form,
            title=_("Reveal personal data of %(name)s") % {"name": obj.name},
            submit_label=_("Reveal"),
            intro=_("Phone: %(phone)s · ID number: %(id)s")
            % {"phone": obj.phone_masked or "—", "id": obj.id_number_masked or "—"},
            revealed=revealed,
        )
        return pii.no_store(response)

    @action(description=_("Move resident"), url_path="move", icon="move_item", permissions=["change"])
    def move(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = ResidentMoveForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            cd = form.cleaned_data
            try:
                services.resident_move(
                    resident=obj,
                    to_household=cd["to_household"],
                    on=cd["on"],
                    by=request.user,
                    kind=cd["kind"] or None,
                    relation=cd["relation"] or None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The move was recorded; the residence history keeps the old dwelling.")
                )
                if cd["to_household"] is None:
                    return redirect(reverse("admin:grids_resident_changelist"))
                return redirect(reverse("admin:grids_resident_change", args=[obj.pk]))
        return _form_page(
            self,
            request,
            obj,
            form=form,
            title=_("Move %(name)s") % {"name": obj.name},
            submit_label=_("Record the move"),
            intro=_("Current dwelling: %(home)s") % {"home": obj.household or "—"},
        )


@admin.register(ResidentTag)
class ResidentTagAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    """Tags are shared by every community; only an administrator defines them."""

    list_display = ["name", "code", "needs_attention", "sensitive"]
    search_fields = ["name", "code"]

    def scope_queryset(self, request, queryset, *, write=False):
        if request.user.is_superuser:
            return queryset
        return queryset.none() if write else queryset.filter(pk__in=selectors.tags_visible_to(request.user))

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def service_save(self, request, obj, form, change):
        services.resident_tag_save(tag=obj, by=request.user)
