"""The benchmark's own honesty: the open-loop generator counts what it drops, figures taken on a
busy machine say so, the README table carries the workloads the targets are about, and the
server it measures is configured as in production (gunicorn.conf.py)."""

import http.server
import os
import runpy
import threading
import time
from pathlib import Path

import pytest

from bench import openloop
from bench.management.commands.bench_markdown import render_markdown
from bench.management.commands.run_bench import BUSY_CPU_PERCENT, runs_started_busy

ROOT = Path(__file__).resolve().parent.parent.parent


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    delay = 0.4

    def do_GET(self):  # noqa: N802 (http.server's name)
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_open_loop_counts_a_dropped_arrival_as_an_error_and_as_a_long_wait(slow_server):
    # One request may be outstanding; arrivals come ten times faster than it is answered.
    result = openloop.run_open_loop(
        slow_server,
        [("sessionid=x", ["/a", "/b"])],
        rate=25,
        seconds=1.0,
        max_in_flight=1,
        timeout=3.0,
    )
    assert result["dropped"] > result["requests"] > 0
    assert result["errors"] == result["dropped"]
    assert result["arrivals"] == result["requests"] + result["dropped"]
    # Most arrivals were dropped: the percentiles say the person waited at least the timeout.
    assert result["p50_ms"] == result["p95_ms"] == 3000.0
    assert result["rate_achieved"] < result["rate_target"]


def test_the_open_loop_keeps_up_with_a_fast_server(slow_server, monkeypatch):
    monkeypatch.setattr(_SlowHandler, "delay", 0.0)
    result = openloop.run_open_loop(
        slow_server, [("sessionid=x", ["/a"])], rate=20, seconds=1.0, timeout=3.0
    )
    assert result["errors"] == result["dropped"] == 0
    # Exactly the rate asked for: 20 requests/s for a second.
    assert result["requests"] == result["arrivals"] == 20
    assert result["p95_ms"] < 1000
    assert result["statuses"] == {"200": result["requests"]}


def test_the_open_loop_sends_traffic_only_to_this_machine():
    with pytest.raises(ValueError, match="127.0.0.1"):
        openloop.run_open_loop("http://10.0.0.1:8000", [("", ["/"])], rate=1, seconds=0.1)


def test_the_load_model_rate_is_the_readmes():
    # 3,000 staff, 20 % active in the busiest hour, a page a minute: 10 requests/s.
    assert openloop.BUSIEST_HOUR_RATE == pytest.approx(10.0)


def _run(p50, busy=0.0, **extra):
    return {
        "p50_ms": p50,
        "p95_ms": p50 * 2,
        "p99_ms": p50 * 3,
        "rps": 100.0,
        "requests": 1000,
        "errors": 0,
        "seconds": 8,
        "worker_cpu_ms_per_request": 5.0,
        "other_cpu_percent": busy,
        **extra,
    }


def _results(busy=0.0) -> dict:
    page = {"role": "coordinator", "page": "start", "status": 200, "permitted": True}
    scale = {
        "scale": 1,
        "clients": [1, 16],
        "baseline": {"role": "any", "page": "baseline", "queries": 3, "c1": _run(3)},
        "lean_floor": {
            "role": "any",
            "page": "lean_floor",
            "queries": 4,
            "c1": _run(12),
            "c16": _run(90, rps=130.0),
        },
        "pages": [{**page, "queries": 9, "c1": _run(20, busy=busy), "c16": _run(150)}],
        "cpu": {
            "runs": 30,
            "bare": {"cpu_ms": 3.3, "x_lean_floor": 0.3},
            "lean_floor": {"cpu_ms": 11.1, "x_lean_floor": 1.0},
            "pages": [{**page, "cpu_ms": 15.0, "x_lean_floor": 1.35}],
        },
        "mixed": {
            **_run(100, rps=91.0),
            "clients": 16,
            "roles": {"coordinator": 5, "key_person": 8, "process_leader": 3},
        },
        "load_model": {
            "runs": [
                {**_run(30), "multiple": 1, "rate_target": 10.0, "rate_achieved": 9.9},
                {
                    **_run(60),
                    "multiple": 3,
                    "rate_target": 30.0,
                    "rate_achieved": 29.1,
                    "errors": 2,
                    "dropped": 2,
                },
            ]
        },
        "pdf": {"plans": {"three_pages": {"pages": 3, "p50_ms": 900.0, "p95_ms": 1100.0}}},
    }
    return {
        "generated_at": "2026-11-26T13:30:00+00:00",
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gb": 24, "postgresql_host": "x"},
        "quiet_at_start": {"load_average": [0.1, 0.2, 0.3]},
        "noisy": False,
        "total_seconds": 1500,
        "settings": {"clients": [1, 16], "gunicorn_workers": 5, "server": "gunicorn"},
        "scales": {"1": scale},
        "targets": [{"target": "mixed", "met": True, "missed": [], "detail": ""}],
    }


