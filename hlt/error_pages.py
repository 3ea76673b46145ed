"""The app's own error pages and how refusals are logged.

The app's own "page not found" under DEBUG too (`make run`).

With DEBUG on, Django answers a missing page with its technical page, which lists every URL
pattern and names the object that was not found. A demo user who opens a case they may not
know exists must see what production shows: the app's own page. Server errors keep Django's
technical page, which is what a developer needs.
"""

import logging

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, get_resolver, get_urlconf


class OwnNotFoundPageMiddleware:
    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed  # without DEBUG, Django already uses the handler below
        self.get_response = get_response

    def __call__(self, request):
        resolver = get_resolver(getattr(request, "urlconf", None) or get_urlconf())
        try:
            resolver.resolve(request.path_info)
        except Resolver404 as exc:
            # CommonMiddleware (outside this one) still turns the 404 into APPEND_SLASH's redirect.
            return self._not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self._not_found(request, exception)
        return None

    @staticmethod
    def _not_found(request, exception):
        resolver = get_resolver(getattr(request, "urlconf", None) or get_urlconf())
        return resolver.resolve_error_handler(404)(request, exception)


def csrf_failure(request, reason: str = ""):
    """The app's own page when a form's CSRF check fails (settings.CSRF_FAILURE_VIEW): in the
    user's language, saying what happened and what to do, instead of Django's English page.
    Usually the form was open longer than the session, or was sent from another tab after
    logging out and in again."""
    return render(request, "403_csrf.html", status=403)


class RefusedRequestFilter(logging.Filter):
    """A refused request (403) is one log line, not a traceback: Django logs the
    PermissionDenied with its stack, which is noise for something the app meant to do."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
