"""`make bench`: build (or reuse) the load data at each scale, measure the app under gunicorn,
print one table and write the same figures to bench/results.json.

Each scale has a database of its own, `hlt_bench_<scale>` (hlt_bench_1, hlt_bench_01 for
0.1), built once by generate_load_data and then kept. A run works on a fresh copy of it
(`hlt_bench_<scale>_run`, made with CREATE DATABASE … TEMPLATE), so the rows a run adds (the
read log, sessions) never reach the next run. The measuring itself is `bench_measure`, in a
process with DJANGO_SETTINGS_MODULE=bench.settings and that copy as its database.
"""

import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from ...generator import REGION_MARKER, Spec
from ...measure import cpu_busy_percent, server_config

# The goals of the benchmark (issues #8 and #15), checked at the largest scale.
TARGET_CPU_TO_LEAN_FLOOR = 1.5  # CPU per request in-process, every page
TARGET_CPU_STATISTICS_TO_LEAN_FLOOR = 2.0  # the process leader's statistics, figures cached
TARGET_MIXED_SHARE_OF_FLOOR = 0.6  # mixed throughput at the most clients / the lean floor's
TARGET_LOAD_MODEL_P95_MS = 150.0  # open-loop arrivals at the busiest hour's rate and 3×
TARGET_P95_MS_MANY = 150.0  # p95 at the most clients
TARGET_QUERIES = 15
# The machine counts as busy with other work when its 1-minute load average is above this
# share of its cores, or its CPUs are more than BUSY_CPU_PERCENT busy, just before a run.
BUSY_LOAD_PER_CORE = 0.5
BUSY_CPU_PERCENT = 25.0
TARGET_STATISTICS_MS = 300.0  # region statistics, p95 at 1 client
TARGET_PDF_MS = 1500.0  # 3-page SIP plan, p95
TARGET_SCALING = 1.5  # p95 at 1 client, largest / smallest scale: more means it grows
BENCH_SECRET_KEY = "bench-only-never-in-production-" + "x" * 20  # noqa: S105


def scale_tag(scale: float) -> str:
    return f"{scale:g}".replace(".", "")


def drop_database(name: str) -> sql.Composed:
    if not name.startswith("hlt_bench_"):
        raise CommandError(f"The benchmark drops only its own databases, not {name}.")
    return sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))


