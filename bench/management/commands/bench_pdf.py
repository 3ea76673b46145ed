"""Time the SIP plan PDF as the background worker renders it (`sip.documents.render_plan_job`)
for the shortest plan and a 3-page plan, and report this process's peak memory. Run by
`run_bench` in a fresh process against the benchmark database; prints one line of JSON."""

import datetime
import io
import json
import resource
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, F
from django.utils import timezone
from pypdf import PdfReader

from sip.documents import render_plan_job
from sip.models import Plan


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Command(BaseCommand):
    help = "Times the SIP plan PDF (shortest and 3 pages) in this process; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)

    def handle(self, *args, repeat: int, **options):
        finals = Plan.objects.filter(state=Plan.State.FINAL).annotate(
            n_interventions=Count("interventions", distinct=True),
            n_goals=Count("goals", distinct=True),
            n_guardians=Count("case__guardians", distinct=True),
        )
        # The shortest plans: a young child (no child's signature), one guardian, one goal and
        # one intervention run by the person with the overall responsibility, in Swedish only.
        # The longest: most interventions and goals, in a family language beside Swedish.
        young = timezone.localdate() - datetime.timedelta(days=11 * 365)
        small = finals.filter(
            n_interventions=1,
            n_goals=1,
            n_guardians=1,
            case__child__birth_date__gt=young,
            interventions__person=F("overall_person"),
        ).order_by("pk")[:1]
        large = (
            finals.exclude(case__consents__family_language="sv")
            .order_by("-n_interventions", "-n_goals", "pk")
            .distinct()[:8]
        )
        found: dict[str, tuple[Plan, dict, int]] = {}
        for plan in small:
            params = {"plan_id": plan.pk, "language": "sv", "user_id": _user(plan)}
            found["shortest"] = (plan, params, _pages(render_plan_job(params)))
        for plan in large:
            params = {"plan_id": plan.pk, "language": _language(plan), "user_id": _user(plan)}
            pages = _pages(render_plan_job(params))
            if pages == 3:
                found["three_pages"] = (plan, params, pages)
                break
        if not found:
            raise CommandError("No finalised SIP plan to print.")
        result = {"repeat": repeat, "plans": {}}
        for key, (plan, params, pages) in found.items():
            times = []
            for _i in range(repeat):
                started = time.perf_counter()
                render_plan_job(params)
                times.append((time.perf_counter() - started) * 1000)
            result["plans"][key] = {
                "plan_id": plan.pk,
                "language": params["language"],
                "pages": pages,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(_percentile(times, 0.95), 1),
            }
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        self.stdout.write(json.dumps(result))


def _language(plan: Plan) -> str:
    consent = plan.case.consents.order_by("-signed_on").first()
    return consent.family_language if consent else "sv"


def _user(plan: Plan) -> int:
    # The plan's overall responsible person prints it (they may see the case).
    return plan.overall_person_id or plan.created_by_id
