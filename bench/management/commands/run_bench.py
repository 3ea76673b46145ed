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
from ...measure import cpu_busy_percent

# The goals of the benchmark (issue #8), checked at the largest scale.
TARGET_RATIO_TO_BASELINE = 3.0  # p95 at 1 client
TARGET_P95_MS_MANY = 150.0  # p95 at the most clients
TARGET_QUERIES = 20
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
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument("--pdf-repeat", type=int, default=10)
        parser.add_argument("--rebuild", action="store_true", help="Build the data again.")
        parser.add_argument(
            "--server-url",
            default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432"),
            help="The PostgreSQL server for the hlt_bench_* databases.",
        )
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench/results.json"))

    def handle(self, *args, **options):
        started = time.monotonic()
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: `apt-get install -y wrk` (make bench does it).")
        self.server_url = options["server_url"].rstrip("/")
        scales = sorted(set(options["scales"]))
        env = self.environment()
        self.say(f"load average before the run: {os.getloadavg()[0]:.2f}")
        self.run(["collectstatic", "--noinput", "-v0"], env)
        results = {
            "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(self.server_url),
            "settings": {
                "scales": scales,
                "clients": sorted(set(options["clients"])),
                "seconds_per_run": options["seconds"],
                "mixed_seconds": options["mixed_seconds"],
                "gunicorn_workers": options["workers"],
                "server": "gunicorn (sync workers), DEBUG off, bench.settings",
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
        name = f"hlt_bench_{scale_tag(scale)}"
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
        source = f"hlt_bench_{scale_tag(scale)}"
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
                    "--workers",
                    str(options["workers"]),
                    "--pdf-repeat",
                    str(options["pdf_repeat"]),
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


def _rows(result: dict) -> list[dict]:
    return [result["baseline"], *result["pages"]]


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
    base_p95 = large["baseline"]["c1"]["p95_ms"]
    measured = [r for r in large["pages"] if r.get("permitted")]
    checks = []

    def check(name, failures, detail=""):
        checks.append({"target": name, "met": not failures, "detail": detail, "missed": failures})

    limit = TARGET_RATIO_TO_BASELINE * base_p95
    check(
        f"p95 at 1 client ≤ {TARGET_RATIO_TO_BASELINE:g}× the baseline",
        [
            f"{_name(r)} {_p95(r, 1)} ms"
            for r in measured
            if _p95(r, 1) is None or _p95(r, 1) > limit
        ],
        f"baseline p95 {base_p95} ms, limit {round(limit, 1)} ms",
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
        f"gunicorn {results['settings']['gunicorn_workers']} sync workers; "
        f"wrk {results['settings']['seconds_per_run']:g} s per run"
    )
    lines.append(
        "SQL: queries per request in-process (empty cache/cached where they differ); ×base: "
        "p95 at 1 client over the baseline's; ×data: p50 at 1 client, largest scale over smallest."
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
        head = f"{'role':<15}{'page':<17}{'status':>7}{'SQL':>6}"
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
            f"{mixed['p95_ms']}/{mixed['p99_ms']} ms, {mixed['errors']} errors"
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
        lines.append(f"gunicorn worker peak RSS: {result['worker_peak_rss_mb']} MB")
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
