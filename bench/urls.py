"""The project's URLs plus a bare Django view reading one row: the baseline of bench.public_pages."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urls
from petitions.models import Category


def bare(request):
    return HttpResponse(Category.objects.values_list("name", flat=True).first() or "")


urlpatterns = [path("bench/bare/", bare), *project_urls]
