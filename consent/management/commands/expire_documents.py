from django.core.management.base import BaseCommand

from consent.jobs import documents_expire


class Command(BaseCommand):
    help = "Remove printed documents (PDF jobs) older than DOCUMENT_KEEP_HOURS. Run hourly."

    def handle(self, *args, **options):
        removed = documents_expire()
        self.stdout.write(f"{removed} printed documents removed.")
