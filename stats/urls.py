from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("stats/", views.home, name="home"),
    path("stats/<str:level>/<int:pk>/", views.area, name="area"),
]
