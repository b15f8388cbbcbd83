from django.urls import path

from . import views

app_name = "cobuilding"

urlpatterns = [
    path("cobuilding/units/", views.unit_list, name="units"),
    path("cobuilding/units/<int:pk>/", views.unit_detail, name="unit"),
    path("cobuilding/units/<int:pk>/report/", views.unit_report, name="unit_report"),
    path("cobuilding/needs/", views.need_list, name="needs"),
    path("cobuilding/needs/<int:pk>/", views.need_detail, name="need"),
    path("cobuilding/resources/", views.resource_list, name="resources"),
]