class Command(BaseCommand):
    help = "Builds or reuses the load data (scales 0.1 and 1) and benchmarks the app."

    def add_arguments(self, parser):
        parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
        parser.add_argument("--clients", type=int, nargs="+", default=[1, 16])
        parser.add_argument("--seconds", type=float, default=8, help="Per page and client count.")
        parser.add_argument("--mixed-seconds", type=float, default=15)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn workers (default: gunicorn.conf.py: WEB_CONCURRENCY, 2 per core + 1).",
        )
        parser.add_argument("--pdf-repeat", type=int, default=10)
        parser.add_argument("--rebuild", action="store_true", help="Build the data again.")
        parser.add_argument(
            "--server-url",
            default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432"),
            help="The PostgreSQL server for the hlt_bench_* databases.",
        )
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench/results.json"))
        parser.add_argument(
            "--database-prefix",
            default="hlt_bench_",
            help="The load-data databases are <prefix><scale> (hlt_bench_1, hlt_bench_01).",
        )
        parser.add_argument(
            "--wait-quiet",
            type=float,
            default=120,
            help="Seconds to wait at the start for other work on the machine to end.",
        )
        parser.add_argument(
            "--refuse-busy",
            action="store_true",
            help="Write no figures if the machine is busy with other work at the start "
            "(by default they are written and marked as taken on a busy machine).",
        )
        parser.add_argument(
            "--port-range",
            default=os.environ.get("BENCH_PORT_RANGE", ""),
            help="gunicorn listens on the first free port of FIRST-LAST on 127.0.0.1 (e.g. "
            "8600-8699 on a machine shared with others; env BENCH_PORT_RANGE); default: any.",
        )
        parser.add_argument("--open-seconds", type=float, default=30)
        parser.add_argument("--cpu-runs", type=int, default=30, help="In-process, per page.")
        parser.add_argument(
            "--quiet-wait",
            type=float,
            default=60,
            help="Before each wrk run, wait up to this long for other work to leave the CPUs.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: `apt-get install -y wrk` (make bench does it).")
        self.server_url = options["server_url"].rstrip("/")
        if not options["database_prefix"].startswith("hlt_bench_"):
            raise CommandError("The load-data databases are named hlt_bench_…")
        self.prefix = options["database_prefix"]
        scales = sorted(set(options["scales"]))
        env = self.environment()
        if options["port_range"]:
            env["BENCH_PORT_RANGE"] = options["port_range"]
        quiet = machine_quiet(wait=options["wait_quiet"])
        self.say(
            f"load average before the run: {quiet['load_average']} (1, 5, 15 min), CPU busy "
            f"{quiet['cpu_busy_percent']}%: {'quiet' if not quiet['busy'] else 'BUSY'}"
        )
        if quiet["busy"] and options["refuse_busy"]:
            raise CommandError(
                "The machine is busy with other work (load average "
                f"{quiet['load_average'][0]} on {os.cpu_count()} cores): no figures written."
            )
        self.run(["collectstatic", "--noinput", "-v0"], env)
        server = server_config()
        results = {
            "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(self.server_url),
            "quiet_at_start": quiet,
            # Figures taken while other work used the CPUs: slower than the app is, and the
            # README says so wherever they appear.
            "noisy": quiet["busy"],
            "settings": {
                "scales": scales,
                "clients": sorted(set(options["clients"])),
                "seconds_per_run": options["seconds"],
                "mixed_seconds": options["mixed_seconds"],
                "open_loop_seconds": options["open_seconds"],
                "cpu_runs_per_page": options["cpu_runs"],
                "gunicorn_workers": options["workers"] or server["workers"],
                "gunicorn": server,
                "server": f"gunicorn ({server['worker_class']} workers, gunicorn.conf.py), "
                "DEBUG off, bench.settings",
            },
            "build": {},
            "scales": {},
        }
        for scale in scales:
            tag = scale_tag(scale)
            results["build"][tag] = self.prepare(scale, env, rebuild=options["rebuild"])
            # The scaling curve needs one client; the load tests run at the largest scale.
            clients = options["clients"] if scale == scales[-1] else [min(options["clients"])]
            busy_before = cpu_busy_percent(1.0)
            results["scales"][tag] = self.measure(scale, env, {**options, "clients": clients})
            # Nothing of the benchmark runs at these moments: anything busy is someone else's.
            results["scales"][tag]["other_cpu_percent"] = [busy_before, cpu_busy_percent(1.0)]
        for result in results["scales"].values():
            if any(b > BUSY_CPU_PERCENT for b in result["other_cpu_percent"]):
                results["noisy"] = True
        results["runs_started_busy"] = runs_started_busy(results)
        if results["runs_started_busy"]:
            results["noisy"] = True
        results["scaling"] = scaling(results["scales"], scales)
        results["targets"] = targets(results, scales)
        results["total_seconds"] = round(time.monotonic() - started)
        out = Path(options["out"])
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(render_table(results))
        self.say(f"Written to {out} in {results['total_seconds']} s.")

    # --- processes and databases -------------------------------------------------------------

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def environment(self) -> dict:
        env = dict(os.environ)
        env.update(
            # The load generator and the measuring commands exist only under bench settings.
            DJANGO_SETTINGS_MODULE="bench.settings",
            DEBUG="0",
            SECRET_KEY=BENCH_SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            LOG_LEVEL="WARNING",
            REQUIRE_SECOND_FACTOR="1",
            MEDIA_ROOT=str(Path(settings.BASE_DIR) / "bench/data/media"),
            PYTHONUNBUFFERED="1",
        )
        env.pop("DATABASE_POOL", None)
        return env

    def run(self, args: list[str], env: dict, *, prefix: str = "") -> None:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in process.stdout:
            self.say(f"{prefix}{line.rstrip()}")
        if process.wait() != 0:
            raise CommandError(f"manage.py {' '.join(args)} failed")

    def database_url(self, name: str) -> str:
        return f"{self.server_url}/{name}"

    def admin(self):
        return psycopg.connect(self.database_url("postgres"), autocommit=True)

    def holds(self, name: str, scale: float) -> bool:
        """Whether database `name` holds the load data of this scale and generator version."""
        try:
            with psycopg.connect(self.database_url(name)) as conn:
                row = conn.execute(
                    "SELECT name FROM teams_region WHERE name LIKE %s", [REGION_MARKER + "%"]
                ).fetchone()
        except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
            return False
        return bool(row) and row[0] == Spec.for_scale(scale).region_name

    def prepare(self, scale: float, env: dict, *, rebuild: bool) -> dict:
        """The data database of this scale: reused when it holds this scale, else built."""
        name = f"{self.prefix}{scale_tag(scale)}"
        env = {**env, "DATABASE_URL": self.database_url(name)}
        if not rebuild and self.holds(name, scale):
            self.say(f"[{name}] load data at scale {scale:g} is there: reused")
            self.run(["migrate", "--noinput", "-v0"], env)  # new indexes reach old data too
            return {"database": name, "reused": True}
        self.say(f"[{name}] building the load data at scale {scale:g}")
        with self.admin() as conn:
            conn.execute(drop_database(name))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        started = time.monotonic()
        self.run(["migrate", "--noinput", "-v0"], env)
        migrated = time.monotonic()
        self.run(
            ["generate_load_data", "--scale", f"{scale:g}", "--skip-fk-checks"],
            env,
            prefix=f"[{name}] ",
        )
        done = time.monotonic()
        return {
            "database": name,
            "reused": False,
            "migrate_seconds": round(migrated - started, 1),
            "generate_seconds": round(done - migrated, 1),
        }

    def measure(self, scale: float, env: dict, options: dict) -> dict:
        source = f"{self.prefix}{scale_tag(scale)}"
        name = f"{source}_run"
        with self.admin() as conn:
            version = conn.info.server_version
            strategy = sql.SQL(" STRATEGY FILE_COPY") if version >= 150000 else sql.SQL("")
            conn.execute(drop_database(name))
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(source)
                )
                + strategy
            )
        env = {
            **env,
            "DATABASE_URL": self.database_url(name),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = handle.name
        try:
            self.run(
                [
                    "bench_measure",
                    "--out",
                    out,
                    "--clients",
                    *[str(n) for n in options["clients"]],
                    "--seconds",
                    str(options["seconds"]),
                    "--mixed-seconds",
                    str(options["mixed_seconds"]),
                    "--pdf-repeat",
                    str(options["pdf_repeat"]),
                    "--open-seconds",
                    str(options["open_seconds"]),
                    "--cpu-runs",
                    str(options["cpu_runs"]),
                    "--quiet-wait",
                    str(options["quiet_wait"]),
                    *(["--workers", str(options["workers"])] if options["workers"] else []),
                ],
                env,
                prefix=f"[scale {scale:g}] ",
            )
            result = json.loads(Path(out).read_text())
        finally:
            os.unlink(out)
            with self.admin() as conn:
                conn.execute(drop_database(name))
        result["spec"] = Spec.for_scale(scale).__dict__
        return result


# --- figures ---------------------------------------------------------------------------------


def machine(server_url: str) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    try:
        version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        wrk_version = version.stdout.split()[1]
    except (OSError, IndexError):
        wrk_version = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": importlib.metadata.version("django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "wrk": wrk_version,
        "postgresql_host": urllib.parse.urlsplit(server_url).hostname,
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }


