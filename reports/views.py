import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sip.questionnaire import SCALE
from teams.models import CoordinatorAppointment, ProcessLeader, Region, Term

from . import charts, selectors, services, store, tables
from .forms import StatisticsFilterForm, TermReportForm
from .models import EvaluationQuestion, TermReport


def _scope_nodes(published, team_ids: set[int]) -> list[int]:
    """The reader's whole scope as nodes of the hierarchy: the region, whole municipalities,
    or single teams."""
    cube = published.cube
    root = 0
    if set(cube.nodes[t].pk for t in cube.leaves[root]) <= team_ids:
        return [root]
    nodes = []
    for muni in cube.nodes[root].children:
        leaves = cube.leaves[muni]
        if leaves and all(cube.nodes[t].pk in team_ids for t in leaves):
            nodes.append(muni)
        else:
            nodes.extend(t for t in leaves if cube.nodes[t].pk in team_ids)
    return nodes


def _terms_back(term: Term, count: int, by_kind_year: dict) -> list[Term] | None:
    """The `count` terms up to and including `term`, oldest first (Term.keys_back), from terms
    already read; None when one is missing (Term.objects.back_from stores it)."""
    found = [by_kind_year.get(key) for key in Term.keys_back(term, count)]
    return None if None in found else found


def _selection(request):
    scope = selectors.statistics_scope(request.user)
    if scope is None:
        raise PermissionDenied
    # Every term in one query, for the drop-down, the current term and the trends.
    terms = list(Term.objects.order_by("-starts_on", "-year"))
    by_kind_year = {(t.kind, t.year): t for t in terms}
    today = timezone.localdate()
    current = by_kind_year.get((Term.kind_for(today), today.year))
    if current is None:
        # Statistics are stored per term row (reports.store): the current term must exist.
        current = Term.objects.ensure_current()
        terms = list(Term.objects.order_by("-starts_on", "-year"))
        by_kind_year = {(t.kind, t.year): t for t in terms}
    form = StatisticsFilterForm(
        request.GET or None, teams=scope.teams, term=current, team_rows=scope.rows, terms=terms
    )
    term, municipality, team = current, None, None
    if form.is_valid():
        term = form.cleaned_data["term"]
        municipality = form.cleaned_data.get("municipality")
        team = form.cleaned_data.get("team")
    if team is not None:
        region = team.municipality.region
    elif municipality is not None:
        region = municipality.region
    elif scope.rows:
        # The first of the scope's regions by name, as its rows name it.
        name, pk = min((row[5], row[4]) for row in scope.rows)
        region = Region.from_db(DEFAULT_DB_ALIAS, ["id", "name"], [pk, name])
    else:
        region = None
    if region is None:
        return form, None, []
    # The term's cube and the earlier terms' trend figures, with one look-up of the region.
    trend_terms = (
        _terms_back(term, 6, by_kind_year) or Term.objects.back_from(term, 6, ensure=True)
    )[:-1]  # figures per term row
    cubes = store.published_terms(
        region=region, terms=trend_terms, groups=[k for k, _t in tables.TRENDS], whole=term
    )
    published = cubes[term.pk]
    if team is not None:
        nodes = [published.node("team", team.pk)]
    elif municipality is not None:
        nodes = [published.node("municipality", municipality.pk)]
    else:
        nodes = _scope_nodes(published, form.team_ids)
    earlier = [(t, cubes[t.pk]) for t in trend_terms]
    return form, tables.Selection(published, nodes, term), earlier


def _page_sections(sel):
    return tables.overview_table(sel), tables.distribution_tables(sel)


