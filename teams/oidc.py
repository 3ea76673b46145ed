"""Single sign-on through OpenID Connect (mozilla-django-oidc).

The identity provider's user is mapped to an existing local account by HSA-id, or else by
work e-mail. Accounts are never created from the IdP: administrators create them.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User


class HLTOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        hsa_id = claims.get(settings.OIDC_HSA_ID_CLAIM)
        if hsa_id:
            users = User.objects.filter(hsa_id=hsa_id, is_active=True)
            if users.exists():
                return users
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_HSA_ID_CLAIM) or claims.get("email"))
