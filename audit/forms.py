from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from hlt.text import NormalisedForm
from teams.forms import DateInput
from teams.models import User

from .models import AccessLogEntry, AccessReview


class LogFilterForm(NormalisedForm, forms.Form):
    identity_fields = ("personal_number",)

    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    personal_number = forms.CharField(
        label=_("Child's personal identity number"),
        required=False,
        max_length=13,
        help_text=_("YYYYMMDD-NNNN, or a reserve number."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AccessLogEntry.Action.choices],
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users

    def clean_personal_number(self):
        """The child's internal number, looked up by exact identity number (reveals nothing:
        the reviewer typed the number)."""
        typed = self.cleaned_data["personal_number"].strip()
        if not typed:
            return None
        child_model = apps.get_model("cases", "Child")
        # A personal identity number is stored as 12 digits; a reserve number as typed,
        # dashes and all ("DEMO-003").
        digits = typed.replace("-", "").replace("+", "")
        child = (
            child_model.objects.filter(personal_number=digits).only("pk").first()
            if digits.isdigit()
            else None
        ) or child_model.objects.filter(reserve_number__iexact=typed).only("pk").first()
        # An unknown number matches no row rather than being an error, so the form
        # does not tell whether a child is registered.
        return child.pk if child else -1


class ReviewForm(NormalisedForm, forms.ModelForm):
    class Meta:
        model = AccessReview
        fields = ["verdict", "note"]
        widgets = {"verdict": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = AccessReview.Verdict.choices  # no empty "-----" radio
