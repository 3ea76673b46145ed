"""The child, the family and the case that follows them through the HLT path."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

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
from hlt.text import LONG_TEXT, long_text
from teams.models import Organisation, Team

from .workflow import ClosingReason, Status, available_actions


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


class ChildNaming:
    """Name, age and pseudonym, shared by the child record and a case's display copy."""

    given_name: str
    family_name: str
    birth_date: datetime.date
    school_year: str

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


# What a case's initiator typed about the child (the fields of ChildForm but the numbers).
REGISTERED_CHILD_FIELDS = (
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "school_year",
    "home_languages",
    "interpreter_needed",
)


@dataclass(frozen=True)
class ChildDetails(ChildNaming):
    """The child as one case knows it: a display copy, never saved."""

    given_name: str
    family_name: str
    personal_number: str | None
    reserve_number: str | None
    birth_date: datetime.date
    sex: str
    school_year: str
    home_languages: str
    interpreter_needed: bool
    protected_identity: bool
    # The school is looked up only when a page shows it (lists do not).
    school_lookup: Callable[[], Organisation | None] = field(repr=False, compare=False)

    @cached_property
    def school(self) -> Organisation | None:
        return self.school_lookup()


class Child(ChildNaming, models.Model):
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


class CaseQuerySet(models.QuerySet):
    def naming(self, user):
        """*The* definition of "named on the case": the cases on which `user` is explicitly
        named (the initiator from the start, and whoever a named person adds). Only they see
        a protected identity."""
        return self.filter(named_people=user.pk)


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
    family_description = models.TextField(
        _("the family's own description"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )
    child_voice = models.TextField(
        _("the child's own voice"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )
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
    # A child already registered from another case is linked, never changed: this case keeps
    # what its own initiator typed about the child (REGISTERED_CHILD_FIELDS) and shows only
    # that. Empty for the case that registered the child, which shows the child's record.
    registered_child = models.JSONField(default=dict, blank=True, editable=False)
    # Protected identity marked from a case with `registered_child` (the child's own mark is
    # changed only from the case that registered it).
    identity_protected = models.BooleanField(_("protected identity"), default=False)
    # What the consent form was last printed with, so registering the signed form starts
    # from the same language and sectors.
    consent_form_language = models.CharField(
        _("language of the printed consent form"), max_length=5, blank=True
    )
    consent_form_sectors = models.JSONField(
        _("sectors of the printed consent form"), default=list, blank=True
    )
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="named_cases",
        verbose_name=_("explicitly named people"),
        help_text=_("Only they see the identity of a child or guardian with protected identity."),
    )
    history = HistoricalRecords(m2m_fields=[named_people])

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "status"])]
        permissions = [("view_case_notice", "Can see that the case's consent ended")]

    def __str__(self):
        return f"#{self.pk}"

    @cached_property
    def child_details(self) -> ChildDetails:
        """The child as this case knows it (display only)."""
        child = self.child
        typed = self.registered_child
        if not typed:
            return ChildDetails(
                **{f: getattr(child, f) for f in REGISTERED_CHILD_FIELDS},
                school_lookup=lambda: child.school,
                protected_identity=child.protected_identity,
                personal_number=child.personal_number,
                reserve_number=child.reserve_number,
            )
        school_id = typed.get("school")
        return ChildDetails(
            given_name=typed["given_name"],
            family_name=typed["family_name"],
            personal_number=child.personal_number,
            reserve_number=child.reserve_number,
            birth_date=datetime.date.fromisoformat(typed["birth_date"]),
            sex=typed.get("sex", ""),
            school_lookup=lambda: (
                Organisation.objects.filter(pk=school_id).first() if school_id else None
            ),
            school_year=typed.get("school_year", ""),
            home_languages=typed.get("home_languages", ""),
            interpreter_needed=bool(typed.get("interpreter_needed")),
            protected_identity=self.identity_protected,
        )

    @property
    def identity_is_protected(self) -> bool:
        """Masked for people not named on the case: the child's own mark (from any case)
        or this case's."""
        return self.child.protected_identity or self.child_details.protected_identity

    @property
    def concern_areas(self) -> list[str]:
        labels = [
            (self.concern_health, _("Health")),
            (self.concern_learning, _("Learning")),
            (self.concern_safety, _("Safety")),
        ]
        return [str(label) for flag, label in labels if flag]

    def available_actions(self, user) -> list:
        """What the case page offers this reader, from the workflow (cases/workflow.py)."""
        return available_actions(self.status, is_initiator=self.initiated_by_id == user.pk)

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
