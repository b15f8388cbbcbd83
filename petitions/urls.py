from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("petitions/", views.board, name="board"),
    path("petitions/new/", views.petition_new, name="new"),
    path("petitions/track/", views.track_lookup, name="track_lookup"),
    path("petitions/track/<str:code>/", views.track, name="track"),
    path("petitions/track/<str:code>/photos/<int:pk>/", views.track_photo, name="track_photo"),
    path("wishes/", views.wishes, name="wishes"),
    path("wishes/<int:pk>/claim/", views.wish_claim, name="wish_claim"),
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/new/", views.workbench_new, name="workbench_new"),
    path("workbench/import/", views.workbench_import, name="workbench_import"),
    path("workbench/dispatch/", views.workbench_bulk_dispatch, name="bulk_dispatch"),
    path("workbench/ledger/", views.workbench_ledger, name="ledger"),
    path("workbench/<int:pk>/", views.workbench_detail, name="workbench_detail"),
    path("workbench/photos/<int:pk>/", views.photo, name="photo"),
]
