"""Weekly: e-mail each coordinator and overall responsible person what is overdue in SIP."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sip.digest import digest_send


class Command(BaseCommand):
    help = "E-mail the weekly SIP digest (overdue feedback, follow-ups, interventions, plans)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="e.g. https://hlt.example.se")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, base_url, today, **options):
        try:
            sent = digest_send(today=today or timezone.localdate(), base_url=base_url)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
