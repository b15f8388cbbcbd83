"""Filters of the API that refuse what they cannot read: django-filter's boolean filter takes any value
it does not know (`?in_service=maybe`) for "no filter" and answers everything; this one answers 400."""

import django_filters
import django_filters.rest_framework
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import FilterSet as BaseFilterSet


class StrictBooleanField(forms.NullBooleanField):
    widget = forms.TextInput  # the raw value reaches to_python (NullBooleanSelect turns junk into None)

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class FilterSet(BaseFilterSet):
    """The API's FilterSet: boolean model fields get the strict filter."""

    FILTER_DEFAULTS = {**BaseFilterSet.FILTER_DEFAULTS, models.BooleanField: {"filter_class": BooleanFilter}}


class FilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """The default filter backend: a view's `filterset_fields` get the strict FilterSet too."""

    filterset_base = FilterSet
