"""The scoped admin: every ModelAdmin of Linli mixes this in.

Staff users are `is_staff` and hold no Django model permissions: their roles decide. Community staff and
branch secretaries change what lies in their community; street and district officials only look; the
superuser does everything. An object outside a user's scope is not in `get_queryset`, so Django's admin
treats it as nonexistent (its own "doesn't exist" redirect). Foreign-key choices and autocomplete answers
are limited to what the user may change.
"""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grids import pii
from grids.pii import mask_phone

from .models import User
from .permissions import is_admin_user, may_write


def visible_users(user, *, write=False):
    """Login accounts a user may see (or change): those whose home community or assignment is in scope."""
    if user.is_superuser:
        return User.objects.all()
    scope = user.scope
    communities = scope.writable_community_ids if write else scope.community_ids
    if not communities:
        return User.objects.none()
    in_scope = (
        Q(community_id__in=communities)
        | Q(assignments__community_id__in=communities)
        | Q(assignments__grid__community_id__in=communities)
        | Q(assignments__microgrid__grid__community_id__in=communities)
    )
    ids = User.objects.filter(in_scope).values("pk")
    return User.objects.filter(pk__in=ids, is_superuser=False)


class ScopedAdminMixin:
    """Put before unfold's ModelAdmin: `class ResidentAdmin(ScopedAdminMixin, ModelAdmin)`."""

    # History and audit rows are never deleted. Where removing a mistaken row loses nothing (a place or a
    # dwelling entered by error, protected by its foreign keys), the administrator alone may delete it.
    allow_delete = False
    # Audit and log models: nobody edits them here.
    read_only = False

    # --- what a user sees ----------------------------------------------------------------------

    def scope_queryset(self, request, queryset, *, write=False):
        """Filter `queryset` to the user's scope. Models without `visible_to` override this."""
        manager = self.model._default_manager
        if not hasattr(manager, "visible_to"):
            return queryset if request.user.is_superuser else queryset.none()
        scoped = manager.editable_by(request.user) if write else manager.visible_to(request.user)
        if request.user.is_superuser:
            return queryset
        if scoped.query.distinct:
            return queryset.filter(pk__in=scoped.values("pk"))  # a to-many path: keep each row once
        # The scope's own conditions, not `pk IN (scope)`: the sub-select makes a count read every row.
        return queryset & scoped

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def _in_scope(self, request, obj, *, write):
        if obj is None or request.user.is_superuser:
            return True
        pk = obj if isinstance(obj, str | int) else obj.pk
        qs = self.scope_queryset(request, self.model._default_manager.all(), write=write)
        try:
            return qs.filter(pk=pk).exists()
        except (ValueError, ValidationError):  # a malformed id in a URL names nothing
            return False

    # --- permissions from roles, not from Django's model permissions ----------------------------

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user) and self._in_scope(request, obj, write=False)

    def has_add_permission(self, request, *args):
        return not self.read_only and may_write(request.user)

    def has_change_permission(self, request, obj=None):
        if self.read_only or not may_write(request.user):
            return False
        if isinstance(obj, str | int) and not self._in_scope(request, obj, write=False):
            # unfold checks detail actions with the raw id; an object the user cannot see must look
            # nonexistent (the action's view redirects like Django's change view), not forbidden.
            return True
        return self._in_scope(request, obj, write=True)

    def has_delete_permission(self, request, obj=None):
        return self.allow_delete and request.user.is_superuser

    # --- choices and autocomplete ---------------------------------------------------------------

    def scoped_choices(self, request, model):
        user = request.user
        if model is User:
            return visible_users(user, write=True)
        manager = model._default_manager
        if hasattr(manager, "editable_by"):
            return manager.editable_by(user)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.scoped_choices(request, db_field.remote_field.model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.scoped_choices(request, db_field.remote_field.model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Autocomplete feeds a foreign-key choice: offer only what the user may change.
        if request.path.rstrip("/").endswith("autocomplete") and not request.user.is_superuser:
            writable = self.scope_queryset(request, self.model._default_manager.all(), write=True)
            queryset = queryset.filter(pk__in=writable.values("pk"))
        return queryset, may_have_duplicates


def add_service_errors(form, error):
    """Put a service's ValidationError on `form`: dict errors on their field (or the form when the form
    has no such field), plain ones on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _DryRun(Exception):
    """Rolls back the savepoint of a service call made only to validate a form."""


class ServiceSaveMixin:
    """The admin's one write path: save through a service, and show its refusal as a form error.

    A subclass implements `service_save(request, obj, form, change)`, which calls the entity's service
    (with `form.cleaned_data` for what is not on the object, e.g. many-to-many fields). When the form is
    otherwise valid, the service runs once on a copy of the object inside a savepoint that is always
    rolled back (on_commit hooks registered there are dropped with it), so its `ValidationError` (a dict
    keyed by field lands on that field) becomes an error on the change form and nothing is written;
    `save_model` then runs it for real. PermissionDenied and Http404 are not form errors: they pass
    through and the admin answers 403 / 404 as before. With `service_saves_m2m`, the service writes the
    many-to-many fields itself and `save_related` saves only the inlines (never `form.save_m2m()`).
    Put it before `ScopedAdminMixin`.
    """

    service_saves_m2m = False

    def service_save(self, request, obj, form, change):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.service_save(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not self.service_saves_m2m:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self._errors:
                    return
                try:
                    with transaction.atomic():
                        model_admin.service_save(request, copy.copy(self.instance), self, change)
                        raise _DryRun
                except _DryRun:
                    pass
                except ValidationError as exc:
                    add_service_errors(self, exc)

        ServiceCheckedForm.__name__ = form_class.__name__
        return ServiceCheckedForm


class ScopedInlineMixin:
    """Inlines follow their parent's permissions and scope their choices the same way."""

    read_only = False

    def has_add_permission(self, request, obj=None):
        return not self.read_only and may_write(request.user)

    def has_change_permission(self, request, obj=None):
        return not self.read_only and may_write(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    formfield_for_foreignkey = ScopedAdminMixin.formfield_for_foreignkey
    formfield_for_manytomany = ScopedAdminMixin.formfield_for_manytomany
    scoped_choices = ScopedAdminMixin.scoped_choices


# Query-string parameters of a changelist that choose a page, not rows: a list action that works on "the
# list" drops them (an export holds every matching row, not the page the user was looking at).
PAGE_PARAMS = frozenset({"p", "all", "e", "_to_field", "_popup"})


class FilteredListActionsMixin:
    """Unfold's list actions (`actions_list`) that act on the rows the changelist shows.

    Unfold links its list buttons to the bare action URL, so an export from a searched or filtered list
    would hold every row in scope. The buttons named in `actions_list_follow_filters` carry the current
    search, filters and ordering, and `changelist_rows(request)` builds the queryset exactly as the
    changelist does (scoped by `get_queryset`, narrowed by `?q=` and the filters), without pagination.
    Put it before unfold's ModelAdmin, next to `ScopedAdminMixin`.
    """

    actions_list_follow_filters = ()

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        query = self.list_query_string(request)
        if context and query and self.actions_list_follow_filters:
            paths = {
                reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}")
                for name in self.actions_list_follow_filters
            }
            for item in context.get("actions_list") or []:
                for entry in [item, *item.get("items", [])]:
                    if entry.get("path") in paths:
                        entry["path"] = f"{entry['path']}?{query}"
        return response

    @staticmethod
    def list_query_string(request):
        params = request.GET.copy()
        for name in PAGE_PARAMS:
            params.pop(name, None)
        return params.urlencode()

    def changelist_rows(self, request):
        """Every row of the changelist the query string describes, in its order, without pagination.

        Raises PermissionDenied without the view permission and IncorrectLookupParameters (which the
        caller turns into a redirect) for a filter that names nothing.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        if PAGE_PARAMS & request.GET.keys():
            request.GET = request.GET.copy()
            for name in PAGE_PARAMS:
                request.GET.pop(name, None)
        return self.get_changelist_instance(request).queryset


class PhoneSearchAdminMixin:
    """The search box of a model with an encrypted phone (`grids.models.EncryptedPhone`): 4 digits find
    the numbers ending so, a whole number its blind index; any other term goes to `search_fields`."""

    def get_search_results(self, request, queryset, search_term):
        if pii.last4_term(search_term):
            return queryset.filter(phone_last4=pii.last4_term(search_term)), False
        if pii.phone_term(search_term):
            return queryset.filter(phone_index=pii.phone_index(pii.phone_term(search_term))), False
        return super().get_search_results(request, queryset, search_term)


class MaskedPhoneAdminMixin:
    """Phones on a change form, as everywhere else: shown masked (read-only, also to those who only look),
    changed through an empty write-only field, so the clear number is never in the page. Put it first:
    `class MerchantAdmin(MaskedPhoneAdminMixin, ServiceSaveMixin, ScopedAdminMixin, ModelAdmin)`.
    `masked_phones` names the model's phone fields."""

    masked_phones = ("phone",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.masked_phones:
            setattr(self, f"{name}_masked", self._masked_display(name))

    def _masked_display(self, name):
        def display(obj):
            return mask_phone(getattr(obj, name)) or "—"

        display.short_description = self.model._meta.get_field(name).verbose_name
        return display

    def _replace_phones(self, fields, *, writable):
        added = {f"{name}_{suffix}" for name in self.masked_phones for suffix in ("masked", "new")}
        out = []
        for field in fields:
            if isinstance(field, (list, tuple)):
                out.append(tuple(self._replace_phones(field, writable=writable)))
            elif field in self.masked_phones:
                out += [f"{field}_masked", f"{field}_new"] if writable else [f"{field}_masked"]
            elif field not in added:  # get_fields() lists them again, from the form and readonly_fields
                out.append(field)
        return out

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        writable = self.has_change_permission(request, obj)
        return [
            (title, {**options, "fields": self._replace_phones(options["fields"], writable=writable)})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [f"{name}_masked" for name in self.masked_phones] if obj is not None else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return super().get_form(request, obj, change=change, **kwargs)
        base = kwargs.get("form", self.form)
        model = self.model
        phones = self.masked_phones
        extra = {}
        for name in phones:
            model_field = model._meta.get_field(name)
            field = model_field.formfield(required=False, validators=model_field.validators)
            field.initial = ""
            field.help_text = _("Leave empty to keep the stored number.")
            field.widget.attrs.update(autocomplete="off", inputmode="tel")
            extra[f"{name}_new"] = field

        def clean(form):
            cleaned = base.clean(form)
            for name in phones:
                if cleaned.get(f"{name}_new"):
                    setattr(form.instance, name, cleaned[f"{name}_new"])
            return cleaned

        kwargs["form"] = type(base.__name__, (base,), {**extra, "clean": clean})
        return super().get_form(request, obj, change=change, **kwargs)
