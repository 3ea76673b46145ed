from django import forms

from .models import InboxPreference


class InboxPreferenceForm(forms.ModelForm):
    class Meta:
        model = InboxPreference
        fields = ["weekly_email"]
