"""`python manage.py generate_load_data --scale N`: a synthetic region for load tests.

Scale 1 is a region like Västerbotten with five years of history (bench/generator.py). The
command writes only into a database that holds no HLT structure yet, and once there it
refuses to add a second region: running it again at the same scale does nothing, at another
scale it stops and says so. Use a database of its own (`make bench` uses hlt_bench_*).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from teams.models import Region

from ... import generator


class Command(BaseCommand):
    help = "Writes a synthetic HLT region (scale 1: 200 teams, 62,000 cases over 5 years)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = a region like Västerbotten."
        )
        parser.add_argument(
            "--skip-fk-checks",
            action="store_true",
            help="Faster: no foreign-key checks while writing (PostgreSQL superuser only).",
        )

    def handle(self, *args, scale: float, skip_fk_checks: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The load data is written with PostgreSQL COPY: use PostgreSQL.")
        if scale <= 0 or scale > 20:
            raise CommandError("Give a scale above 0 and at most 20.")
        present = generator.existing_scale()
        if present is not None:
            if present == scale:
                self.stdout.write(f"Load data at scale {scale:g} is already here; nothing to do.")
                return
            raise CommandError(
                f"This database already holds load data at scale {present:g}. "
                "Use a fresh database for another scale."
            )
        if Region.objects.exists():
            raise CommandError(
                "This database already holds regions that are not load data. "
                "The load data goes only into a database of its own."
            )
        spec = generator.Spec.for_scale(scale)
        self.stdout.write(
            f"Scale {scale:g}: {spec.municipalities} municipalities, {spec.teams} teams, "
            f"about {spec.staff} staff, {spec.children} children, {spec.cases} cases "
            f"({spec.cases_with_consent} with consent)."
        )
        started = time.monotonic()
        counts = generator.generate(scale, log=self.stdout.write, unchecked=skip_fk_checks)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.0f} s: {sum(counts.values())} rows."
            )
        )
        if options["verbosity"] > 1:
            for table, count in sorted(counts.items(), key=lambda item: -item[1]):
                self.stdout.write(f"  {table:<45} {count:>10}")
