"""Forms of the SIP pages. They parse input only; the rules are in `services.py`."""

from django import forms
from django.db.models.utils import get_blank_choice_label
from django.utils.translation import gettext_lazy as _

from cases.workflow import ClosingReason
from consent.models import FamilyLanguage
from hlt.idempotency import SubmitTokenMixin
from hlt.text import LONG_TEXT, NormalisedForm
from hlt.widgets import PlainCheckboxSelectMultiple, PlainSelect

from .models import ContactMethod, FollowUp, GoalEvaluation, Intervention, InterventionEvaluation
from .questionnaire import QUESTIONS, SCALE

TEXT = LONG_TEXT


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _text(label, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class _PeopleChoices(forms.models.ModelChoiceIterator):
    """(pk, "name, agency") from one query of plain values: a municipality has over a
    thousand professionals, and a model object for each cost more than the page."""

    def __iter__(self):
        rows = self.queryset.values_list("pk", "full_name", "organisation__name")
        for pk, full_name, organisation in rows:
            yield (pk, f"{full_name}, {organisation}")


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """People to tick (the form's choices from plain values; what it cleans to are the
    users, read from the queryset as ModelMultipleChoiceField does)."""

    iterator = _PeopleChoices
    widget = PlainCheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.full_name}, {obj.organisation}"


class FeedbackForm(NormalisedForm, forms.Form):
    contacted_on = forms.DateField(label=_("The family was contacted on"), widget=DateInput)
    method = forms.ChoiceField(
        label=_("How"), choices=ContactMethod.choices, widget=forms.RadioSelect
    )
    note = _text(_("Note"), help_text=_("No more than needed. Never an address."))


class SipMeetingForm(NormalisedForm, SubmitTokenMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Time"), widget=TimeInput)
    place = forms.CharField(label=_("Place"), max_length=200)
    invite_child = forms.BooleanField(label=_("The child is invited"), required=False, initial=True)
    invite_guardians = forms.BooleanField(
        label=_("The guardians are invited"), required=False, initial=True
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter"),
        required=False,
        choices=[("", _("No interpreter"))] + [c for c in FamilyLanguage.choices if c[0] != "sv"],
    )
    professionals = PeopleChoiceField(
        label=_("Professionals invited"),
        queryset=None,
        required=False,
        help_text=_("Only from the agencies the consent covers."),
    )

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professionals"].queryset = professionals


class ObjectList(list):
    """Objects offered in a select that is drawn once per row (the plan editor's agencies and
    professionals): each field's choices are built from it once, not once per row."""

    def __init__(self, objects=()):
        super().__init__(objects)
        self.built: dict = {}


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects read once: a plan editor has a select per row, and a
    ModelChoiceField would query its list again for every row it is drawn in. Drawn by
    PlainSelect: a municipality's professionals are over a thousand options."""

    widget = PlainSelect

    def __init__(self, *args, label_from_instance=str, **kwargs):
        self.label_from_instance = label_from_instance
        self.objects: dict[str, object] = {}
        super().__init__(*args, **kwargs)

    def set_objects(self, objects) -> None:
        built = getattr(objects, "built", None)
        if built is not None and self.label_from_instance in built:
            self.objects, choices = built[self.label_from_instance]
        else:
            self.objects = {str(obj.pk): obj for obj in objects}
            choices = [("", get_blank_choice_label())] + [
                (key, self.label_from_instance(obj)) for key, obj in self.objects.items()
            ]
            if built is not None:
                built[self.label_from_instance] = (self.objects, choices)
        self.choices = choices

    def clean(self, value):
        key = super().clean(value)  # a known key (or "" when not required)
        return self.objects.get(key) if key else None

    def prepare_value(self, value):
        return str(value.pk) if hasattr(value, "pk") else value

    def has_changed(self, initial, data):
        initial = self.prepare_value(initial)
        return str(initial or "") != str(data or "")


def _person_label(obj) -> str:
    return f"{obj.full_name}, {obj.organisation}"


class PlanForm(NormalisedForm, forms.Form):
    needs = _text(_("The needs in the family's own words"), rows=4)
    child_view = _text(_("The child's own view"), rows=3)
    measures_by_others = _text(
        _("Measures taken by others"), help_text=_("Write “none” if there are none.")
    )
    overall_organisation = ObjectChoiceField(
        label=_("Agency with the overall responsibility"), required=False
    )
    overall_person = ObjectChoiceField(
        label=_("Person with the overall responsibility"),
        required=False,
        label_from_instance=_person_label,
    )
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DateInput)
    follow_up_how = forms.CharField(
        label=_("How the plan is followed up"), max_length=300, required=False
    )

    def __init__(self, *args, agencies, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall_organisation"].set_objects(agencies)
        self.fields["overall_person"].set_objects(professionals)


class GoalRowForm(NormalisedForm, forms.Form):
    """One goal of the plan editor; `id` names a saved goal, empty for a new one."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Goal"), max_length=500)


class InterventionRowForm(NormalisedForm, forms.Form):
    """One intervention of the plan editor; `id` names a saved one, empty for a new one."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind of intervention"),
        choices=lambda: [("", get_blank_choice_label()), *Intervention.Kind.choices],
    )
    what = forms.CharField(label=_("What"), max_length=500)
    organisation = ObjectChoiceField(label=_("Responsible agency"))
    person = ObjectChoiceField(label=_("Responsible person"), label_from_instance=_person_label)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, agencies, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].set_objects(agencies)
        self.fields["person"].set_objects(professionals)