def machine_quiet(*, wait: float) -> dict:
    """Whether other work keeps the machine busy, waiting up to `wait` seconds for it to
    end: the 1/5/15-minute load average and the CPUs' busy share at the start."""
    started = time.monotonic()
    cores = os.cpu_count() or 1
    while True:
        load = [round(x, 2) for x in os.getloadavg()]
        busy_percent = cpu_busy_percent(1.0)
        busy = load[0] > BUSY_LOAD_PER_CORE * cores or busy_percent > BUSY_CPU_PERCENT
        if not busy or time.monotonic() - started >= wait:
            break
        time.sleep(5)
    return {
        "load_average": load,
        "cpu_busy_percent": busy_percent,
        "cores": cores,
        "busy": busy,
        "waited_s": round(time.monotonic() - started),
        "rule": f"busy if the 1-minute load average > {BUSY_LOAD_PER_CORE:g} × cores or "
        f"CPUs > {BUSY_CPU_PERCENT:g}% busy",
    }


def runs_started_busy(results: dict) -> list[str]:
    """The timed runs that started while other work kept the CPUs more than BUSY_CPU_PERCENT
    busy (after waiting up to --quiet-wait for it to end): their latencies are not the app's."""
    busy = []
    for result in results["scales"].values():
        runs = [
            (f"{_name(row)} c{n}", row[f"c{n}"])
            for row in _rows(result)
            for n in result["clients"]
            if f"c{n}" in row
        ]
        runs.append(("mixed", result.get("mixed") or {}))
        runs += [
            (f"load model ×{run['multiple']:g}", run)
            for run in (result.get("load_model") or {}).get("runs", [])
        ]
        busy += [
            f"scale {result['scale']:g} {name} ({run['other_cpu_percent']}%)"
            for name, run in runs
            if (run.get("other_cpu_percent") or 0) > BUSY_CPU_PERCENT
        ]
    return busy


