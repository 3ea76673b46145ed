"""Measure one load-data database (run by `run_bench` with DJANGO_SETTINGS_MODULE=bench.settings):
log the personas in, count each page's SQL queries in-process, then serve the app with
gunicorn and measure every page each role may open with wrk, at each client count, and the
mixed workload; finally time the SIP plan PDF. Writes the figures as JSON to --out."""

import json
import logging
import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from teams.models import Region

from ... import measure, openloop, personas
from ...generator import REGION_MARKER, existing_scale
from .bench_cpu import cpu_table
from .bench_cpu import render as render_cpu

MIXED_ROLES = (("coordinator", 5), ("key_person", 8), ("process_leader", 3))
SLOW_MS = 1000


class Command(BaseCommand):
    help = "Measures the pages of one load-data database (used by run_bench)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--clients", type=int, nargs="+", default=[1, 16])
        parser.add_argument("--seconds", type=float, default=8)
        parser.add_argument("--mixed-seconds", type=float, default=15)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn workers (default: gunicorn.conf.py: WEB_CONCURRENCY, 2 per core + 1).",
        )
        parser.add_argument("--pdf-repeat", type=int, default=10)
        parser.add_argument("--skip-pdf", action="store_true")
        parser.add_argument("--cpu-runs", type=int, default=30, help="In-process, per page.")
        parser.add_argument(
            "--quiet-wait",
            type=float,
            default=60,
            help="Before each run, wait up to this long for other work to leave the CPUs.",
        )
        parser.add_argument(
            "--open-seconds", type=float, default=30, help="Each open-loop (load model) run."
        )
        parser.add_argument(
            "--open-multiples",
            type=float,
            nargs="+",
            default=[1, 3],
            help="Open-loop runs at these multiples of the busiest hour's rate.",
        )

    def handle(self, *args, **options):
        if settings.ROOT_URLCONF != "bench.urls" or settings.DEBUG:
            raise CommandError("Run with DJANGO_SETTINGS_MODULE=bench.settings and DEBUG off.")
        if not Region.objects.filter(name__startswith=REGION_MARKER).exists():
            raise CommandError("No load data here: run generate_load_data first.")
        started = time.monotonic()
        self.quiet_wait = options["quiet_wait"]
        counts = self.counts()  # before the benchmark adds its own read-log rows
        clients = sorted(set(options["clients"]))
        people = personas.choose(max(*clients, sum(n for _role, n in MIXED_ROLES)))
        personas.log_in_all(people)
        self.say(f"logged in: {', '.join(f'{len(v)} {k}' for k, v in people.items())}")

        # The refusals (403/404) are expected here: not worth a traceback each.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        pages = self.count_queries(people)
        first = people["coordinator"][0]
        baseline_counts = measure.query_count(first, first.urls["baseline"][0])
        floor_counts = measure.query_count(first, first.urls["lean_floor"][0])
        cpu = cpu_table(people, runs=options["cpu_runs"])
        self.say("CPU per request in-process:\n" + render_cpu(cpu))
        connection.close()

        log_dir = Path(settings.BASE_DIR) / "bench" / "data"
        log_dir.mkdir(exist_ok=True)
        server = measure.Gunicorn(
            workers=options["workers"], env=dict(os.environ), log_path=log_dir / "gunicorn.log"
        )
        seconds = options["seconds"]
        try:
            mixed_people = self.mixed_people(people, pages)
            baseline = {"role": "any", "page": "baseline", **baseline_counts}
            everyone = [(p.cookie, p.urls["baseline"]) for p in people["coordinator"]]
            self.load_test(server, baseline, everyone, clients, seconds)
            floor = {"role": "any", "page": "lean_floor", **floor_counts}
            everyone = [(p.cookie, p.urls["lean_floor"]) for p in people["coordinator"]]
            self.load_test(server, floor, everyone, clients, seconds)
            for row in pages:
                if not row["permitted"]:
                    continue
                everyone = [
                    (p.cookie, p.urls[row["page"]])
                    for p in people[row["role"]]
                    if p.urls.get(row["page"])
                ]
                self.load_test(server, row, everyone, clients, seconds)
            self.warm_up(server, mixed_people)
            busy, waited = measure.wait_quiet(at_most=self.quiet_wait)
            ticks = server.cpu_ticks()
            mixed = measure.run_wrk(
                server.url,
                mixed_people,
                clients=len(mixed_people),
                seconds=options["mixed_seconds"],
            )
            server.wait_idle()
            mixed["roles"] = {role: n for role, n in MIXED_ROLES}
            mixed["worker_cpu_ms_per_request"] = server.cpu_ms_per_request(ticks, mixed["requests"])
            mixed["other_cpu_percent"] = busy
            mixed["waited_for_quiet_s"] = waited
            self.say(f"mixed: {mixed}")
            load_model = self.load_model(server, mixed_people, options)
            worker_rss = server.peak_rss_mb()
        finally:
            server.stop()
        pdf = None
        if not options["skip_pdf"]:
            pdf = measure.run_pdf(dict(os.environ), repeat=options["pdf_repeat"])
            self.say(f"pdf: {pdf}")
        result = {
            "scale": existing_scale(),
            "counts": counts,
            "workers": server.workers,
            "seconds_per_run": seconds,
            "clients": clients,
            "baseline": baseline,
            "lean_floor": floor,
            "pages": pages,
            "cpu": cpu,
            "mixed": mixed,
            "load_model": load_model,
            "worker_peak_rss_mb": worker_rss,
            "pdf": pdf,
            "seconds": round(time.monotonic() - started),
        }
        Path(options["out"]).write_text(json.dumps(result, indent=2))

    def warm_up(self, server, people) -> None:
        """Every worker renders the page a few times first: a long-running worker has its
        templates, translations and database connection ready, a fresh one has not."""
        measure.run_wrk(server.url, people, clients=min(len(people), server.workers), seconds=2)
        server.wait_idle()

    def load_model(self, server, people, options) -> dict:
        """The region's busiest hour as open-loop arrivals (bench/openloop.py), the mixed
        workload's people and pages, at each multiple of the rate."""
        runs = []
        for multiple in options["open_multiples"]:
            busy, waited = measure.wait_quiet(at_most=self.quiet_wait)
            ticks = server.cpu_ticks()
            run = openloop.run_open_loop(
                server.url,
                people,
                rate=openloop.BUSIEST_HOUR_RATE * multiple,
                seconds=options["open_seconds"],
                headers=personas.HEADERS,
            )
            server.wait_idle()
            run["multiple"] = multiple
            run["worker_cpu_ms_per_request"] = server.cpu_ms_per_request(ticks, run["requests"])
            run["other_cpu_percent"] = busy
            run["waited_for_quiet_s"] = waited
            self.say(f"load model ×{multiple:g}: {run}")
            runs.append(run)
        return {
            "assumption": {
                "staff": openloop.REGION_STAFF,
                "active_share_busiest_hour": openloop.ACTIVE_SHARE_BUSIEST_HOUR,
                "pages_per_active_hour": openloop.PAGES_PER_ACTIVE_HOUR,
                "rate_per_second": round(openloop.BUSIEST_HOUR_RATE, 2),
                "arrivals": "Poisson (open loop), latency from the moment each request was due",
            },
            "runs": runs,
        }

    def load_test(self, server, row: dict, everyone, clients: list[int], seconds: float) -> None:
        """The page at each client count, each run on an idle server. A page that takes
        more than a second for one client is not load-tested further: at 16 clients a run
        would need minutes to complete a handful of requests."""
        self.warm_up(server, everyone)
        for n in clients:
            busy, waited = measure.wait_quiet(at_most=self.quiet_wait)
            ticks = server.cpu_ticks()
            run = measure.run_wrk(server.url, everyone, clients=n, seconds=seconds)
            run["other_cpu_percent"] = busy
            run["waited_for_quiet_s"] = waited
            server.wait_idle()  # requests wrk gave up on still run: let them finish
            # The workers' own CPU (user + system) per request: the figure that decides how
            # many requests 2 cores serve, whatever else the machine is doing.
            run["worker_cpu_ms_per_request"] = server.cpu_ms_per_request(ticks, run["requests"])
            row[f"c{n}"] = run
            slow = run["p50_ms"] is None or run["p50_ms"] > SLOW_MS
            if slow and n != clients[-1]:
                row["note"] = f"too slow to load-test (p50 at {n} client(s) above {SLOW_MS} ms)"
                break
        self.say(
            f"{row['role']:<15} {row['page']:<16} "
            + " ".join(
                f"c{n} p50/p95 {row[f'c{n}']['p50_ms']}/{row[f'c{n}']['p95_ms']} ms"
                for n in clients
                if f"c{n}" in row
            )
        )

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def count_queries(self, people) -> list[dict]:
        """Status and SQL queries of every page, in-process: the most over two addresses of
        each of the first three people of the role (a count that depends only on whether a
        list is empty must not look like one that grows with the data)."""
        rows = []
        for role in personas.ROLES:
            first = people[role][0]
            for page in personas.PAGES:
                row = {"role": role, "page": page}
                if page in personas.MISSING_PAGES:
                    row.update(status=None, permitted=False, note=personas.MISSING_PAGES[page])
                    rows.append(row)
                    continue
                if not first.urls.get(page):
                    row.update(status=None, permitted=False, note="no such data for this person")
                    rows.append(row)
                    continue
                results = [
                    measure.query_count(persona, url)
                    for persona in people[role][:3]
                    for url in (persona.urls.get(page) or [])[:2]
                ]
                statuses = {r["status"] for r in results}
                status = results[0]["status"]
                row.update(
                    status=status,
                    permitted=200 <= status < 300 and len(statuses) == 1,
                    queries=max(r["queries"] for r in results),
                    queries_min=min(r["queries"] for r in results),
                    queries_cached=max(r["queries_cached"] for r in results),
                    cold_ms=max(r["cold_ms"] for r in results),
                )
                if status >= 500:
                    row["note"] = f"server error ({status})"
                elif not row["permitted"]:
                    row["note"] = f"not permitted ({status})"
                rows.append(row)
        return rows

    def mixed_people(self, people, pages) -> list[tuple[str, list[str]]]:
        """Each person opens, in turn, every page their role may open (three cases, plans
        and agendas of their own team each round)."""
        allowed = {(r["role"], r["page"]) for r in pages if r["permitted"]}
        result = []
        for role, count in MIXED_ROLES:
            for persona in people[role][:count]:
                paths = []
                for i in range(3):
                    for page in personas.PAGES:
                        urls = persona.urls.get(page) or []
                        if (role, page) in allowed and i < len(urls):
                            paths.append(urls[i])
                result.append((persona.cookie, paths))
        return result

    def counts(self) -> dict[str, int]:
        """Rows of the data set (before the benchmark adds its own read-log rows)."""
        tables = {
            "teams": "teams_team",
            "staff": "teams_user",
            "children": "cases_child",
            "cases": "cases_case",
            "agenda_items": "meetings_agendaitem",
            "sip_plans": "sip_plan",
            "access_log": "audit_accesslogentry",
        }
        history = [
            model._meta.db_table
            for model in apps.get_models()
            if model.__name__.startswith("Historical")
        ]
        with connection.cursor() as cursor:

            def count(table: str) -> int:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (model tables)
                return cursor.fetchone()[0]

            counts = {key: count(table) for key, table in tables.items()}
            counts["history_rows"] = sum(count(table) for table in history)
        return counts
