"""API clients and the Open311 questions of categories, managed by staff for their own area."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline

from accounts.admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ServiceSaveMixin
from accounts.permissions import is_admin_user, may_edit_shared_config, may_manage_area_keys, may_write
from grids.models import Community, District, Street
from petitions.models import Category

from . import services
from .models import ApiClient, ApiClientUse, ApiScope, ServiceAttribute


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiClient
        fields = [
            "name",
            "community",
            "street",
            "district",
            "scopes",
            "trusted",
            "rate_limit_per_hour",
            "expires_at",
        ]


class ApiClientUseInline(ScopedInlineMixin, TabularInline):
    model = ApiClientUse
    read_only = True
    extra = 0
    max_num = 0
    fields = ["created_at", "method", "path", "status_code"]
    readonly_fields = fields
    ordering = ["-created_at"]

    def get_queryset(self, request):
        # The latest writes; the full log stays in the database.
        return super().get_queryset(request).order_by("-created_at", "-pk")


@admin.register(ApiClient)
class ApiClientAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    form = ApiClientForm
    list_display = [
        "name",
        "key_prefix",
        "area",
        "scopes_display",
        "trusted",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_select_related = ["community", "street", "district"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at", "revoked_at"]
    inlines = [ApiClientUseInline]
    actions = ["revoke"]

    @admin.display(description=_("Scopes"))
    def scopes_display(self, obj):
        labels = dict(ApiScope.choices)
        return "、".join(str(labels.get(s, s)) for s in obj.scopes)

    def _may_manage(self, user):
        return is_admin_user(user) and (may_write(user) or may_manage_area_keys(user))

    def has_add_permission(self, request, *args):
        return self._may_manage(request.user)

    def has_change_permission(self, request, obj=None):
        if not self._may_manage(request.user):
            return False
        if isinstance(obj, str | int) and not self._in_scope(request, obj, write=False):
            return True  # as ScopedAdminMixin: unseen looks nonexistent, not forbidden
        return self._in_scope(request, obj, write=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The places a user may bind a key to: those whose every community they manage.
        places = {"community": Community, "street": Street, "district": District}
        if db_field.name in places and not request.user.is_superuser:
            ids = services.manageable_community_ids(request.user)
            kwargs["queryset"] = {
                "community": Community.objects.filter(pk__in=ids),
                "street": Street.objects.exclude(communities__in=Community.objects.exclude(pk__in=ids))
                .filter(communities__in=ids)
                .distinct(),
                "district": District.objects.exclude(
                    streets__communities__in=Community.objects.exclude(pk__in=ids)
                )
                .filter(streets__communities__in=ids)
                .distinct(),
            }[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_save(self, request, obj, form, change):
        raw = services.api_client_save(client=obj, by=request.user)
        if raw:
            # Shown by response_add after the real save (the dry run's key is replaced by then).
            request._linli_new_key = raw

    def response_add(self, request, obj, post_url_continue=None):
        raw = getattr(request, "_linli_new_key", None)
        if raw:
            messages.warning(
                request,
                _("The key of %(client)s, shown only now: %(key)s. Copy it into the system that will use it.")
                % {"client": obj.name, "key": raw},
            )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        done = 0
        for client in queryset:
            try:
                services.api_client_revoke(client=client, by=request.user)
                done += 1
            except PermissionDenied as exc:
                messages.error(request, str(exc))
        messages.success(request, ngettext("%(n)d key revoked.", "%(n)d keys revoked.", done) % {"n": done})


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    """Questions a system posting through Open311 answers for a category (its service definition)."""

    list_display = ["category", "code", "description", "datatype", "required", "order"]
    list_select_related = ["category"]
    search_fields = ["code", "description"]

    def scope_queryset(self, request, queryset, *, write=False):
        user = request.user
        if user.is_superuser:
            return queryset
        ids = user.scope.writable_community_ids if write else user.scope.community_ids
        categories = Category.objects.filter(community_id__in=ids)
        if not write or may_edit_shared_config(user):
            categories = Category.objects.shared_or_in(ids)
        return queryset.filter(category__in=categories)

    def has_add_permission(self, request, *args):
        return may_write(request.user) or may_edit_shared_config(request.user)

    def has_change_permission(self, request, obj=None):
        if not self.has_add_permission(request):
            return False
        if isinstance(obj, str | int) and not self._in_scope(request, obj, write=False):
            return True
        return self._in_scope(request, obj, write=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category" and not request.user.is_superuser:
            user = request.user
            ids = user.scope.writable_community_ids
            kwargs["queryset"] = (
                Category.objects.shared_or_in(ids)
                if may_edit_shared_config(user)
                else Category.objects.filter(community_id__in=ids)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_save(self, request, obj, form, change):
        services.service_attribute_save(attribute=obj, by=request.user)
