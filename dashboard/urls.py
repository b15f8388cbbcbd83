from django.urls import path

from . import assistance_views, project_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/visit/", views.visit_new, name="visit_new"),
    path("households/<int:pk>/request/", views.item_new, name="item_new"),
    path("households/<int:pk>/reveal/<int:resident_pk>/", views.resident_reveal_view, name="reveal"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/export.xlsx", views.visit_export, name="visit_export"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/never-visited/", views.campaign_never_visited, name="campaign_never_visited"),
    path("items/", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/phone/", views.item_reveal_phone, name="item_phone"),
    path("items/<int:pk>/<slug:action>/", views.item_action, name="item_action"),
    path("projects/", project_views.project_list, name="projects"),
    path("projects/<int:pk>/", project_views.project_detail, name="project"),
    path("milestones/<int:pk>/", project_views.milestone_record, name="milestone_record"),
    path("assistance/", assistance_views.case_list, name="assistance"),
    path("assistance/<int:pk>/", assistance_views.case_detail, name="assistance_case"),
    path("assistance/entries/<int:pk>/confirm/", assistance_views.entry_confirm, name="assistance_confirm"),
    path("assistance/entries/<int:pk>/reverse/", assistance_views.entry_reverse, name="assistance_reverse"),
    path("assistance/milestones/<int:pk>/", assistance_views.milestone_done, name="assistance_milestone"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("offline/", views.offline, name="offline"),
]
