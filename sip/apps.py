from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SipConfig(AppConfig):
    name = "sip"
    verbose_name = _("SIP plans")

    def ready(self):
        from cases.signals import case_purging
        from consent import jobs

        from . import documents, retention

        jobs.register("sip_plan", documents.render_plan_job)
        case_purging.connect(retention.case_sip_purge, dispatch_uid="sip_case_purge")