def _figures_context(sel, earlier) -> dict:
    """Everything the page's figures below the filter are made from: the selection and the
    earlier terms' cubes, nothing else (they are rendered once and kept: reports.store.rendered)."""
    overview, distributions = _page_sections(sel)
    points = tables.trend_points(sel, earlier)
    trend_charts = [
        (
            key,
            str(title),
            tables.trend_table(key, str(title), points[key]),
            charts.line_chart_svg(points[key], title=title),
        )
        for key, title in tables.TRENDS
    ]
    answers = tables.answers_rows(sel)
    return {
        "overview": (overview, charts.bar_chart_svg(overview.chart, title=overview.title)),
        "tables": [(t, charts.bar_chart_svg(t.chart, title=t.title)) for t in distributions],
        "trends": trend_charts,
        "lead_times": tables.lead_time_rows(sel),
        "feedback_share": tables.feedback_share(sel),
        # "Too few cases" only when there are too few: not beside a total of 10.
        "feedback_total_shown": isinstance(sel.value("discussed"), int)
        and sel.value("discussed") >= sel.published.threshold,
        "answers": answers,
        "answers_table": tables.answers_table(answers),
        "answers_svg": charts.bar_chart_svg(
            tables.answers_chart(answers), title=_("The families' answers, mean per question")
        ),
        "scale": SCALE,
        "threshold": sel.published.threshold,
    }


@login_required
def term_statistics(request):
    form, sel, earlier = _selection(request)
    if sel is None:
        # A process leader whose region or municipalities have no team yet.
        return render(request, "reports/term_statistics_empty.html", {"form": form})
    earlier = [*earlier, (sel.term, sel.published)]
    # The figures' HTML depends on the terms' protected cubes (each key names one content:
    # the region's teams and names, every team row's time stamp, the threshold), the terms'
    # names, the reader's nodes (their scope and filter) and the language: so it is kept
    # under exactly those.
    figures_html = store.rendered(
        [
            [(str(term), published.key) for term, published in earlier],
            sel.nodes,
            translation.get_language(),
        ],
        lambda: render_to_string(
            "reports/term_statistics.html#figures", _figures_context(sel, earlier)
        ),
    )
    context = {
        "form": form,
        "term": sel.term,
        "figures_html": figures_html,
        "query": request.GET.urlencode(),
        "computed_at": getattr(sel.published, "computed_at", None),
        "small": sel.published.small,
        "threshold": sel.published.threshold,
    }
    return render(request, "reports/term_statistics.html", context)


def _rows_for_export(sel):
    overview, distributions = _page_sections(sel)
    for table in [overview]:
        yield [table.title]
        yield ["", *table.columns]
        for name, cells in table.rows:
            yield [name, *cells]
        if table.total is not None:
            yield [table.total_label, *table.total]
        yield []
    yield [_("Lead times in days")]
    yield ["", _("Median"), _("90th percentile"), _("Cases")]
    for row in tables.lead_time_rows(sel):
        hidden = row.median is None
        yield [row.title, "" if hidden else row.median, "" if hidden else row.p90, row.cases]
    yield []
    for table in distributions:
        yield [table.title]
        yield ["", *table.columns]
        for name, cells in table.rows:
            yield [name, *cells]
        if table.total is not None:
            yield [table.total_label, *table.total]
        yield []
    yield [_("The families' answers at follow-up")]
    yield ["", *[_("Answered %(score)s") % {"score": s} for s in SCALE], _("Answers"), _("Mean")]
    for row in tables.answers_rows(sel):
        yield [row.question, *row.cells, row.total, "" if row.mean is None else row.mean]


@login_required
def export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, sel, _earlier = _selection(request)
    if sel is None:
        raise Http404
    term = sel.term
    filename = f"hlt-statistik-{term.kind}{term.year}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        for row in _rows_for_export(sel):
            writer.writerow(row)
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(term)
    for row in _rows_for_export(sel):
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
    context = {
        "team": team,
        "term": term,
        "form": form,
        "overview": tables.overview_table(services.team_selection(team=team, term=term)),
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
    # Statistics are stored per term row (reports.store): the current term must exist.
    current = Term.objects.ensure_current()
    form = StatisticsFilterForm(request.GET or None, teams=teams, term=current)
    term = form.cleaned_data["term"] if form.is_valid() else current
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
    figures = report.figures
    if isinstance(figures, dict):
        # Reports frozen before the figures were kept as a list: in the page's order.
        order = {key: i for i, key in enumerate(tables.SECTION_ORDER)}
        figures = [
            {"key": key, **table}
            for key, table in sorted(figures.items(), key=lambda kv: order.get(kv[0], 99))
        ]
    return render(
        request, "reports/term_report_detail.html", {"report": report, "figures": figures}
    )
