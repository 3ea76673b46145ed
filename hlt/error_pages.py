"""The app's own "page not found" under DEBUG too (`make run`).

With DEBUG on, Django answers a missing page with its technical page, which lists every URL
pattern and names the object that was not found. A demo user who opens a case they may not
know exists must see what production shows: the app's own page. Server errors keep Django's
technical page, which is what a developer needs.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
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
