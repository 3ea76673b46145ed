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
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Prints the README's Performance table from bench/results.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(Path(settings.BASE_DIR) / "bench/results.json")
        )

    def handle(self, *args, **options):
        self.stdout.write(render_markdown(json.loads(Path(options["path"]).read_text())))
