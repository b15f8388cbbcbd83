from django.urls import path  # noqa: F401

app_name = "grids"

# Registry pages (building page, household page) are added here.
urlpatterns: list = []
