"""The read-access log: who read what about which child, when, from where and why.

Rows are append-only. The model refuses updates and deletes, the admin offers
neither, and on PostgreSQL a trigger refuses them in the database itself.
Child and case are kept as plain numbers, not foreign keys: purging a child's
data (retention) must leave the log that it was read.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hlt.text import LONG_TEXT, long_text


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", _("Case")
        CHILD = "child", _("Child")
        GUARDIAN = "guardian", _("Guardians")
        CONSENT_FORM = "consent_form", _("Consent form")
        CONSENT_SCAN = "consent_scan", _("Consent scan")
        CASE_LIST = "case_list", _("Case list")
        SIP_PLAN = "sip_plan", _("SIP plan")
        AGENDA = "agenda", _("Meeting agenda")
        MINUTES = "minutes", _("Meeting minutes")
        EXTRACT = "extract", _("Register extract")

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        PRINT = "print", _("Print")
        DOWNLOAD = "download", _("Download")
        EXPORT = "export", _("Export")
        SEARCH = "search", _("Search")

    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    user_organisation = models.ForeignKey(
        "teams.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user_role = models.CharField(_("role"), max_length=100, blank=True)
    child_id = models.BigIntegerField(_("child"), db_index=False)
    case_id = models.BigIntegerField(_("case"), null=True, blank=True)
    kind = models.CharField(_("data"), max_length=20, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    context = models.CharField(_("context"), max_length=200, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            # On PostgreSQL a BRIN index on `at` is added by migration 0002 (not on SQLite).
            models.Index(fields=["child_id", "at"], name="accesslog_child_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
            models.Index(fields=["user_organisation", "at"], name="accesslog_org_at"),
        ]
        permissions = [("review_all_access", "Can review the whole access log")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.kind} {self.child_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class AccessReview(models.Model):
    """A reviewer's verdict on one log row (loggkontroll), e.g. from a random sample."""

    class Verdict(models.TextChoices):
        JUSTIFIED = "justified", _("Justified")
        UNCLEAR = "unclear", _("Unclear – follow up")
        UNJUSTIFIED = "unjustified", _("Not justified")

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    note = models.TextField(_("note"), blank=True, max_length=LONG_TEXT, validators=[long_text])
    reviewed_at = models.DateTimeField(_("reviewed"), auto_now_add=True)

    class Meta:
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")
        ordering = ["-reviewed_at"]

    def __str__(self):
        return f"{self.entry_id}: {self.verdict}"


class PurgeRecord(models.Model):
    """What retention (gallring) removed: numbers only, never personal data."""

    purged_at = models.DateTimeField(auto_now_add=True)
    case_id = models.BigIntegerField()
    child_id = models.BigIntegerField()
    closed_at = models.DateTimeField(null=True)
    files_removed = models.PositiveIntegerField(default=0)
    history_rows_removed = models.PositiveIntegerField(default=0)
    child_anonymised = models.BooleanField(default=False)

    class Meta:
        ordering = ["-purged_at"]

    def __str__(self):
        return f"case {self.case_id} purged {self.purged_at:%Y-%m-%d}"
