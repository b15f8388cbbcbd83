from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/ledger.xlsx", views.project_export, name="export"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/milestones/<int:pk>/record/", views.milestone_record, name="milestone_record"),
    path("projects/evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("communities/<int:community_pk>/projects/", views.public_projects, name="public"),
    path("communities/projects/photos/<int:pk>/", views.public_photo, name="public_photo"),
]
