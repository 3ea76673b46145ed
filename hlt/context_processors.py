from django.conf import settings


def login_options(request):
    return {"oidc_enabled": settings.OIDC_ENABLED, "oidc_label": settings.OIDC_LOGIN_LABEL}
