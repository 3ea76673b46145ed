"""Weekly: e-mail each person who asked for it the tasks of their start page."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workday.digest import inbox_digest_send


class Command(BaseCommand):
    help = "E-mail the weekly task list to everyone who opted in (never naming a child)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="e.g. https://hlt.example.se")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, base_url, today, **options):
        try:
            sent = inbox_digest_send(today=today or timezone.localdate(), base_url=base_url)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{sent} weekly task e-mail(s) sent.")
