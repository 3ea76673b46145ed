"""Production loads the app and no developer tool: no benchmark, no dev-only package."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Under the production settings: import every module of every installed app of this project
# (what a management command, a URL or a task might pull in), then report which distributions
# the imported modules came from.
SCRIPT = """
import importlib, importlib.metadata, json, pkgutil, sys
from pathlib import Path
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands

root = Path(settings.BASE_DIR).resolve()
for config in apps.get_app_configs():
    if Path(config.path).resolve().parent != root:  # not a package of this project
        continue
    for module in pkgutil.walk_packages([config.path], config.name + "."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
owners = importlib.metadata.packages_distributions()
loaded = {owner for name in list(sys.modules) for owner in owners.get(name.split(".")[0], [])}
print(json.dumps({
    "apps": list(settings.INSTALLED_APPS),
    "commands": sorted(get_commands()),
    "distributions": sorted(loaded),
}))
"""


def _production() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "hlt.settings",
            "DEBUG": "0",
            "SECRET_KEY": "a-test-key-that-is-long-enough-for-the-production-settings-0123",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_production_settings_install_no_benchmark_and_import_no_dev_only_package():
    dev_group = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    dev_only = {_normalise(spec.split(">")[0].split("=")[0].split("[")[0]) for spec in dev_group}
    production = _production()
    assert "bench" not in production["apps"]
    assert {"generate_load_data", "run_bench", "bench_measure", "bench_pdf"}.isdisjoint(
        production["commands"]
    )
    assert {_normalise(d) for d in production["distributions"]} & dev_only == set()
    # The demo seeders stay: `make run` and the compose file's trial use them.
    assert {"seed_demo", "seed_demo_cases"} <= set(production["commands"])


def test_the_demo_seeders_live_in_the_demo_app():
    assert (ROOT / "demo/management/commands/seed_demo.py").exists()
    assert (ROOT / "demo/management/commands/seed_demo_cases.py").exists()
    assert not (ROOT / "sip/management/commands/seed_demo_cases.py").exists()
