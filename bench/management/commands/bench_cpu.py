"""CPU per request of every page, in-process, beside the bare page and the lean floor.

Runs with DJANGO_SETTINGS_MODULE=bench.settings and DEBUG off on a load-data database (it adds
access-log rows and sessions: use a copy, as `make bench` does, or a database you may
rebuild). Django's test client, `time.process_time` per request, the median of --runs requests
going round each person's addresses. The ratios are to the lean floor of the same run.
"""

import cProfile
import json
import logging
import pstats
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams.models import Region

from ... import measure, personas
from ...generator import REGION_MARKER


def cpu_table(people: dict, *, runs: int, pages=None) -> dict:
    """{'bare': …, 'lean_floor': …, 'pages': [...]}: CPU ms per request (median) and queries;
    each page for the first person of each role who may open it, its ratio to the lean floor
    requested in turn with it (`floor_ms`)."""
    first = people["coordinator"][0]
    bare = measure.cpu_per_request(first.client, first.urls["baseline"], runs=runs)
    floor = measure.cpu_per_request(first.client, first.urls["lean_floor"], runs=runs)
    rows = []
    for role in personas.ROLES:
        persona = people[role][0]
        for page in personas.PAGES:
            if (pages and page not in pages) or not persona.urls.get(page):
                continue
            row = {"role": role, "page": page}
            row.update(
                measure.cpu_per_request(
                    persona.client,
                    persona.urls[page],
                    runs=runs,
                    floor=(first.client, first.urls["lean_floor"]),
                )
            )
            if row["statuses"] != [200]:
                continue  # refused (a process leader and a case): not a page of theirs
            rows.append(row)
    bare["x_lean_floor"] = round(bare["cpu_ms"] / floor["cpu_ms"], 2)
    floor["x_lean_floor"] = 1.0
    return {"runs": runs, "bare": bare, "lean_floor": floor, "pages": rows}


def render(table: dict) -> str:
    lines = [f"{'role':<15}{'page':<17}{'SQL':>5}{'CPU ms':>8}{'p90':>7}{'×floor':>8}"]
    rows = [
        {"role": "any", "page": "bare", **table["bare"]},
        {"role": "any", "page": "lean_floor", **table["lean_floor"]},
        *table["pages"],
    ]
    for r in rows:
        lines.append(
            f"{r['role']:<15}{r['page']:<17}{r['queries']:>5g}{r['cpu_ms']:>8.2f}"
            f"{r['cpu_ms_p90']:>7.1f}{r['x_lean_floor']:>8.2f}"
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "CPU per request of every page in-process, with ratios to the lean floor page."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--pages", nargs="*", help="Only these pages (bench names).")
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--profile",
            metavar="ROLE:PAGE",
            help="Instead: cProfile --runs requests of one page, the top functions by own time.",
        )
        parser.add_argument("--sort", default="tottime", help="pstats order for --profile.")
        parser.add_argument("--filter", help="Regular expression: only these functions.")
        parser.add_argument("--sql", metavar="ROLE:PAGE", help="Instead: one page's queries.")
        parser.add_argument(
            "--explain",
            action="store_true",
            help="With --sql: each SELECT's execution time in PostgreSQL (EXPLAIN ANALYZE), "
            "the database's share of the page's CPU.",
        )

    def handle(self, *args, **options):
        if settings.ROOT_URLCONF != "bench.urls" or settings.DEBUG:
            raise CommandError("Run with DJANGO_SETTINGS_MODULE=bench.settings and DEBUG off.")
        if not Region.objects.filter(name__startswith=REGION_MARKER).exists():
            raise CommandError("No load data here: run generate_load_data first.")
        logging.getLogger("django.request").setLevel(logging.ERROR)
        people = personas.choose(1)
        personas.log_in_all(people, real_first=False)
        if options["sql"]:
            role, page = options["sql"].split(":")
            persona = people[role][0]
            url = persona.urls[page][0]
            persona.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                persona.client.get(url)
            total = 0.0
            for query in queries:
                sql = query["sql"]
                if options["explain"] and sql.lstrip("( ").upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                        plan = cursor.fetchone()[0][0]
                    planning, execution = plan["Planning Time"], plan["Execution Time"]
                    total += planning + execution
                    self.stdout.write(f"{planning:>7.2f} +{execution:>7.2f} ms {sql[:300]}")
                else:
                    self.stdout.write(
                        f"{query['time']:>7} {sql if options['verbosity'] > 1 else sql[:400]}"
                    )
            if options["explain"]:
                self.stdout.write(f"{total:>8.2f} ms planning and execution of the SELECTs")
            return
        if options["profile"]:
            role, page = options["profile"].split(":")
            persona = people[role][0]
            urls = persona.urls[page]
            for url in urls:
                persona.client.get(url)
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for i in range(options["runs"]):
                persona.client.get(urls[i % len(urls)])
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats(options["sort"]).print_stats(options["filter"] or ".", 45)
            return
        table = cpu_table(people, runs=options["runs"], pages=options["pages"])
        self.stdout.write(json.dumps(table, indent=2) if options["json"] else render(table))
