"""The start page's sections contributed by later apps.

The start page belongs to `teams` (every person has one), but what a person must do today is
known only to apps that come later in the dependency order (cases, meetings, SIP). Those apps
register a section here in their `AppConfig.ready`; the start view calls each with the request
and merges the context it returns. So `teams` imports nothing from them.
"""

from collections.abc import Callable

from django.http import HttpRequest

Section = Callable[[HttpRequest], dict]


class StartSections:
    def __init__(self):
        self._sections: list[Section] = []

    def register(self, section: Section) -> Section:
        if section not in self._sections:
            self._sections.append(section)
        return section

    def context(self, request: HttpRequest) -> dict:
        context: dict = {}
        for section in self._sections:
            context.update(section(request))
        return context


start_sections = StartSections()
