"""Submitting the coordinator's term report: statistics frozen, answers kept with their
questions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teams.models import CoordinatorAppointment, Team, Term

from . import statistics, tables
from .models import EvaluationQuestion, TermReport


def frozen_figures(*, team: Team, term: Term) -> dict:
    stats = statistics.term_statistics(teams=Team.objects.filter(pk=team.pk), term=term)
    all_tables = [tables.overview_table(stats), *tables.distribution_tables(stats)]
    figures = {
        t.key: {
            "title": str(t.title),
            "columns": [str(c) for c in t.table.columns],
            "cells": t.table.cells[0] if t.table.cells else [],
        }
        for t in all_tables
    }
    columns = [_("Median"), _("90th percentile"), _("Cases")]
    for (key, _title), row in zip(tables.LEAD_TIMES, tables.lead_time_rows(stats), strict=True):
        hidden = row.median is None
        figures[f"lead:{key}"] = {
            "title": _("Lead time: %(what)s (days)") % {"what": row.title},
            "columns": [str(c) for c in columns],
            "cells": ["–" if hidden else row.median, "–" if hidden else row.p90, row.cases],
        }
    return figures


@transaction.atomic
def term_report_submit(*, team: Team, term: Term, by, answers: dict, summary: str) -> TermReport:
    if not (
        CoordinatorAppointment.objects.current()
        .filter(team=team, term=term, key_person__user=by)
        .exists()
    ):
        raise PermissionDenied(_("Only the team's coordinator for the term submits its report."))
    questions = list(EvaluationQuestion.objects.filter(is_active=True))
    recorded = []
    for question in questions:
        score = answers.get(f"score_{question.pk}")
        if score not in {1, 2, 3, 4, 5}:
            raise ValidationError({f"score_{question.pk}": _("Choose 1 to 5.")})
        recorded.append(
            {
                "question": question.text,
                "score": score,
                "comment": answers.get(f"comment_{question.pk}", ""),
            }
        )
    try:
        with transaction.atomic():
            return TermReport.objects.create(
                team=team,
                term=term,
                answers=recorded,
                summary=summary,
                submitted_by=by,
                figures=frozen_figures(team=team, term=term),
            )
    except IntegrityError:
        raise ValidationError(_("The team has already submitted its report.")) from None
