from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consent.models import FamilyLanguage, consent_longest_end
from hlt.idempotency import SubmitTokenMixin
from hlt.text import LONG_TEXT, NormalisedForm
from teams.forms import DateInput
from teams.models import Organisation, Sector

from .models import Child, ConcernReason, Guardian
from .services import birth_date_from_personal_number, personal_number_normalise


class ChildForm(NormalisedForm, SubmitTokenMixin, forms.ModelForm):
    name_fields = ("given_name", "family_name", "school_year", "home_languages")
    identity_fields = ("personal_number", "reserve_number")

    personal_number = forms.CharField(
        label=_("Personal identity or coordination number"),
        required=False,
        max_length=13,
        help_text=_("YYYYMMDD-NNNN. Leave empty and give a reserve number if there is none."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DateInput,
        help_text=_("Only needed with a reserve number."),
    )

    class Meta:
        model = Child
        fields = [
            "given_name",
            "family_name",
            "personal_number",
            "reserve_number",
            "birth_date",
            "sex",
            "school",
            "school_year",
            "home_languages",
            "interpreter_needed",
            "protected_identity",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Organisation.objects.filter(sector=Sector.SCHOOL)

    def clean_personal_number(self):
        value = self.cleaned_data["personal_number"]
        return personal_number_normalise(value) if value else None

    def clean_reserve_number(self):
        return self.cleaned_data["reserve_number"] or None

    def clean(self):
        data = super().clean()
        number, reserve = data.get("personal_number"), data.get("reserve_number")
        if number:
            data["birth_date"] = birth_date_from_personal_number(number)
            data["reserve_number"] = None
        elif not self.has_error("personal_number"):
            if not reserve:
                self.add_error(
                    "personal_number",
                    _("Give a personal identity or coordination number, or a reserve number."),
                )
            elif not data.get("birth_date"):
                self.add_error("birth_date", _("With a reserve number, give the birth date."))
        return data

    def _post_clean(self):
        # Uniqueness is the service's business (an existing child is reused, not refused).
        pass


class GuardianForm(NormalisedForm, SubmitTokenMixin, forms.ModelForm):
    name_fields = ("given_name", "family_name", "phone", "email")

    class Meta:
        model = Guardian
        fields = [
            "given_name",
            "family_name",
            "relation",
            "custody",
            "phone",
            "email",
            "address",
            "preferred_language",
            "protected_identity",
        ]


SECTOR_CHOICES = Sector.choices


class ConsentPrintForm(NormalisedForm, forms.Form):
    language = forms.ChoiceField(
        label=_("The family's language"),
        choices=FamilyLanguage.choices,
        help_text=_("The form is printed in Swedish beside this language."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Who may share information"),
        choices=SECTOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[s for s, _label in SECTOR_CHOICES],
    )


class ConsentRegisterForm(NormalisedForm, SubmitTokenMixin, forms.Form):
    signed_guardians = forms.ModelMultipleChoiceField(
        label=_("Guardians who signed"),
        queryset=Guardian.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    child_signed = forms.BooleanField(label=_("The child signed too"), required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput, initial=timezone.localdate)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput,
        initial=lambda: consent_longest_end(timezone.localdate()),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Who may share information"),
        choices=SECTOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    family_language = forms.ChoiceField(
        label=_("Language of the signed form"), choices=FamilyLanguage.choices
    )
    scan = forms.FileField(
        label=_("Scan of the signed form (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    # Shown as a checkbox only when registering brought warnings (cases.views).
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the warnings above: register the consent anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    def offer_confirmation(self) -> None:
        """When warnings held the registration back, offer to confirm them."""
        if any(e.code == "warning" for e in self.non_field_errors().as_data()):
            self.fields["confirm_warnings"].widget = forms.CheckboxInput()

    def __init__(self, *args, case, guardian_labels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: translated in the reader's language, with today's setting.
        self.fields["valid_until"].help_text = gettext(
            "At most %(months)d months after the signing, as the form says."
        ) % {"months": settings.CONSENT_MAX_MONTHS}
        self.fields["signed_guardians"].queryset = case.guardians.all()
        # Labels come from cases.privacy: a protected identity is masked here too.
        self.fields["signed_guardians"].label_from_instance = lambda g: guardian_labels[g.pk]


class ActualiseForm(NormalisedForm, forms.Form):
    team = forms.ModelChoiceField(label=_("HLT team"), queryset=None)
    concern_health = forms.BooleanField(label=_("Health"), required=False)
    concern_learning = forms.BooleanField(label=_("Learning"), required=False)
    concern_safety = forms.BooleanField(label=_("Safety"), required=False)
    concern_reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        choices=ConcernReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    family_description = forms.CharField(
        label=_("The family's own description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT,
    )
    child_voice = forms.CharField(
        label=_("The child's own voice"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONG_TEXT,
    )
    ommej_reference = forms.CharField(
        label=_("Reference to the child's Ommej story"), required=False, max_length=100
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class ConsentWithdrawForm(NormalisedForm, forms.Form):
    name_fields = ("told_by",)

    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), widget=DateInput, initial=timezone.localdate
    )
    told_by = forms.CharField(label=_("Who withdrew the consent"), max_length=150)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=LONG_TEXT,
    )


class RegisterExtractForm(NormalisedForm, forms.Form):
    identity_fields = ("number",)

    number = forms.CharField(
        label=_("The child's personal identity number or reserve number"), max_length=20
    )
    document = forms.ChoiceField(
        label=_("Extract"),
        choices=[
            ("register", _("Everything held about the child and the family, with history")),
            ("access", _("Who has read the child's data")),
        ],
        widget=forms.RadioSelect,
        initial="register",
    )

    def clean(self):
        data = super().clean()
        number = (data.get("number") or "").strip()
        try:
            key = {"personal_number": personal_number_normalise(number)}
        except forms.ValidationError:
            key = {"reserve_number": number}
        child = Child.objects.filter(**key).first()
        if child is None:
            self.add_error("number", _("No child with this number is registered."))
        data["child"] = child
        return data
