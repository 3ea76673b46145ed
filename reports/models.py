"""The coordinator's term report: the team's statistics, frozen when submitted, with the
answers to the term's evaluation questions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hlt.text import LONG_TEXT, long_text
from teams.models import Team, Term


class EvaluationQuestion(models.Model):
    """One question of the term report. Administrators edit the set for the next term; a
    submitted report keeps the question texts it was answered with."""

    text = models.CharField(_("question"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("asked"), default=True)

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class TermReport(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="term_reports")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="term_reports")
    # [{"question": text, "score": 1-5, "comment": text}, …] as answered.
    answers = models.JSONField(default=list)
    summary = models.TextField(
        _("the term in a few sentences"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )
    # The suppressed tables as they stood when submitted; later data changes don't alter them.
    figures = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("term report")
        verbose_name_plural = _("term reports")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "term"],
                name="one_term_report_per_team",
                violation_error_message=_("The team has already submitted its report."),
            )
        ]

    def __str__(self):
        return f"{self.team} {self.term}"


class TeamTermFigures(models.Model):
    """One team's raw figures for one term (reports.statistics.team_figures), computed once
    and kept until something they count changes (reports.signals) or the nightly
    `refresh_statistics` replaces them. Never shown as they are: reports.disclosure."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "term"], name="one_figures_row_per_team_term")
        ]

    def __str__(self):
        return f"{self.team_id}/{self.term_id}"
