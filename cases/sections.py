"""Sections of the case page contributed by later apps.

The case page belongs to `cases`, but the case's meetings, feedback, SIP meetings, plans and
follow-ups live in apps that come later in the dependency order (meetings, sip). They
register a section here in their `AppConfig.ready`; the case view calls each with the request,
the case and the reader's redactor (free text masked as the page masks it), and merges the
context it returns. So `cases` imports nothing from them.
"""

from collections.abc import Callable

Section = Callable[..., dict]


class CaseSections:
    def __init__(self):
        self._sections: list[Section] = []

    def register(self, section: Section) -> Section:
        if section not in self._sections:
            self._sections.append(section)
        return section

    def context(self, request, case, *, redact: Callable[[str], str]) -> dict:
        context: dict = {}
        for section in self._sections:
            context.update(section(request, case, redact=redact))
        return context


case_page_sections = CaseSections()
