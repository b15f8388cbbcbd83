from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("assistance/", views.case_list, name="list"),
    path("assistance/new/", views.case_edit, name="new"),
    path("assistance/<int:pk>/", views.case_detail, name="detail"),
    path("assistance/<int:pk>/edit/", views.case_edit, name="edit"),
    path("assistance/<int:pk>/statement.xlsx", views.case_statement, name="statement"),
    path("assistance/entries/<int:pk>/confirm/", views.entry_confirm, name="entry_confirm"),
    path("assistance/entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("assistance/milestones/<int:pk>/toggle/", views.milestone_toggle, name="milestone_toggle"),
    path("communities/<int:community_pk>/assistance/", views.public_summaries, name="public"),
]
