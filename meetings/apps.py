from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("HLT meetings")

    def ready(self):
        from cases.signals import case_purging

        from . import retention

        case_purging.connect(retention.case_minutes_purge, dispatch_uid="meetings_case_purge")
