"""Session limits: 30 minutes idle, 10 hours in all, and a record of each person's sessions.

Idle expiry is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST); the
absolute limit and the session record live here.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import UserSession

LOGIN_AT = "hlt_login_at"
TOUCH_EVERY_SECONDS = 60


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT] = time.time()
    request.session.save()  # make sure a key exists
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": _ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


@receiver(user_logged_out)
def _session_ended(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def sessions_end(*, user, session_keys=None) -> int:
    """End a user's sessions (all, or the given ones). Used when a user is disabled and when
    a person ends one of their own sessions."""
    records = UserSession.objects.filter(user=user)
    if session_keys is not None:
        records = records.filter(session_key__in=session_keys)
    keys = list(records.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    records.delete()
    return len(keys)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(LOGIN_AT)
            if started is None:
                request.session[LOGIN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request, _("You were logged out after 10 hours. Please log in again.")
                )
                return redirect(settings.LOGIN_URL)
            key = request.session.session_key
            last = request.session.get("hlt_touched", 0)
            if key and now - last > TOUCH_EVERY_SECONDS:
                request.session["hlt_touched"] = now
                UserSession.objects.filter(session_key=key).update(last_seen_at=timezone.now())
        return self.get_response(request)