def _rows(result: dict) -> list[dict]:
    floor = [result["lean_floor"]] if "lean_floor" in result else []
    return [result["baseline"], *floor, *result["pages"]]


def _key(row: dict) -> tuple[str, str]:
    return row["role"], row["page"]


def _ratio(a, b):
    return round(a / max(b, 0.1), 2) if a is not None and b is not None else None


def scaling(by_scale: dict, scales: list[float]) -> list[dict]:
    """p50/p95 at 1 client and queries, largest scale against smallest, page by page."""
    if len(scales) < 2:
        return []
    small, large = by_scale[scale_tag(scales[0])], by_scale[scale_tag(scales[-1])]
    small_rows = {_key(r): r for r in _rows(small)}
    result = []
    for row in _rows(large):
        other = small_rows.get(_key(row))
        if not other or "c1" not in row or "c1" not in other:
            continue
        result.append(
            {
                "role": row["role"],
                "page": row["page"],
                "p50_ratio": _ratio(row["c1"]["p50_ms"], other["c1"]["p50_ms"]),
                "p95_ratio": _ratio(row["c1"]["p95_ms"], other["c1"]["p95_ms"]),
                "queries_small": other.get("queries"),
                "queries_large": row.get("queries"),
            }
        )
    return result


def _p95(row: dict, clients: int) -> float | None:
    run = row.get(f"c{clients}")
    return run["p95_ms"] if run else None


def _name(row: dict) -> str:
    return f"{row['role']}/{row['page']}"


