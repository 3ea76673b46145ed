from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .text import NormalisedForm


class LoginForm(NormalisedForm, AuthenticationForm):
    """Log in with the work e-mail; autocomplete hints help password managers (WCAG 1.3.5)."""

    username = forms.EmailField(
        label=_("Work e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
