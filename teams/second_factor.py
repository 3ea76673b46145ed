"""A second factor before any child data: TOTP for password accounts, the IdP for SSO.

People who log in with a password must confirm a one-time code (django-otp, TOTP) before any
page of the child-data apps opens. People who log in through the region's or municipality's
identity provider (OIDC, fronting SITHS or e-tjänstekort) already used a strong method there.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

STRONG_AUTH = "hlt_strong_auth"
# The apps whose pages show a child's data.
PROTECTED_NAMESPACES = {"cases", "meetings", "audit", "sip"}
OIDC_BACKEND = "teams.oidc.HLTOIDCBackend"


@receiver(user_logged_in)
def _remember_strong_login(sender, request, user, **kwargs):
    if request is not None and getattr(user, "backend", "") == OIDC_BACKEND:
        request.session[STRONG_AUTH] = True


def has_second_factor(request) -> bool:
    return bool(request.session.get(STRONG_AUTH)) or request.user.is_verified()


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_SECOND_FACTOR:
            return None
        match = request.resolver_match
        if match is None or match.namespace not in PROTECTED_NAMESPACES:
            return None
        if not request.user.is_authenticated or has_second_factor(request):
            return None  # anonymous users meet login_required in the view
        return redirect(f"{reverse('teams:second_factor')}?next={request.get_full_path()}")
