from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("stats/", views.home, name="home"),
    path("stats/<str:level>/<int:pk>/", views.area, name="area"),
    path("stats/<str:level>/<int:pk>/reports/", views.report_new, name="report_new"),
    path("stats/reports/<int:pk>.<str:kind>", views.report_file, name="report_file"),
]
