import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from teams.models import Term

from . import charts, selectors, statistics, tables
from .forms import StatisticsFilterForm


def _selection(request):
    teams = selectors.teams_for_statistics(request.user)
    if teams is None:
        raise PermissionDenied
    form = StatisticsFilterForm(request.GET or None, teams=teams)
    term = Term.objects.current()
    if form.is_valid():
        term = form.cleaned_data["term"] or term
        if form.cleaned_data["municipality"]:
            teams = teams.filter(municipality=form.cleaned_data["municipality"])
        if form.cleaned_data["team"]:
            teams = teams.filter(pk=form.cleaned_data["team"].pk)
    return form, teams, term


def _all_tables(teams, term):
    stats = statistics.term_statistics(teams=teams, term=term)
    return stats, [tables.overview_table(stats), *tables.distribution_tables(stats)]


@login_required
def term_statistics(request):
    form, teams, term = _selection(request)
    stats, all_tables = _all_tables(teams, term)
    trend = statistics.new_cases_trend(teams=teams, terms=statistics.terms_back(term, 6))
    from .suppression import show

    trend_points = [(str(t), show(n)) for t, n in trend]
    context = {
        "form": form,
        "term": term,
        "stats": stats,
        "tables": [(t, charts.bar_chart_svg(t.chart, title=t.title)) for t in all_tables],
        "trend": trend_points,
        "trend_svg": charts.line_chart_svg(trend_points, title=_("New cases per term")),
        "lead": stats.lead_times["consent_to_meeting"],
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/term_statistics.html", context)


def _rows_for_export(all_tables):
    for table in all_tables:
        t = table.table
        yield [table.title]
        yield ["", *t.columns, _("Total") if t.row_totals and t.row_totals[0] != "" else ""]
        for name, cells, total in zip(t.rows, t.cells, t.row_totals, strict=True):
            yield [name, *cells, total]
        yield [_("Total"), *t.column_totals, t.grand_total]
        yield []


@login_required
def export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, teams, term = _selection(request)
    _stats, all_tables = _all_tables(teams, term)
    filename = f"hlt-statistik-{term.kind}{term.year}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        for row in _rows_for_export(all_tables):
            writer.writerow(row)
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(term)
    for row in _rows_for_export(all_tables):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
