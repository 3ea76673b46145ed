"""Submitting the coordinator's term report: statistics frozen, answers kept with their
questions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teams.models import CoordinatorAppointment, Team, Term

from . import store, tables
from .models import EvaluationQuestion, TermReport


def team_selection(*, team: Team, term: Term) -> tables.Selection:
    """One team's protected figures: cells of its region's cube, the same as the region's
    page shows for the team."""
    published = store.published(region=team.municipality.region, term=term)
    return tables.Selection(published, [published.node("team", team.pk)], term)


def frozen_figures(*, team: Team, term: Term) -> list[dict]:
    return tables.frozen(team_selection(team=team, term=term))


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