def targets(results: dict, scales: list[float]) -> list[dict]:
    """Each goal of the benchmark at the largest scale: met, or what missed it."""
    large = results["scales"][scale_tag(scales[-1])]
    many = max(results["settings"]["clients"])
    measured = [r for r in large["pages"] if r.get("permitted")]
    checks = []

    def check(name, failures, detail=""):
        checks.append({"target": name, "met": not failures, "detail": detail, "missed": failures})

    cpu = large.get("cpu")
    if cpu:
        floor_ms = cpu["lean_floor"]["cpu_ms"]

        def cpu_limit(row):
            statistics_page = row["role"] == "process_leader" and row["page"] == "term_statistics"
            share = (
                TARGET_CPU_STATISTICS_TO_LEAN_FLOOR if statistics_page else TARGET_CPU_TO_LEAN_FLOOR
            )
            # The floor requested in turn with the page (bench_cpu), else the run's one figure.
            return share * row.get("floor_ms", floor_ms)

        check(
            f"CPU per request ≤ {TARGET_CPU_TO_LEAN_FLOOR:g}× the lean floor's (statistics, "
            f"cached, ≤ {TARGET_CPU_STATISTICS_TO_LEAN_FLOOR:g}×)",
            [
                f"{_name(r)} {r['cpu_ms']} ms (×{r['x_lean_floor']})"
                for r in cpu["pages"]
                if r["cpu_ms"] > cpu_limit(r)
            ],
            f"in-process, median of {cpu['runs']}; lean floor {floor_ms} ms, bare page "
            f"{cpu['bare']['cpu_ms']} ms",
        )
    floor_many = (large.get("lean_floor") or {}).get(f"c{many}")
    if floor_many:
        share = round(large["mixed"]["rps"] / max(floor_many["rps"], 0.1), 2)
        check(
            f"mixed throughput at {many} clients ≥ {TARGET_MIXED_SHARE_OF_FLOOR:.0%} of the "
            "lean floor's",
            [] if share >= TARGET_MIXED_SHARE_OF_FLOOR else [f"{share:.0%}"],
            f"{large['mixed']['rps']} against {floor_many['rps']} requests/s",
        )
    for run in (large.get("load_model") or {}).get("runs", []):
        check(
            f"load model ×{run['multiple']:g} ({run['rate_target']} requests/s, open loop): "
            f"p95 ≤ {TARGET_LOAD_MODEL_P95_MS:g} ms, no errors",
            [f"p95 {run['p95_ms']} ms"]
            * (run["p95_ms"] is None or run["p95_ms"] > TARGET_LOAD_MODEL_P95_MS)
            + [f"{run['errors']} errors"] * bool(run["errors"]),
            f"{run['rate_achieved']} requests/s achieved, p50 {run['p50_ms']} ms",
        )
    check(
        f"p95 at {many} clients ≤ {TARGET_P95_MS_MANY:g} ms",
        [
            f"{_name(r)} {_p95(r, many) if _p95(r, many) is not None else 'not run (too slow)'}"
            + (" ms" if _p95(r, many) is not None else "")
            for r in measured
            if _p95(r, many) is None or _p95(r, many) > TARGET_P95_MS_MANY
        ],
    )
    check(
        "every page answers (no server error)",
        [f"{_name(r)} {r['status']}" for r in large["pages"] if (r.get("status") or 0) >= 500],
    )
    check(
        f"no page above {TARGET_QUERIES} queries",
        [f"{_name(r)} {r['queries']}" for r in measured if r["queries"] > TARGET_QUERIES],
    )
    check(
        "no query count grows with the data (largest against smallest scale)",
        [
            f"{s['role']}/{s['page']} {s['queries_small']} → {s['queries_large']}"
            for s in results["scaling"]
            if s["queries_small"] is not None and s["queries_large"] > s["queries_small"]
        ],
    )
    statistics = next(
        (r for r in measured if r["role"] == "process_leader" and r["page"] == "term_statistics"),
        None,
    )
    stat_p95 = _p95(statistics, 1) if statistics else None
    check(
        f"region statistics ≤ {TARGET_STATISTICS_MS:g} ms (p95, 1 client)",
        [] if stat_p95 is not None and stat_p95 <= TARGET_STATISTICS_MS else [f"{stat_p95} ms"],
        "figures from the statistics cache, as most requests get them",
    )
    cold = statistics.get("cold_ms") if statistics else None
    check(
        f"region statistics ≤ {TARGET_STATISTICS_MS:g} ms with an empty cache",
        [] if cold is not None and cold <= TARGET_STATISTICS_MS else [f"{cold} ms"],
        "the first request after the cache expires, in-process",
    )
    pdf = (large.get("pdf") or {}).get("plans", {}).get("three_pages")
    check(
        f"3-page SIP PDF ≤ {TARGET_PDF_MS:g} ms (p95)",
        [] if pdf and pdf["p95_ms"] <= TARGET_PDF_MS else [f"{pdf['p95_ms'] if pdf else '–'} ms"],
    )
    mixed = large["mixed"]
    check(
        "mixed workload without errors",
        [f"{mixed['errors']} errors"] * bool(mixed["errors"])
        + ["no request completed"] * (not mixed["requests"]),
        f"{mixed['rps']} requests/s",
    )
    if results["scaling"]:
        check(
            f"no page slower with 10× the data (p50 at 1 client, ratio ≤ {TARGET_SCALING:g})",
            [
                f"{s['role']}/{s['page']} ×{s['p50_ratio']}"
                for s in results["scaling"]
                if s["p50_ratio"] is None or s["p50_ratio"] > TARGET_SCALING
            ],
        )
    return checks


