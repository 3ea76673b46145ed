import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sip.questionnaire import SCALE
from teams.models import CoordinatorAppointment, ProcessLeader, Team, Term

from . import cache, charts, selectors, services, statistics, tables
from .forms import StatisticsFilterForm, TermReportForm
from .models import EvaluationQuestion, TermReport
from .suppression import show


def _selection(request):
    teams = selectors.teams_for_statistics(request.user)
    if teams is None:
        raise PermissionDenied
    term = Term.objects.current()
    form = StatisticsFilterForm(request.GET or None, teams=teams)
    if form.is_valid():
        term = form.cleaned_data["term"] or term
        if form.cleaned_data["municipality"]:
            teams = teams.filter(municipality=form.cleaned_data["municipality"])
        if form.cleaned_data["team"]:
            teams = teams.filter(pk=form.cleaned_data["team"].pk)
    return form, teams, term


def _all_tables(stats):
    return [tables.overview_table(stats), *tables.distribution_tables(stats)]


@login_required
def term_statistics(request):
    form, teams, term = _selection(request)
    stats, trends, computed_at = cache.page_statistics(teams=teams, term=term)
    all_tables = _all_tables(stats)
    trend_charts = []
    for key, title in statistics.TRENDS:
        points = [(str(t), show(n)) for t, n in trends[key]]
        trend_charts.append((key, str(title), points, charts.line_chart_svg(points, title=title)))
    answers = tables.answers_rows(stats)
    context = {
        "form": form,
        "term": term,
        "stats": stats,
        "tables": [(t, charts.bar_chart_svg(t.chart, title=t.title)) for t in all_tables],
        "trends": trend_charts,
        "lead_times": tables.lead_time_rows(stats),
        "feedback_share": tables.feedback_share(all_tables),
        "answers": answers,
        "answers_svg": charts.bar_chart_svg(
            tables.answers_chart(answers), title=_("The families' answers, mean per question")
        ),
        "scale": SCALE,
        "query": request.GET.urlencode(),
        "computed_at": computed_at,
        "cache_minutes": settings.STATISTICS_CACHE_SECONDS // 60,
    }
    return render(request, "reports/term_statistics.html", context)


def _rows_for_export(stats, all_tables):
    for table in all_tables:
        t = table.table
        yield [table.title]
        yield ["", *t.columns, _("Total") if t.row_totals and t.row_totals[0] != "" else ""]
        for name, cells, total in zip(t.rows, t.cells, t.row_totals, strict=True):
            yield [name, *cells, total]
        yield [_("Total"), *t.column_totals, t.grand_total]
        yield []
    yield [_("Lead times in days")]
    yield ["", _("Median"), _("90th percentile"), _("Cases")]
    for row in tables.lead_time_rows(stats):
        hidden = row.median is None
        yield [row.title, "" if hidden else row.median, "" if hidden else row.p90, row.cases]
    yield []
    yield [_("The families' answers at follow-up")]
    yield ["", *[_("Answered %(score)s") % {"score": s} for s in SCALE], _("Answers"), _("Mean")]
    for row in tables.answers_rows(stats):
        yield [row.question, *row.cells, row.total, "" if row.mean is None else row.mean]


@login_required
def export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, teams, term = _selection(request)
    stats, _trends, _computed_at = cache.page_statistics(teams=teams, term=term)
    all_tables = _all_tables(stats)
    filename = f"hlt-statistik-{term.kind}{term.year}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        for row in _rows_for_export(stats, all_tables):
            writer.writerow(row)
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(term)
    for row in _rows_for_export(stats, all_tables):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _coordinated_team(user):
    appointment = (
        CoordinatorAppointment.objects.current()
        .filter(key_person__user=user)
        .select_related("team", "term")
        .first()
    )
    if appointment is None:
        raise PermissionDenied
    return appointment.team, appointment.term


@login_required
def term_report(request):
    """The coordinator's report for the current term: statistics and evaluation."""
    team, term = _coordinated_team(request.user)
    existing = TermReport.objects.filter(team=team, term=term).first()
    if existing:
        return redirect("reports:term_report_detail", existing.pk)
    questions = list(EvaluationQuestion.objects.filter(is_active=True))
    form = TermReportForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.term_report_submit(
                team=team,
                term=term,
                by=request.user,
                answers=form.cleaned_data,
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The term report is submitted."))
            return redirect("reports:term_report_detail", report.pk)
    stats = statistics.term_statistics(teams=Team.objects.filter(pk=team.pk), term=term)
    context = {
        "team": team,
        "term": term,
        "form": form,
        "overview": tables.overview_table(stats),
        "questions": [(form[f"score_{q.pk}"], form[f"comment_{q.pk}"]) for q in questions],
    }
    return render(request, "reports/term_report_form.html", context)


@login_required
def term_reports(request):
    """For process leaders: which teams of their scope have submitted, per term."""
    teams = selectors.teams_for_statistics(request.user)
    if (
        teams is None
        or not ProcessLeader.objects.filter(user=request.user, is_active=True).exists()
    ):
        raise PermissionDenied
    current = Term.objects.current()
    form = StatisticsFilterForm(request.GET or None, teams=teams)
    term = (form.is_valid() and form.cleaned_data["term"]) or current
    reports = {r.team_id: r for r in TermReport.objects.filter(term=term, team__in=teams)}
    rows = [(team, reports.get(team.pk)) for team in teams.select_related("municipality")]
    return render(request, "reports/term_reports.html", {"rows": rows, "term": term, "form": form})


@login_required
def term_report_detail(request, pk):
    report = get_object_or_404(
        TermReport.objects.select_related("team", "term", "submitted_by"), pk=pk
    )
    teams = selectors.teams_for_statistics(request.user)
    if teams is None or not teams.filter(pk=report.team_id).exists():
        raise Http404
    return render(request, "reports/term_report_detail.html", {"report": report})
