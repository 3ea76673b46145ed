"""Several browsers at once against the live server on PostgreSQL: the shared helper for the
concurrency tests of create forms (start a case, register consent, add a guardian, add a
meeting, …).

    tab = Browser(live_server.url, world.coordinator)
    fields = tab.form_fields("/meetings/…/add/")          # csrf and one-time token
    statuses = at_once([lambda: tab.post(path, {**fields, **data})] * 8)
    assert all(s < 500 for s in statuses)

Each request is a real HTTP request handled in its own server thread with its own database
connection, so races between transactions happen as they would in production. Use it from a
test marked `@pytest.mark.django_db(transaction=True)` (pytest-django's `live_server` needs
committed data).
"""

import html
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.cookies import SimpleCookie

from django.conf import settings
from django.test import Client

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z_:-]+)\s*=\s*"([^"]*)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


class Browser:
    """One logged-in browser: its own session and CSRF cookies, no redirect following."""

    def __init__(self, base_url: str, user):
        client = Client()
        client.force_login(user)
        self.base_url = base_url
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._lock = threading.Lock()

    def _request(self, path: str, data: bytes | None = None) -> tuple[int, str, dict]:
        with self._lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            headers={"Cookie": cookie, "Referer": self.base_url + path},
        )
        try:
            response = self._opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        body = response.read().decode("utf-8", "replace")
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        with self._lock:
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status, body, dict(response.headers)

    def get(self, path: str) -> tuple[int, str]:
        status, body, _headers = self._request(path)
        return status, body

    def form_fields(self, path: str) -> dict[str, str]:
        """The hidden inputs of the page's forms (CSRF token, one-time submit token)."""
        status, body = self.get(path)
        assert status == 200, (path, status)
        fields = {}
        for tag in _INPUT.findall(body):
            attrs = dict(_ATTR.findall(tag))
            if attrs.get("type") == "hidden" and "name" in attrs:
                fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
        return fields

    def post(self, path: str, data: dict) -> int:
        """Post form data (lists for multiple values); the answer's status code."""
        encoded = urllib.parse.urlencode(data, doseq=True).encode()
        status, _body, _headers = self._request(path, encoded)
        return status


def at_once[T](calls: list[Callable[[], T]]) -> list[T]:
    """Run the calls in threads released together; their results in order. An exception in
    a call is re-raised here."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results
