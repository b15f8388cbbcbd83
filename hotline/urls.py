from django.urls import path

from . import views

app_name = "hotline"

urlpatterns = [
    path("staff/hotline/", views.job_list, name="list"),
    path("staff/hotline/<int:pk>/replies.xlsx", views.replies, name="replies"),
]
