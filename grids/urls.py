from django.urls import path

from . import views

app_name = "grids"

urlpatterns = [
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident-reveal"),
    path("registry/uncovered/", views.uncovered, name="uncovered"),
]
