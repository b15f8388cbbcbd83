from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from .health import healthz

admin.site.site_header = settings.UNFOLD["SITE_HEADER"]
admin.site.site_title = settings.UNFOLD["SITE_TITLE"]

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    # The language switcher posts here; no language prefix in URLs: LocaleMiddleware picks the language
    # from the cookie the switcher sets, else Accept-Language, else zh-hans.
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("dashboard/", include("dashboard.urls")),
    path("", include("grids.urls")),
    path("", include("governance.urls")),
    path("", include("petitions.urls")),
    path("", include("volunteers.urls")),
    path("services/", include("servicemap.urls")),
    path("", include("cards.urls")),
    path("", include("projects.urls")),
    path("", include("cobuilding.urls")),
    path("", include("stats.urls")),
    path("", include("imports.urls")),
    path("", include("hotline.urls")),
    path("", include("assistance.urls")),
    path("notifications/", include("notifications.urls")),
    path("deliberation/", include("deliberation.urls")),
    path("open311/v2/", include("integrations.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include("config.api_urls")),
]

# Under /api/ the 404 and 500 answers are JSON in the API's error shape (config.api_errors).
handler404 = "config.api_errors.page_not_found"
handler500 = "config.api_errors.server_error"
