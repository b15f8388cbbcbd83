from django.urls import path

from . import views

app_name = "cards"

urlpatterns = [
    # Printed on the cards: kept short so the QR code stays coarse and easy to scan.
    path("q/<str:token>/", views.scan, name="scan"),
    path("cards/", views.index, name="index"),
    path("cards/communities/<int:pk>/", views.community, name="community"),
    path("cards/communities/<int:pk>/print/", views.community_print, name="community-print"),
    path("cards/areas/<int:pk>/", views.area, name="area"),
    path("cards/areas/<int:pk>/print/", views.area_print, name="area-print"),
    path("cards/buildings/<int:pk>/", views.building, name="building"),
    path("cards/buildings/<int:pk>/print/", views.building_print, name="building-print"),
    path("cards/buildings/<int:pk>/qr/", views.building_qr, name="building-qr"),
]
