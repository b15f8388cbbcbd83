from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("staff/imports/", views.job_list, name="list"),
    path("staff/imports/template.xlsx", views.template, name="template"),
    path("staff/imports/template/<str:kind>.xlsx", views.template, name="kind_template"),
    path("staff/imports/<int:pk>/", views.job_detail, name="detail"),
    path("staff/imports/<int:pk>/progress/", views.job_progress, name="progress"),
    path("staff/imports/<int:pk>/mapping/", views.job_mapping, name="mapping"),
    path("staff/imports/<int:pk>/confirm/", views.job_confirm, name="confirm"),
]
