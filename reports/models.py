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


class RegionTermFigures(models.Model):
    """One region's protected figures for one term (a reports.disclosure.Published, pickled),
    as `reports.store` made them from the teams' rows: a page with an empty cache reads them
    here instead of running the disclosure step again. `key` names the content (it is made
    from every team row's time stamp), so a row whose teams changed since is never read; the
    nightly `refresh_statistics` and the first reader after a change replace it. `part` is
    "" for the whole cube, else the groups protected (an earlier term's trend figures)."""

    region = models.ForeignKey("teams.Region", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=200, blank=True)
    key = models.CharField(max_length=200, db_index=True)
    published = models.BinaryField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "term", "part"], name="one_published_row_per_region_term_part"
            )
        ]

    def __str__(self):
        return f"{self.region_id}/{self.term_id}/{self.part or 'whole'}"
