"""Nightly: recompute every team's term figures (reports.store.refresh_all)."""

from django.core.management.base import BaseCommand

from reports.store import refresh_all


class Command(BaseCommand):
    help = "Recompute every team's statistics for the current and the previous term."

    def handle(self, *args, **options):
        rows = refresh_all()
        self.stdout.write(f"{rows} team figures recomputed.")
