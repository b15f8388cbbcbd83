from django.urls import path

from . import views

app_name = "hotline"

urlpatterns = [
    path("staff/hotline/", views.job_list, name="list"),
    path("staff/hotline/template.xlsx", views.template, name="template"),
    path("staff/hotline/<int:pk>/", views.job_detail, name="detail"),
    path("staff/hotline/<int:pk>/mapping/", views.job_mapping, name="mapping"),
    path("staff/hotline/<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("staff/hotline/<int:pk>/replies.xlsx", views.replies, name="replies"),
]
