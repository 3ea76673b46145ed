"""The README's Performance table from bench/results.json (`manage.py bench_markdown`)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def _ms(value) -> str:
    return "–" if value is None else f"{value:g}"


def render_markdown(results: dict) -> str:
    tag = list(results["scales"])[-1]
    scale = results["scales"][tag]
    cpu = scale.get("cpu") or {}
    cpu_rows = {("any", "baseline"): cpu.get("bare"), ("any", "lean_floor"): cpu.get("lean_floor")}
    cpu_rows.update({(r["role"], r["page"]): r for r in cpu.get("pages", [])})
    floor = scale.get("lean_floor")
    rows = [scale["baseline"], *([floor] if floor else []), *scale["pages"]]
    many = max(results["settings"]["clients"])
    lines = [
        f"| page (scale {scale['scale']:g}) | queries | CPU ms in-process | × lean floor | "
        f"worker CPU ms, 1 client | p50 / p95, 1 client (ms) | p95, {many} clients (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if not row.get("permitted", True) or "c1" not in row:
            continue
        c = cpu_rows.get((row["role"], row["page"])) or {}
        one, lots = row.get("c1") or {}, row.get(f"c{many}") or {}
        name = "bare page (layout only)" if row["page"] == "baseline" else row["page"]
        name = "**lean floor** (layout + 50-row table, 1 query)" if name == "lean_floor" else name
        who = "" if row["role"] == "any" else row["role"].replace("_", " ") + ": "
        lines.append(
            f"| {who}{name.replace('_', ' ')} | {row.get('queries', '–')} | "
            f"{_ms(c.get('cpu_ms'))} | {_ms(c.get('x_lean_floor'))} | "
            f"{_ms(one.get('worker_cpu_ms_per_request'))} | "
            f"{_ms(one.get('p50_ms'))} / {_ms(one.get('p95_ms'))} | {_ms(lots.get('p95_ms'))} |"
        )
    return "\n".join([*header(results), "", *lines, "", *workloads(results, scale), ""])


def header(results: dict) -> list[str]:
    """Where and when the figures were taken, and whether the machine was quiet."""
    machine = results["machine"]
    quiet = results.get("quiet_at_start") or {}
    server = results["settings"].get("server", "gunicorn")
    lines = [
        f"Taken {results['generated_at']} on {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['memory_gb']} GB, PostgreSQL on {machine['postgresql_host']}; "
        f"{server}, {results['settings']['gunicorn_workers']} workers; `make bench` took "
        f"{round(results.get('total_seconds', 0) / 60)} min. Load average at the start "
        f"{' / '.join(str(x) for x in quiet.get('load_average', []))}."
    ]
    if results.get("noisy"):
        busy = results.get("runs_started_busy") or []
        lines.append(
            "**Noisy figures**: other work used the machine"
            + (f" ({len(busy)} timed runs started with its CPUs busy)" if busy else "")
            + "; the latencies measure the queue for the CPUs as much as the app."
        )
    return lines


def workloads(results: dict, scale: dict) -> list[str]:
    """The mixed workload beside the lean floor at the most clients, the region load model and
    the SIP plan PDF: the figures the throughput and tail-latency targets are about."""
    many = max(results["settings"]["clients"])
    lines = [
        f"| workload (scale {scale['scale']:g}) | requests/s | p50 / p95 / p99 (ms) | errors | "
        "worker CPU ms per request |",
        "|---|---|---|---|---|",
    ]

    def row(name, run, rps=None):
        if not run:
            return
        lines.append(
            f"| {name} | {_ms(rps if rps is not None else run.get('rps'))} | "
            f"{_ms(run.get('p50_ms'))} / {_ms(run.get('p95_ms'))} / {_ms(run.get('p99_ms'))} | "
            f"{run.get('errors', '–')} | {_ms(run.get('worker_cpu_ms_per_request'))} |"
        )

    floor = (scale.get("lean_floor") or {}).get(f"c{many}")
    row(f"lean floor, {many} clients (closed loop)", floor)
    mixed = scale.get("mixed")
    if mixed:
        share = f", {mixed['rps'] / floor['rps']:.0%} of the lean floor's" if floor else ""
        roles = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in mixed["roles"].items())
        row(f"**mixed**, {mixed['clients']} clients ({roles}; closed loop{share})", mixed)
    for run in (scale.get("load_model") or {}).get("runs", []):
        dropped = f", {run['dropped']} dropped" if run.get("dropped") else ""
        row(
            f"**load model ×{run['multiple']:g}**: {run['rate_target']:g} requests/s due "
            f"(open loop{dropped})",
            run,
            rps=run["rate_achieved"],
        )
    for key, plan in ((scale.get("pdf") or {}).get("plans") or {}).items():
        lines.append(
            f"| SIP plan PDF, {key.replace('_', ' ')} ({plan['pages']} pages) | – | "
            f"{_ms(plan['p50_ms'])} / {_ms(plan['p95_ms'])} / – | – | – |"
        )
    met = [t for t in results.get("targets", []) if t["met"]]
    missed = [t for t in results.get("targets", []) if not t["met"]]
    if met or missed:
        lines.append("")
        lines.append(f"Targets met ({len(met)}): " + "; ".join(t["target"] for t in met) + ".")
        lines.append(
            f"Missed ({len(missed)}): "
            + "; ".join(f"{t['target']}: {'; '.join(t['missed'])}" for t in missed)
            + "."
        )
    return lines


class Command(BaseCommand):
    help = "Prints the README's Performance table from bench/results.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(Path(settings.BASE_DIR) / "bench/results.json")
        )

    def handle(self, *args, **options):
        self.stdout.write(render_markdown(json.loads(Path(options["path"]).read_text())))
