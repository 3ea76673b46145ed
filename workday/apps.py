from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdayConfig(AppConfig):
    name = "workday"
    verbose_name = _("The working day")

    def ready(self):
        from cases.sections import case_page_sections
        from teams.start import start_sections

        from . import signals  # noqa: F401  (records each login for "new since your last visit")
        from .chronology import chronology_section
        from .views import inbox_section

        start_sections.register(inbox_section)
        case_page_sections.register(chronology_section)
