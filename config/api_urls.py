"""/api/v1/: each app registers its endpoints on this one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from grids.api import register as register_grids

router = DefaultRouter()
register_grids(router)

urlpatterns = [
    path("", include(router.urls)),
]
