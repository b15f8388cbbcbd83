from django.urls import path

from . import views

app_name = "cobuilding"

urlpatterns = [
    path("cobuilding/units/", views.unit_list, name="units"),
    path("cobuilding/units/new/", views.unit_edit, name="unit_new"),
    path("cobuilding/units/<int:pk>/", views.unit_detail, name="unit"),
    path("cobuilding/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("cobuilding/units/<int:unit_pk>/agreements/new/", views.agreement_edit, name="agreement_new"),
    path("cobuilding/agreements/<int:pk>/", views.agreement_edit, name="agreement_edit"),
    path("cobuilding/units/<int:unit_pk>/members/new/", views.member_edit, name="member_new"),
    path("cobuilding/members/<int:pk>/", views.member_edit, name="member_edit"),
    path("cobuilding/units/<int:pk>/events/", views.unit_events, name="unit_events"),
    path("cobuilding/events/<int:pk>/remove/", views.unit_event_remove, name="unit_event_remove"),
    path("cobuilding/units/<int:pk>/report/", views.unit_report, name="unit_report"),
    path("cobuilding/needs/", views.need_list, name="needs"),
    path("cobuilding/needs/<int:pk>/", views.need_detail, name="need"),
    path("cobuilding/resources/", views.resource_list, name="resources"),
]
