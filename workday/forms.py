from django import forms

from hlt.text import NormalisedForm

from .models import InboxPreference


class InboxPreferenceForm(NormalisedForm, forms.ModelForm):
    class Meta:
        model = InboxPreference
        fields = ["weekly_email"]
