"""Guardians' consent: what lifts confidentiality between the agencies for one child.

Consent refers to cases by name only ("cases.Case"): the cases app builds on
consent (teams → consent → cases), never the other way round.
"""

import calendar
import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hlt.text import LONG_TEXT, long_text
from teams.models import Organisation, Sector


class FamilyLanguage(models.TextChoices):
    """Languages of the family-facing documents; Swedish always stands beside them."""

    SWEDISH = "sv", "Svenska"
    ENGLISH = "en", "English"
    ARABIC = "ar", "العربية"
    SOMALI = "so", "Soomaali"
    TIGRINYA = "ti", "ትግርኛ"
    PERSIAN = "fa", "فارسی / دری"
    FINNISH = "fi", "Suomi"


def consent_scan_path(instance, filename: str) -> str:
    # The original file name may hold a child's name: never keep it.
    return f"consent-scans/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def consent_longest_end(signed_on: datetime.date) -> datetime.date:
    """The last day a consent signed on `signed_on` may run: `CONSENT_MAX_MONTHS` (default 12)
    months, the limit the printed form promises the family."""
    return add_months(signed_on, settings.CONSENT_MAX_MONTHS) - datetime.timedelta(days=1)


class ConsentQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date):
        """The rule, in one place: consents in force on `day` — signed, not past their end
        date, not withdrawn. Every check of "does the case have consent" uses this."""
        return self.filter(signed_on__lte=day, valid_until__gte=day).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
        )


class Consent(models.Model):
    """A signed consent form as registered by staff. Complete when registered: the
    registration refuses a form that lacks a required signature."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="consents", verbose_name=_("case")
    )
    covers_health = models.BooleanField(_("health care may share"), default=False)
    covers_school = models.BooleanField(_("preschool/school may share"), default=False)
    covers_social = models.BooleanField(_("social services may share"), default=False)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("named organisations")
    )
    family_language = models.CharField(
        _("language of the form"),
        max_length=5,
        choices=FamilyLanguage.choices,
        default=FamilyLanguage.SWEDISH,
    )
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"))
    child_signed = models.BooleanField(_("the child signed"), default=False)
    scan = models.FileField(_("scan of the signed form"), upload_to=consent_scan_path, blank=True)
    scan_content_type = models.CharField(max_length=50, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_told_by = models.CharField(_("who withdrew the consent"), max_length=150, blank=True)
    withdrawal_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("received by"),
    )
    withdrawal_note = models.TextField(
        _("note on the withdrawal"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )
    history = HistoricalRecords(m2m_fields=[organisations])

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-signed_on", "-pk"]
        indexes = [models.Index(fields=["case", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                name="consent_ends_after_signing",
                condition=Q(valid_until__gte=models.F("signed_on")),
                violation_error_message=_("The end date cannot be before the signing date."),
            )
        ]

    def __str__(self):
        return f"{self.case} {self.signed_on}"

    @property
    def sectors(self) -> list[str]:
        return [
            sector
            for sector, covered in (
                (Sector.HEALTH, self.covers_health),
                (Sector.SCHOOL, self.covers_school),
                (Sector.SOCIAL, self.covers_social),
            )
            if covered
        ]

    def covers(self, sector: str) -> bool:
        return sector in self.sectors

    def is_withdrawn_on(self, day: datetime.date) -> bool:
        return self.withdrawn_on is not None and self.withdrawn_on <= day

    def is_in_force_on(self, day: datetime.date) -> bool:
        """The same rule as `Consent.objects.in_force(day)`, for one loaded consent."""
        return self.signed_on <= day <= self.valid_until and not self.is_withdrawn_on(day)


class ConsentSignature(models.Model):
    """One guardian's signature on a registered consent."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="signatures")
    guardian = models.ForeignKey(
        "cases.Guardian",
        on_delete=models.CASCADE,
        related_name="consent_signatures",
        verbose_name=_("guardian"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "guardian"], name="one_signature_per_guardian"
            )
        ]

    def __str__(self):
        return f"{self.guardian} ({self.consent})"


def document_path(instance, filename: str) -> str:
    return f"documents/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.pdf"


class DocumentJob(models.Model):
    """A PDF made in the background (django-tasks-db worker), retried when it fails.

    `kind` names a renderer registered with `consent.jobs.register`; `params` are what it
    needs (ids, language), never personal data.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    result = models.FileField(upload_to=document_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"