def _latency(run: dict | None) -> str:
    if not run:
        return f"{'–':>20}"
    if run["p50_ms"] is None:
        return f"{'no reply in ' + str(run['seconds']) + ' s':>20}"
    return f"{run['p50_ms']:>6.1f}{run['p95_ms']:>7.1f}{run['p99_ms']:>7.1f}"


def render_table(results: dict) -> str:
    lines = []
    machine_info = results["machine"]
    lines.append("")
    lines.append(
        f"Machine: {machine_info['cpu']}, {machine_info['cores']} cores, "
        f"{machine_info['memory_gb']} GB; PostgreSQL on {machine_info['postgresql_host']}; "
        f"gunicorn {results['settings']['gunicorn_workers']} "
        f"{results['settings'].get('gunicorn', {}).get('worker_class', 'sync')} workers; "
        f"wrk {results['settings']['seconds_per_run']:g} s per run"
    )
    quiet = results.get("quiet_at_start")
    if quiet:
        lines.append(
            f"Load average at the start {quiet['load_average']} (1, 5, 15 min), CPUs "
            f"{quiet['cpu_busy_percent']}% busy with other work"
            + (
                ": NOISY FIGURES, taken while other work used the machine"
                if results.get("noisy")
                else ""
            )
        )
    busy_runs = results.get("runs_started_busy") or []
    if busy_runs:
        lines.append(
            f"{len(busy_runs)} timed run(s) started while other work used the CPUs: "
            + "; ".join(busy_runs[:6])
            + ("; …" if len(busy_runs) > 6 else "")
        )
    lines.append(
        "SQL: queries per request in-process (empty cache/cached where they differ); CPU: ms "
        "per request in-process (median), ×floor: over the lean floor's; ×base: p95 at 1 "
        "client over the baseline's; ×data: p50 at 1 client, largest scale over smallest."
    )
    scaling_by_key = {(s["role"], s["page"]): s for s in results.get("scaling", [])}
    for tag, result in results["scales"].items():
        clients = result["clients"]
        counts = result["counts"]
        build = results["build"][tag]
        built = (
            "reused"
            if build.get("reused")
            else f"built in {build['migrate_seconds'] + build['generate_seconds']:.0f} s"
        )
        lines.append("")
        lines.append(
            f"Scale {result['scale']:g} ({built}): {counts['teams']} teams, {counts['staff']} "
            f"staff, {counts['children']} children, {counts['cases']} cases, "
            f"{counts['agenda_items']} agenda items, {counts['sip_plans']} SIP plans, "
            f"{counts['history_rows']} history rows, {counts['access_log']} read-log rows"
        )
        cpu_rows = {}
        if result.get("cpu"):
            cpu = result["cpu"]
            cpu_rows = {("any", "baseline"): cpu["bare"], ("any", "lean_floor"): cpu["lean_floor"]}
            cpu_rows.update({_key(r): r for r in cpu["pages"]})
        head = f"{'role':<15}{'page':<17}{'status':>7}{'SQL':>6}{'CPU':>7}{'×floor':>7}"
        for n in clients:
            head += f"   {f'{n} client(s) p50/p95/p99 ms':>20}"
            if n == clients[0]:
                head += f"{'×base':>7}"
            head += f"{'req/s':>7}"
        head += f"{'×data':>7}"
        lines.append(head)
        base_p95 = result["baseline"]["c1"]["p95_ms"]
        for row in _rows(result):
            status = row.get("status")
            line = f"{row['role']:<15}{row['page']:<17}{status if status else '–':>7}"
            queries = row.get("queries", "–") if row.get("permitted", True) else "–"
            if row.get("permitted", True) and row.get("queries_cached") not in (None, queries):
                queries = f"{queries}/{row['queries_cached']}"
            line += f"{queries:>6}"
            cpu_row = cpu_rows.get(_key(row))
            line += (
                f"{cpu_row['cpu_ms']:>7.1f}{cpu_row['x_lean_floor']:>7.2f}"
                if cpu_row
                else f"{'–':>7}{'–':>7}"
            )
            if row.get("permitted", True) and "c1" in row:
                for n in clients:
                    run = row.get(f"c{n}")
                    line += f"   {_latency(run)}"
                    if n == clients[0]:
                        ratio = _ratio(run["p95_ms"], base_p95) if run else None
                        line += f"{ratio if ratio is not None else '–':>7}"
                    line += f"{run['rps'] if run else '–':>7}"
                scale_row = scaling_by_key.get(_key(row))
                ratio = scale_row["p50_ratio"] if scale_row else None
                line += f"{'×' + str(ratio) if ratio is not None else '':>7}"
                notes = [row["note"]] if row.get("note") else []
                busy = [
                    f"{run['other_cpu_percent']}%"
                    for n in clients
                    if (run := row.get(f"c{n}")) and run.get("other_cpu_percent", 0) > 25
                ]
                if busy:
                    notes.append(f"other work on the machine: {', '.join(busy)} CPU")
                if row.get("queries_cached") not in (None, row.get("queries")):
                    notes.append(f"empty cache: {row['cold_ms']} ms in-process")
                if notes:
                    line += f"  ({'; '.join(notes)})"
            else:
                line += "   " + (row.get("note") or "")
            lines.append(line)
        mixed = result["mixed"]
        lines.append(
            f"Mixed workload ({mixed['clients']} clients: "
            + ", ".join(f"{n} {role}" for role, n in mixed["roles"].items())
            + f"): {mixed['rps']} requests/s, p50/p95/p99 {mixed['p50_ms']}/"
            f"{mixed['p95_ms']}/{mixed['p99_ms']} ms, {mixed['errors']} errors, worker CPU "
            f"{mixed.get('worker_cpu_ms_per_request', '–')} ms per request"
        )
        for run in (result.get("load_model") or {}).get("runs", []):
            lines.append(
                f"Load model ×{run['multiple']:g} (open loop, {run['rate_target']} requests/s "
                f"due, {run['rate_achieved']} served): p50/p95/p99 {run['p50_ms']}/"
                f"{run['p95_ms']}/{run['p99_ms']} ms, {run['errors']} errors"
                + (f" ({run['dropped']} dropped)" if run.get("dropped") else "")
                + ", worker CPU "
                f"{run['worker_cpu_ms_per_request']} ms per request"
            )
        pdf = result.get("pdf")
        if pdf:
            parts = [
                f"{key.replace('_', ' ')} ({plan['pages']} p.) p50 {plan['p50_ms']} ms, "
                f"p95 {plan['p95_ms']} ms"
                for key, plan in pdf["plans"].items()
            ]
            lines.append(
                f"SIP plan PDF: {'; '.join(parts)}; PDF process peak RSS {pdf['peak_rss_mb']} MB"
            )
        lines.append(
            f"gunicorn worker peak RSS: {result['worker_peak_rss_mb']} MB; this scale measured "
            f"in {result.get('seconds', '–')} s"
        )
        before, after = result["other_cpu_percent"]
        lines.append(f"CPU busy with other work just before/after this scale: {before}%/{after}%")
    lines.append("")
    lines.append("Targets:")
    for check in results["targets"]:
        mark = "met   " if check["met"] else "MISSED"
        missed = "; ".join(check["missed"])
        detail = f" ({check['detail']})" if check["detail"] else ""
        lines.append(f"  {mark} {check['target']}{detail}{': ' + missed if missed else ''}")
    return "\n".join(lines) + "\n"
