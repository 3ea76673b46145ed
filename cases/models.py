"""The child, the family and the case that follows them through the HLT path."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from personnummer import personnummer
from simple_history.models import HistoricalRecords

from consent.models import FamilyLanguage
from teams.models import Organisation, Team

from .workflow import ClosingReason, Status


def validate_personal_number(value: str) -> None:
    """12 digits with a correct check digit (personal identity or coordination number)."""
    if not (len(value) == 12 and value.isascii() and value.isdigit() and personnummer.valid(value)):
        raise ValidationError(
            _(
                "This is not a valid personal identity or coordination number. "
                "Check the digits (YYYYMMDD-NNNN)."
            )
        )


class Sex(models.TextChoices):
    GIRL = "girl", _("Girl")
    BOY = "boy", _("Boy")
    OTHER = "other", _("Other / not stated")


class Child(models.Model):
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    personal_number = models.CharField(
        _("personal identity or coordination number"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("12 digits, YYYYMMDDNNNN."),
        validators=[validate_personal_number],
    )
    reserve_number = models.CharField(
        _("reserve number"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Only when the child has no personal identity or coordination number."),
    )
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=5, choices=Sex.choices)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"sector": "school"},
        verbose_name=_("preschool/school"),
    )
    school_year = models.CharField(_("school year or preschool group"), max_length=30, blank=True)
    home_languages = models.CharField(_("languages spoken at home"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.CheckConstraint(
                name="child_has_an_identity_number",
                condition=Q(personal_number__isnull=False) | Q(reserve_number__isnull=False),
                violation_error_message=_(
                    "Give a personal identity number, a coordination number or a reserve number."
                ),
            )
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def pseudonym(self, day: datetime.date) -> str:
        """Initials, age and school year: enough to follow an agenda, not to identify."""
        parts = [
            f"{self.given_name[:1]}.{self.family_name[:1]}.",
            str(_("%(age)d yrs") % {"age": self.age_on(day)}),
        ]
        if self.school_year:
            parts.append(self.school_year)
        return ", ".join(parts)


class Guardian(models.Model):
    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        PARENT = "parent", _("Parent")
        APPOINTED = "appointed", _("Appointed guardian")

    class Custody(models.TextChoices):
        SOLE = "sole", _("Sole custody")
        JOINT = "joint", _("Joint custody")

    # Guardians belong to the case, not to the child record: a child registered by two
    # teams must not show one team's family details to the other.
    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="guardians")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    relation = models.CharField(_("relation to the child"), max_length=10, choices=Relation.choices)
    custody = models.CharField(_("custody"), max_length=5, choices=Custody.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=FamilyLanguage.choices,
        default=FamilyLanguage.SWEDISH,
    )
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["pk"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class ConcernReason(models.TextChoices):
    """Finer reasons under the three HLT areas; the prefix is the area."""

    HEALTH_MENTAL = "health_mental", _("Health: mental health, worry, anxiety")
    HEALTH_PHYSICAL = "health_physical", _("Health: physical health, sleep, eating")
    HEALTH_DEVELOPMENT = "health_development", _("Health: development, neuropsychiatric")
    LEARNING_ABSENCE = "learning_absence", _("Learning: school absence")
    LEARNING_ACHIEVEMENT = "learning_achievement", _("Learning: difficulties reaching goals")
    LEARNING_LANGUAGE = "learning_language", _("Learning: language and communication")
    SAFETY_FAMILY = "safety_family", _("Safety: family situation, parenting")
    SAFETY_RELATIONS = "safety_relations", _("Safety: friends, bullying, relations")
    SAFETY_ENVIRONMENT = "safety_environment", _("Safety: living conditions, economy, housing")


class Case(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiated_cases",
        verbose_name=_("initiated by"),
    )
    initiating_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("initiating organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("HLT team"),
    )
    concern_health = models.BooleanField(_("Health"), default=False)
    concern_learning = models.BooleanField(_("Learning"), default=False)
    concern_safety = models.BooleanField(_("Safety"), default=False)
    concern_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    family_description = models.TextField(_("the family's own description"), blank=True)
    child_voice = models.TextField(_("the child's own voice"), blank=True)
    ommej_reference = models.CharField(_("Ommej story reference"), max_length=100, blank=True)
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    actualised_at = models.DateTimeField(_("actualised"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Kept for statistics so that they survive retention, which removes the birth date.
    age_at_actualisation = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True, editable=False)
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="named_cases",
        verbose_name=_("explicitly named people"),
        help_text=_("Only they see the identity of a child or guardian with protected identity."),
    )
    history = HistoricalRecords(m2m_fields=[named_people])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "status"])]
        permissions = [("view_case_notice", "Can see that the case's consent ended")]

    def __str__(self):
        return f"#{self.pk}"

    @property
    def concern_areas(self) -> list[str]:
        labels = [
            (self.concern_health, _("Health")),
            (self.concern_learning, _("Learning")),
            (self.concern_safety, _("Safety")),
        ]
        return [str(label) for flag, label in labels if flag]

    def get_concern_reasons_display(self) -> list[str]:
        labels = dict(ConcernReason.choices)
        return [str(labels.get(code, code)) for code in self.concern_reasons]


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.case}: {self.from_status} → {self.to_status}"


# Direct foreign-key permission tables (django-guardian): fast joins instead of generic keys.
class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