class _RowFormSet(forms.BaseFormSet):
    remove_label = ""

    def __init__(self, *args, extra: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if extra is not None:
            self.extra = extra  # empty rows to show (unbound only)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = self.remove_label

    def rows(self) -> list[tuple[int, dict]]:
        """(form index, cleaned data) of each row to keep; blank new rows are left out."""
        return [
            (n, {k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
            for n, form in enumerate(self.forms)
            if form.has_changed() or form.cleaned_data.get("id")
            if not self._should_delete_form(form) and form.cleaned_data
        ]


class GoalFormSet(
    forms.formset_factory(GoalRowForm, formset=_RowFormSet, extra=0, can_delete=True)
):
    remove_label = _("Remove this goal")
    row_label = _("Goal %(n)s")


class InterventionFormSet(
    forms.formset_factory(InterventionRowForm, formset=_RowFormSet, extra=0, can_delete=True)
):
    remove_label = _("Remove this intervention")
    row_label = _("Intervention %(n)s")


class PrintForm(NormalisedForm, forms.Form):
    language = forms.ChoiceField(
        label=_("The family's language (beside Swedish)"),
        choices=FamilyLanguage.choices,
        widget=PlainSelect,  # on every view of a plan: no template per option
    )


class SignatureForm(NormalisedForm, SubmitTokenMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    guardians = forms.MultipleChoiceField(
        label=_("Guardians who signed"), required=False, widget=PlainCheckboxSelectMultiple
    )
    child_signed = forms.BooleanField(label=_("The child signed"), required=False)
    professionals = PeopleChoiceField(
        label=_("Professionals who signed"),
        queryset=None,
        required=False,
    )
    scan = forms.FileField(
        label=_("Scan of the signed plan (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )

    def __init__(self, *args, guardian_labels: dict[int, str], professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardians"].choices = [
            (str(pk), label) for pk, label in guardian_labels.items()
        ]
        self.fields["professionals"].queryset = professionals


class FollowUpForm(NormalisedForm, SubmitTokenMixin, forms.Form):
    """Built for one plan: a result per goal, a state per intervention, the questionnaire."""

    held_on = forms.DateField(label=_("Held on"), widget=DateInput)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_fields, self.intervention_fields, self.question_fields = [], [], []
        for goal in plan.goals.all():
            name = f"goal_{goal.pk}"
            self.fields[name] = forms.ChoiceField(
                label=goal.text, choices=GoalEvaluation.Result.choices, widget=forms.RadioSelect
            )
            self.fields[f"{name}_comment"] = forms.CharField(
                label=_("Comment on the goal “%(goal)s”") % {"goal": goal.text},
                required=False,
                max_length=TEXT,
            )
            self.goal_fields.append((goal.pk, name))
        for intervention in plan.interventions.all():
            name = f"intervention_{intervention.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{intervention.get_kind_display()}: {intervention.what}",
                choices=InterventionEvaluation.State.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"{name}_comment"] = forms.CharField(
                label=_("Comment on “%(what)s”") % {"what": intervention.what},
                required=False,
                max_length=TEXT,
            )
            self.intervention_fields.append((intervention.pk, name))
        for code, text in QUESTIONS:
            name = f"q_{code}"
            self.fields[name] = forms.TypedChoiceField(
                label=text,
                choices=[(n, str(n)) for n in SCALE],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                help_text=_("1 = not at all, 5 = completely"),
            )
            self.question_fields.append((code, name))
        self.fields["family_comment"] = _text(_("The family's own words about the collaboration"))
        self.fields["decision"] = forms.ChoiceField(
            label=_("Decision"), choices=FollowUp.Decision.choices, widget=forms.RadioSelect
        )
        self.fields["next_follow_up_on"] = forms.DateField(
            label=_("Next follow-up (when continuing)"), required=False, widget=DateInput
        )
        self.fields["closing_reason"] = forms.ChoiceField(
            label=_("Closing reason (when closing)"),
            required=False,
            choices=[("", "–")] + list(ClosingReason.choices),
        )
        self.fields["note"] = _text(_("Note"))

    def section(self, names):
        return [self[n] for n in names]

    @property
    def goal_boundfields(self):
        return [(self[n], self[f"{n}_comment"]) for _pk, n in self.goal_fields]

    @property
    def intervention_boundfields(self):
        return [(self[n], self[f"{n}_comment"]) for _pk, n in self.intervention_fields]

    @property
    def question_boundfields(self):
        return [self[n] for _code, n in self.question_fields]

    @property
    def decision_boundfields(self):
        return self.section(
            ["family_comment", "decision", "next_follow_up_on", "closing_reason", "note"]
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "goal_results": {pk: (data[n], data[f"{n}_comment"]) for pk, n in self.goal_fields},
            "intervention_states": {
                pk: (data[n], data[f"{n}_comment"]) for pk, n in self.intervention_fields
            },
            "answers": {code: data[n] for code, n in self.question_fields},
            "family_comment": data["family_comment"],
            "decision": data["decision"],
            "closing_reason": data["closing_reason"],
            "next_follow_up_on": data["next_follow_up_on"],
            "note": data["note"],
        }
