"""Dates written the way each language writes them."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def short_date(value, with_year: bool = True) -> str:
    """A short day with its weekday: "tis 13 okt 2026" in Swedish (month abbreviations in
    small letters; Django's "M" capitalises them), "Tue 13 Oct 2026" in English."""
    if not value:
        return ""
    month = "b" if (get_language() or "sv").startswith("sv") else "M"
    return date_format(value, f"D j {month} Y" if with_year else f"D j {month}")
