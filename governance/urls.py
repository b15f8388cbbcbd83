from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("party/", views.party_tree, name="party"),
]