def test_the_readme_table_carries_the_mixed_workload_the_load_model_and_the_pdf():
    text = render_markdown(_results())
    assert "| lean floor, 16 clients (closed loop) | 130 |" in text
    assert "**mixed**, 16 clients" in text and "70% of the lean floor's" in text
    assert "| **load model ×1**: 10 requests/s due (open loop) | 9.9 | 30 / 60 / 90 | 0 |" in text
    assert "**load model ×3**: 30 requests/s due (open loop, 2 dropped) | 29.1 |" in text
    assert "SIP plan PDF" in text and "900 / 1100" in text
    assert "Load average at the start 0.1 / 0.2 / 0.3" in text
    assert "Noisy" not in text


def test_a_run_started_on_a_busy_machine_is_named_and_the_figures_marked_noisy():
    results = _results(busy=BUSY_CPU_PERCENT + 50)
    assert runs_started_busy(results) == [
        f"scale 1 coordinator/start c1 ({BUSY_CPU_PERCENT + 50}%)"
    ]
    assert runs_started_busy(_results()) == []
    results["noisy"] = True
    results["runs_started_busy"] = runs_started_busy(results)
    assert "**Noisy figures**" in render_markdown(results)


def test_gunicorn_serves_with_sync_workers_two_per_core_plus_one(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "sync"
    assert config["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert config["preload_app"] is True
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 3


def test_the_image_and_the_compose_file_leave_the_workers_to_gunicorn_conf():
    # One place decides how the app is served: the benchmark measures what is deployed.
    for name in ("Dockerfile", "docker-compose.yml"):
        text = (ROOT / name).read_text()
        assert "gunicorn hlt.wsgi" in text or '"gunicorn", "hlt.wsgi"' in text
        assert "--workers" not in text and "--timeout" not in text, name
    # Sync workers serve one request at a time: a persistent connection each, no pool.
    assert "DATABASE_POOL" not in (ROOT / "docker-compose.yml").read_text()


def test_the_master_compiles_the_templates_and_freezes_them_before_forking(monkeypatch):
    import gc
    from types import SimpleNamespace

    from django.template import engines

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    server = SimpleNamespace(cfg=SimpleNamespace(preload_app=False))
    before = gc.get_freeze_count()
    config["when_ready"](server)  # without the app imported in the master: nothing to do
    assert gc.get_freeze_count() == before
    server.cfg.preload_app = True
    try:
        config["when_ready"](server)
        assert gc.get_freeze_count() > before + 10_000
    finally:
        gc.unfreeze()
    loader = engines["django"].engine.template_loaders[0]
    assert type(loader).__name__ == "Loader" and "cached" in type(loader).__module__
    assert "base.html" in {key.split("-")[0] for key in loader.get_template_cache}


@pytest.mark.django_db
def test_a_page_is_compared_with_the_floor_requested_in_turn_with_it():
    """The VM's speed drifts: a page measured late in the run against a floor measured at its
    start was judged by the drift. The ratio is of the page and the floor requested in turn."""
    from bench.management.commands.run_bench import targets
    from bench.measure import cpu_per_request

    class Client:
        def __init__(self, ms):
            self.ms = ms

        def get(self, url):
            spent = time.process_time() + self.ms / 1000
            while time.process_time() < spent:
                pass
            return type("Response", (), {"status_code": 200})()

    row = cpu_per_request(Client(12), ["/page"], runs=5, floor=(Client(10), ["/floor"]))
    assert 9 <= row["floor_ms"] <= 12 and 1.1 <= row["x_lean_floor"] <= 1.35
    results = {**_results(), "scaling": []}
    cpu = results["scales"]["1"]["cpu"]
    # 15 ms is 1.35× the run's floor but 2.5× the floor measured beside it: missed.
    cpu["pages"][0].update(floor_ms=6.0, x_lean_floor=2.5)
    cpu_target = targets(results, [1])[0]
    assert not cpu_target["met"] and "coordinator/start 15.0 ms (×2.5)" in cpu_target["missed"]
    cpu["pages"][0].update(floor_ms=11.0, x_lean_floor=1.36)
    assert targets(results, [1])[0]["met"]
