"""SIP (samordnad individuell plan): the family's feedback after the HLT meeting, the SIP
meeting, the plan in versions, its signed paper, and the follow-ups.

A finalised plan is never edited: a revision is a new version of the same case, and every
version stays readable. The rules live in `services.py`; the models hold only data and
small pure state methods.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.workflow import ClosingReason
from consent.models import FamilyLanguage
from hlt.text import LONG_TEXT, long_text
from teams.models import Organisation


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    MEETING = "meeting", _("Meeting in person")
    VIDEO = "video", _("Video call")
    LETTER = "letter", _("Letter or secure message")


class FamilyFeedback(models.Model):
    """When and how the family heard back after the HLT meeting (one per discussed case)."""

    agenda_item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="family_feedback"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    contacted_on = models.DateField(_("the family was contacted on"))
    method = models.CharField(_("how"), max_length=10, choices=ContactMethod.choices)
    note = models.TextField(_("note"), blank=True, max_length=LONG_TEXT, validators=[long_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.case_id} {self.contacted_on}"


class SipMeeting(models.Model):
    """A SIP meeting with the family: the first one, or a follow-up."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sip_meetings")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200)
    invite_child = models.BooleanField(_("the child is invited"), default=True)
    invite_guardians = models.BooleanField(_("the guardians are invited"), default=True)
    interpreter_language = models.CharField(
        _("interpreter for"),
        max_length=5,
        choices=[c for c in FamilyLanguage.choices if c[0] != "sv"],
        blank=True,
    )
    professionals = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("professionals invited"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at"]

    def __str__(self):
        return f"SIP {self.case_id} {self.date}"


class Plan(models.Model):
    """One version of a case's SIP. Drafts are edited; finalised versions are not."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Finalised")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sip_plans")
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    sip_meeting = models.ForeignKey(
        SipMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    needs = models.TextField(
        _("the needs in the family's own words"),
        blank=True,
        max_length=LONG_TEXT,
        validators=[long_text],
    )
    child_view = models.TextField(
        _("the child's own view"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )
    measures_by_others = models.TextField(
        _("measures taken by others"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )
    overall_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency with the overall responsibility"),
    )
    overall_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sip_plans_responsible",
        verbose_name=_("person with the overall responsibility"),
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_how = models.CharField(_("how the plan is followed up"), max_length=300, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The plan editor's optimistic lock: counts the saves of the draft, so a save made from
    # an older page is noticed instead of silently replacing someone else's words.
    edit_version = models.PositiveIntegerField(default=0, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="sip_plan_version_once"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="draft"), name="sip_one_draft_per_case"
            ),
        ]

    def __str__(self):
        return f"SIP {self.case_id} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text


class Intervention(models.Model):
    class Kind(models.TextChoices):
        PARENT_SUPPORT = "parent_support", _("Parent support")
        FAMILY_TALKS = "family_talks", _("Family talks")
        SCHOOL_ADAPTATIONS = "school_adaptations", _("Individual adaptations at school")
        TREATMENT = "treatment", _("Treatment")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    what = models.CharField(_("what"), max_length=500)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="sip_intervention_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self):
        return self.what


def plan_scan_path(instance, filename: str) -> str:
    # The original file name may hold a child's name: never keep it.
    return f"sip-scans/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class PlanSignature(models.Model):
    """The signed paper plan, registered by staff."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatures")
    signed_on = models.DateField(_("signed on"))
    guardians = models.ManyToManyField(
        "cases.Guardian", blank=True, related_name="+", verbose_name=_("guardians who signed")
    )
    child_signed = models.BooleanField(_("the child signed"), default=False)
    professionals = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("professionals who signed"),
    )
    scan = models.FileField(_("scan of the signed plan"), upload_to=plan_scan_path, blank=True)
    scan_content_type = models.CharField(max_length=50, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]

    def __str__(self):
        return f"{self.plan} {self.signed_on}"


class FollowUp(models.Model):
    """A follow-up SIP meeting: goals and interventions evaluated, the family asked, and a
    decision taken."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Continue with the plan")
        REVISE = "revise", _("Revise the plan (new version)")
        CLOSE = "close", _("Close the case")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="follow_ups")
    held_on = models.DateField(_("held on"))
    # The fixed questionnaire (sip.questionnaire.QUESTIONS): {code: 1..5}.
    family_answers = models.JSONField(_("the family's answers"), default=dict)
    family_comment = models.TextField(
        _("the family's own words"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=LONG_TEXT, validators=[long_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.plan} {self.held_on}"


class GoalEvaluation(models.Model):
    class Result(models.TextChoices):
        REACHED = "reached", _("Reached")
        PARTLY = "partly", _("Partly reached")
        NOT_REACHED = "not_reached", _("Not reached")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="goals")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="evaluations")
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    comment = models.TextField(
        _("comment"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )

    class Meta:
        ordering = ["goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "goal"], name="sip_goal_evaluated_once")
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.result}"


class InterventionEvaluation(models.Model):
    class State(models.TextChoices):
        DONE = "done", _("Done")
        GOING_ON = "going_on", _("Going on")
        NOT_STARTED = "not_started", _("Not started")
        ENDED = "ended", _("Ended")

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="interventions")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="evaluations"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    comment = models.TextField(
        _("comment"), blank=True, max_length=LONG_TEXT, validators=[long_text]
    )

    class Meta:
        ordering = ["intervention_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "intervention"], name="sip_intervention_evaluated_once"
            )
        ]

    def __str__(self):
        return f"{self.intervention_id}: {self.state}"
