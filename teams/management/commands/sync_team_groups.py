from django.core.management.base import BaseCommand

from teams.services import team_groups_sync


class Command(BaseCommand):
    help = "Daily: make key-person seats with future start or end dates take effect."

    def handle(self, *args, **options):
        changed = team_groups_sync()
        self.stdout.write(f"{changed} team memberships changed.")
