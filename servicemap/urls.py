from django.urls import path

from . import views

app_name = "servicemap"

urlpatterns = [
    path("", views.index, name="index"),
    path("c/<int:community_pk>/", views.public_map, name="public"),
    path("c/<int:community_pk>/guide.pdf", views.guide, name="guide"),
    # What a building's QR code (or the link beside its request form) opens: the walk starts there.
    path("q/<str:token>/", views.qr_map, name="qr"),
    path("map/", views.dashboard_map, name="dashboard"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_edit, name="staff_new"),
    path("staff/<int:pk>/", views.staff_edit, name="staff_edit"),
]
