from django.conf import settings
from django.core.management.base import BaseCommand

from cases.retention import cases_purge, purgeable_cases


class Command(BaseCommand):
    help = (
        "Retention (gallring): purge personal data of cases closed longer than RETENTION_YEARS "
        "after their last entry. Safe to run daily. --dry-run lists what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument("--years", type=int, default=None, help="Override RETENTION_YEARS.")

    def handle(self, *args, dry_run, years, **options):
        years = settings.RETENTION_YEARS if years is None else years
        if dry_run:
            due = list(purgeable_cases(years=years))
            for case in due:
                self.stdout.write(
                    f"case {case.pk}: closed {case.closed_at:%Y-%m-%d}, "
                    f"last entry {case.last_entry:%Y-%m-%d}"
                )
            self.stdout.write(f"{len(due)} cases would be purged (retention {years} years).")
            return
        result = cases_purge(years=years)
        self.stdout.write(
            f"Purged {result.cases} cases: {result.files} files and "
            f"{result.history_rows} history rows removed (retention {years} years)."
        )
