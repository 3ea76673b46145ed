from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import LoginForm
from .health import health

admin.site.site_header = admin.site.site_title = "HLT"

urlpatterns = [
    *([path("oidc/", include("mozilla_django_oidc.urls"))] if settings.OIDC_ENABLED else []),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("access-log/", include("audit.urls")),
    path("statistics/", include("reports.urls")),
    path("meetings/", include("meetings.urls")),
    path("sip/", include("sip.urls")),
    path("inbox/", include("workday.urls")),
    path("", include("teams.urls")),
]
