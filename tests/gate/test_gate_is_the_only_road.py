"""A view or document that reads a child's data without the gate is easy to spot: it
imports the log writer or the masking helpers itself. This test names it."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = [
    "teams",
    "cases",
    "consent",
    "meetings",
    "sip",
    "reports",
    "audit",
    "workday",
    "demo",
    "hlt",
]
# The gate itself, and the log's own package.
ALLOWED = {"cases/access.py", "cases/privacy.py", "audit/services.py"}
BYPASS = re.compile(r"access_log_record|cases\.privacy|from \. import .*\bprivacy\b|import privacy")


def test_only_the_gate_writes_the_access_log_or_masks():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if relative in ALLOWED or "/migrations/" in relative:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if BYPASS.search(line.split("#")[0]):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "Read the child's data through cases.access:\n" + "\n".join(offenders)


def test_no_child_data_check_has_a_superuser_shortcut():
    """Administrators never see a child: `has_perm` lets superusers through everything."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if ".has_perm(" in line or "get_objects_for_user" in line:
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
