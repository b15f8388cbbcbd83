"""/api/v1/: each app registers its endpoints on this one router, and may add plain paths."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from assistance import api as assistance_api
from cards import api as cards_api
from cobuilding import api as cobuilding_api
from deliberation import api as deliberation_api
from governance import api as governance_api
from grids import api as grids_api
from notifications import api as notifications_api
from petitions import api as petitions_api
from projects import api as projects_api
from servicemap import api as servicemap_api
from stats import api as stats_api
from visits import api as visits_api
from volunteers import api as volunteers_api

APPS = [
    grids_api,
    governance_api,
    petitions_api,
    volunteers_api,
    notifications_api,
    visits_api,
    servicemap_api,
    cards_api,
    projects_api,
    cobuilding_api,
    stats_api,
    deliberation_api,
    assistance_api,
]

router = DefaultRouter()
for app_api in APPS:
    app_api.register(router)

# Plain paths an app declares (its api.urlpatterns) come first, so that e.g. petitions/track/<code>/ is
# not taken for a detail route of the router.
urlpatterns = [pattern for app_api in APPS for pattern in getattr(app_api, "urlpatterns", [])]
urlpatterns += [path("", include(router.urls))]
