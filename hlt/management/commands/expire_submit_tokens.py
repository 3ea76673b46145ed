import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from hlt.models import SubmitToken


class Command(BaseCommand):
    help = "Remove one-time form tokens older than a week (hlt.idempotency)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=7)
        count, _ = SubmitToken.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"{count} form tokens removed.")
