"""Users, role assignments and the audit log of reveals, in the scoped admin."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from unfold.admin import ModelAdmin, TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.widgets import UnfoldAdminTextInputWidget

from grids import pii
from grids.models import Resident
from grids.validators import validate_phone

from . import services
from .admin_mixins import (
    PhoneSearchAdminMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    ServiceSaveMixin,
    visible_users,
)
from .models import RevealLog, RoleAssignment, User
from .permissions import is_admin_user

# Groups and Django permissions are not used: roles decide (see accounts.roles).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class RoleAssignmentInline(ScopedInlineMixin, TabularInline):
    model = RoleAssignment
    fields = ["role", "community", "grid", "microgrid", "street", "district", "valid_from", "valid_until"]
    readonly_fields = fields
    read_only = True
    extra = 0
    can_delete = False
    verbose_name_plural = _("Role assignments")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("community", "grid", "microgrid", "street", "district")
        )


def clean_login_phone(form, phone):
    """A login phone typed in the admin: a mobile number no other account uses (found by its blind index)."""
    phone = phone.strip()
    if phone:
        validate_phone(phone)
        others = User.objects.filter(phone_index=pii.phone_index(phone))
        if form.instance.pk:
            others = others.exclude(pk=form.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another account already uses this mobile number."))
    return phone


class LinliUserCreationForm(UserCreationForm):
    """The new account's login phone is stored encrypted, so the form sets it rather than a column."""

    phone = forms.CharField(label=_("Mobile phone"), required=False, max_length=11)

    def clean_phone(self):
        return clean_login_phone(self, self.cleaned_data["phone"])

    def save(self, commit=True):
        self.instance.phone = self.cleaned_data.get("phone", "")
        return super().save(commit=commit)


class LinliUserChangeForm(UserChangeForm):
    """The phone is write-only here, as a resident's is: the page shows its mask, never the number."""

    phone_new = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=11,
        widget=UnfoldAdminTextInputWidget(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("Leave empty to keep the stored number."),
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = [
            "username",
            "password",
            "display_name",
            "email",
            "community",
            "is_active",
            "is_staff",
            "is_superuser",
        ]

    def clean_phone_new(self):
        return clean_login_phone(self, self.cleaned_data["phone_new"])

    def save(self, commit=True):
        if self.cleaned_data.get("phone_new"):
            self.instance.phone = self.cleaned_data["phone_new"]
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(PhoneSearchAdminMixin, ServiceSaveMixin, ScopedAdminMixin, BaseUserAdmin, ModelAdmin):
    form = LinliUserChangeForm
    add_form = LinliUserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "display_name", "phone_display", "community", "is_active", "last_login"]
    list_filter = ["is_active", ("community", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "display_name"]
    list_select_related = ["community"]
    show_full_result_count = False
    inlines = [RoleAssignmentInline]
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "phone", "community", "password1", "password2"),
            },
        ),
    )

    def scope_queryset(self, request, queryset, *, write=False):
        return queryset.filter(pk__in=visible_users(request.user, write=write).values("pk"))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        account = (None, {"fields": ("username", "password")})
        person = (
            _("Personal info"),
            {"fields": ("display_name", "phone_display", "phone_new", "work_phone", "community", "email")},
        )
        if request.user.is_superuser:
            rights = (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")})
        else:
            rights = (_("Permissions"), {"fields": ("is_active", "is_staff")})
        dates = (_("Important dates"), {"fields": ("last_login", "date_joined")})
        return (account, person, rights, dates)

    def get_readonly_fields(self, request, obj=None):
        return ("phone_display", "last_login", "date_joined") if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "community" in form.base_fields:
            # Staff manage the accounts of their own community: the home community says which.
            form.base_fields["community"].required = True
        return form

    @admin.display(description=_("Mobile phone"))
    def phone_display(self, obj):
        return obj.phone_masked or "—"

    def service_save(self, request, obj, form, change):
        services.user_save(user=obj, by=request.user)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ServiceSaveMixin, ScopedAdminMixin, ModelAdmin):
    list_display = ["user", "role", "place_name", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user", "community", "grid", "microgrid", "street", "district"]
    autocomplete_fields = ["user", "community", "grid", "microgrid"]
    show_full_result_count = False
    fields = [
        "user",
        "role",
        "district",
        "street",
        "community",
        "grid",
        "microgrid",
        "valid_from",
        "valid_until",
    ]

    def scope_queryset(self, request, queryset, *, write=False):
        if request.user.is_superuser:
            return queryset
        scope = request.user.scope
        communities = scope.writable_community_ids if write else scope.community_ids
        return queryset.filter(
            Q(community_id__in=communities)
            | Q(grid__community_id__in=communities)
            | Q(microgrid__grid__community_id__in=communities)
        )

    # Its own context: the plain "Place" is the item's and the activity's place, a word of their own.
    @admin.display(description=pgettext_lazy("role assignment", "Place"))
    def place_name(self, obj):
        return obj.place or "—"

    def service_save(self, request, obj, form, change):
        services.role_assignment_save(assignment=obj, by=request.user)


@admin.register(RevealLog)
class RevealLogAdmin(ScopedAdminMixin, ModelAdmin):
    """Who saw whose phone or ID number, when and why. Nobody edits or deletes it."""

    list_display = ["created_at", "user", "resident", "field", "reason"]
    list_filter = ["field"]
    search_fields = ["resident__name", "user__username", "user__display_name"]
    list_select_related = ["user", "resident"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    read_only = True

    def scope_queryset(self, request, queryset, *, write=False):
        if request.user.is_superuser:
            return queryset
        if write or not is_admin_user(request.user):
            return queryset.none()
        return queryset.filter(resident__in=Resident.objects.visible_to(request.user).values("pk"))

    def has_add_permission(self, request, *args):
        return False
